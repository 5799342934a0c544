"""The `yiwaiwai` command line: one subcommand per module in `companion.commands`.

Each command module defines `NAME`, `HELP`, `add_arguments(parser)` and
`run(args) -> int`. Modules are imported only when listed, so a command's heavy
dependencies (fastText, the tray) load only when that command runs.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence
from types import ModuleType

from companion import __version__, commands


def _command_modules() -> list[ModuleType]:
    names = sorted(
        m.name for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_")
    )
    return [importlib.import_module(f"companion.commands.{name}") for name in names]


def build_parser() -> argparse.ArgumentParser:
    """The full parser; every subcommand listed here really works."""
    parser = argparse.ArgumentParser(
        prog="yiwaiwai", description="易歪歪 yiwaiwai — smart chat assistant for Shopee sellers"
    )
    parser.add_argument("--version", action="version", version=f"yiwaiwai {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in _command_modules():
        command = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(command)
        command.set_defaults(handler=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit code."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 0
