"""Subcommands of `yiwaiwai`; each module is one subcommand (see `companion.cli`)."""
