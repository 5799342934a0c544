"""Xvfb for the tray tests: started once per session, skipped with a reason when absent.

pystray picks its backend when first imported, so the display and
`PYSTRAY_BACKEND=xorg` are set here before any test imports it.
"""

from __future__ import annotations

import dataclasses
import gc
import logging
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from companion.settings import Settings


def _free_display() -> int:
    for number in range(90, 200):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(
            f"/tmp/.X{number}-lock"
        ).exists():
            return number
    raise RuntimeError("no free X display number")


@pytest.fixture(scope="session")
def xvfb() -> Iterator[str]:
    """A private X server; sets DISPLAY and PYSTRAY_BACKEND=xorg for the session."""
    binary = shutil.which("Xvfb")
    if binary is None:
        pytest.skip("Xvfb is not installed (apt-get install xvfb)")
    number = _free_display()
    proc = subprocess.Popen(
        [binary, f":{number}", "-screen", "0", "640x480x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    sock = Path(f"/tmp/.X11-unix/X{number}")
    deadline = time.monotonic() + 10
    while not sock.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    if not sock.exists():
        proc.kill()
        proc.wait()
        pytest.skip("Xvfb did not start")
    saved = {k: os.environ.get(k) for k in ("DISPLAY", "PYSTRAY_BACKEND")}
    os.environ["DISPLAY"] = f":{number}"
    os.environ["PYSTRAY_BACKEND"] = "xorg"
    # No tray manager runs here, so pystray logs "Failed to dock icon" with a traceback;
    # pytest keeps such records, and their frames would keep the icons alive past Xvfb.
    pystray_log = logging.getLogger("pystray")
    level = pystray_log.level
    pystray_log.setLevel(logging.CRITICAL)
    try:
        yield f":{number}"
    finally:
        pystray_log.setLevel(level)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        gc.collect()  # close the icons' X connections while the server still runs
        proc.terminate()
        proc.wait(10)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def tray_settings(settings: Settings) -> Settings:
    """The demo settings on a free port (the tray tests run a real listening server)."""
    return dataclasses.replace(settings, port=free_port())
