"""`yiwaiwai pair`: show the pairing secret (last line) for the extension or local tools."""

from __future__ import annotations

import argparse

NAME = "pair"
HELP = "print the pairing secret as the last line (--rotate revokes every pairing)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", help="data folder (env YIWAIWAI_HOME, default ~/.yiwaiwai)")
    parser.add_argument(
        "--rotate", action="store_true", help="make a new secret; old pairings stop working"
    )


def run(args: argparse.Namespace) -> int:
    from companion.pairing import fingerprint, load_or_create_secret, rotate_secret
    from companion.securefile import ensure_private_dir
    from companion.settings import resolve

    settings = resolve({"data_dir": args.data_dir})
    ensure_private_dir(settings.data_dir)
    secret = (
        rotate_secret(settings.data_dir)
        if args.rotate
        else load_or_create_secret(settings.data_dir)
    )
    print(f"fingerprint: {fingerprint(secret)}")
    print("paste this secret into the yiwaiwai extension's options (keep it private):")
    print(secret)
    return 0
