"""`yiwaiwai open`: open the local rule editor or dashboard without the tray (headless machines)."""

from __future__ import annotations

import argparse

NAME = "open"
HELP = "open the dashboard or rule editor of the running companion in a browser"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("view", nargs="?", default="dashboard",
                        choices=["dashboard", "rules", "messages", "followups"])
    parser.add_argument("--port", type=int, help="companion port (env YIWAIWAI_PORT)")
    parser.add_argument("--data-dir", help="data folder (env YIWAIWAI_HOME)")
    parser.add_argument("--no-browser", action="store_true",
                        help="only print the launch file's path")


def run(args: argparse.Namespace) -> int:
    import sys
    import webbrowser
    from pathlib import Path

    import httpx

    from companion.pairing import pairing_path
    from companion.securefile import read_private_json
    from companion.settings import resolve

    settings = resolve({"port": args.port, "data_dir": args.data_dir})
    try:
        secret = str(read_private_json(pairing_path(settings.data_dir))["secret"])
    except FileNotFoundError:
        print(f"yiwaiwai: no companion has run with the data folder {settings.data_dir}; "
              "pass the same --data-dir (and --port) as `yiwaiwai run`", file=sys.stderr)
        return 1
    try:
        response = httpx.post(
            f"http://127.0.0.1:{settings.port}/api/v1/launch", json={"view": args.view},
            headers={"Authorization": f"Bearer {secret}"}, trust_env=False, timeout=5,
        )
    except httpx.HTTPError:
        print(f"yiwaiwai: no companion answers on port {settings.port}; start it with "
              "`yiwaiwai run`", file=sys.stderr)
        return 1
    if response.status_code == 401:
        print("yiwaiwai: the companion on that port uses another data folder; pass its --data-dir",
              file=sys.stderr)
        return 1
    if response.status_code != 201:
        print(f"yiwaiwai: the companion refused ({response.status_code}): {response.text[:200]}",
              file=sys.stderr)
        return 1
    path = Path(response.json()["launch_file"])
    print(f"open this file in a browser within 60 s (single use): {path}")
    if not args.no_browser:
        webbrowser.open(path.as_uri())
    return 0
