"""`yiwaiwai run`: start the companion (on the demo shop when none is configured)."""

from __future__ import annotations

import argparse
import sys

NAME = "run"
HELP = "start the companion (the built-in demo shop when no shop is configured)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--port", type=int, help="port on 127.0.0.1 (env YIWAIWAI_PORT, default 8731)"
    )
    parser.add_argument("--data-dir", help="data folder (env YIWAIWAI_HOME, default ~/.yiwaiwai)")
    parser.add_argument(
        "--demo", action="store_true", default=None, help="force the sandbox demo shop"
    )
    parser.add_argument(
        "--no-tray",
        dest="tray",
        action="store_false",
        default=None,
        help="run headless, without the tray icon",
    )
    parser.add_argument(
        "--buyers-per-minute", type=float, help="demo buyer simulator rate (0 = off)"
    )
    parser.add_argument("--log-level", help="DEBUG, INFO, WARNING (default INFO)")


def run(args: argparse.Namespace) -> int:
    from companion.logsetup import configure_logging
    from companion.runtime import StartupError, run_headless
    from companion.settings import SettingsError, resolve

    try:
        settings = resolve(
            {
                "port": args.port,
                "data_dir": args.data_dir,
                "demo": args.demo,
                "tray": args.tray,
                "buyers_per_minute": args.buyers_per_minute,
                "log_level": args.log_level,
            }
        )
        configure_logging(settings.log_level)
        if settings.tray:
            from companion.tray import run_with_tray, tray_unavailable_reason

            reason = tray_unavailable_reason()
            if reason is None:
                return run_with_tray(settings, sys.stdout)
            print(f"running headless: {reason}", file=sys.stderr)
        return run_headless(settings, sys.stdout)
    except (StartupError, SettingsError) as exc:
        print(f"yiwaiwai: {exc}", file=sys.stderr)
        return 1
