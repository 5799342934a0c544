"""Where there is no display the companion runs without a tray and says so."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from companion.tray import tray_unavailable_reason
from tests.tray.conftest import free_port


def test_no_display_means_no_tray_with_that_reason() -> None:
    assert tray_unavailable_reason({}) == "no display found"


def test_without_display_the_companion_runs_headless_and_says_so(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["YIWAIWAI_HOME"] = str(tmp_path / "home")
    proc = subprocess.Popen(
        [sys.executable, "-m", "companion", "run", "--demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        up = False
        while not up and time.monotonic() < deadline and proc.poll() is None:
            try:
                up = httpx.get(f"http://127.0.0.1:{port}/api/v1/health").status_code == 200
            except httpx.HTTPError:
                time.sleep(0.1)
        assert up, "the companion did not answer within 30 s"
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert "running headless: no display found" in err
    assert f"listening on http://127.0.0.1:{port}" in out
    assert "stopped" in out
