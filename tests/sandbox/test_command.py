"""`yiwaiwai sandbox` serves on 127.0.0.1, prints its URL and stops cleanly on SIGTERM."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import urllib.request


def test_sandbox_command_serves_credentials_and_stops_on_sigterm() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "companion", "sandbox", "--port", "0",
                             "--seed", "3"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        hint = proc.stdout.readline()
        url = first.split(" on ")[1].split()[0]
        assert url.startswith("http://127.0.0.1:")
        assert "/sandbox/v1/credentials" in hint and "shpk" not in hint
        with urllib.request.urlopen(f"{url}/sandbox/v1/credentials", timeout=5) as resp:
            creds = json.load(resp)
        assert creds["partner_key"].startswith("shpk")
        assert [s["region"] for s in creds["shops"]] == ["MY", "TW"]
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
