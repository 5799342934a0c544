"""The command line as a user runs it: real processes, real ports, real files."""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from companion.cli import build_parser


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def yiwaiwai(*args: str, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("DISPLAY", None)
    return subprocess.Popen(
        [sys.executable, "-m", "companion", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        **kwargs,
    )


def wait_healthy(port: int, timeout: float = 15.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            response = httpx.get(f"http://127.0.0.1:{port}/api/v1/health", trust_env=False)
            return response.json()
        except httpx.HTTPError:
            time.sleep(0.1)
    raise AssertionError(f"companion on port {port} never became healthy")


@pytest.fixture
def running(tmp_path: Path):
    port = free_port()
    process = yiwaiwai(
        "run", "--demo", "--no-tray", "--port", str(port), "--data-dir", str(tmp_path / "d"),
        "--buyers-per-minute", "0",
    )
    try:
        yield port, process, tmp_path / "d"
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=10)


def test_only_working_subcommands_are_listed() -> None:
    parser = build_parser()
    commands = set(parser._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    expected = {"run", "pair", "sandbox", "auth", "open", "classify", "train", "eval", "bench",
                "rules"}
    assert expected <= commands


def test_run_demo_serves_health_on_the_demo_shop_and_stops_cleanly_on_sigterm(running) -> None:
    port, process, _ = running
    health = wait_healthy(port)
    assert health["mode"] == "demo"
    assert health["sandbox_url"].startswith("http://127.0.0.1:")
    assert {shop["region"] for shop in health["shops"]} == {"MY", "TW"}
    sandbox = httpx.get(health["sandbox_url"] + "/sandbox/v1/credentials", trust_env=False)
    assert sandbox.status_code == 200
    process.send_signal(signal.SIGTERM)
    out, _ = process.communicate(timeout=15)
    assert process.returncode == 0
    assert "DEMO SHOP" in out
    assert f"yiwaiwai open [rules] --port {port} --data-dir" in out
    assert "companion stopped" in out


def test_second_start_on_the_same_port_recognises_the_running_companion(running, tmp_path) -> None:
    port, _, _ = running
    wait_healthy(port)
    second = yiwaiwai("run", "--demo", "--no-tray", "--port", str(port),
                      "--data-dir", str(tmp_path / "other"))
    out, _ = second.communicate(timeout=15)
    assert second.returncode == 0
    assert "already running" in out


def test_a_port_held_by_another_program_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        process = yiwaiwai("run", "--demo", "--no-tray", "--port", str(port),
                           "--data-dir", str(tmp_path / "d"))
        _, err = process.communicate(timeout=20)
    assert process.returncode == 1
    assert str(port) in err


def test_pair_prints_the_secret_as_last_line_and_keeps_it_private(tmp_path: Path) -> None:
    first = subprocess.run([sys.executable, "-m", "companion", "pair", "--data-dir", str(tmp_path)],
                           capture_output=True, text=True, check=True)
    again = subprocess.run([sys.executable, "-m", "companion", "pair", "--data-dir", str(tmp_path)],
                           capture_output=True, text=True, check=True)
    secret = first.stdout.strip().splitlines()[-1]
    assert len(secret) == 43
    assert again.stdout.strip().splitlines()[-1] == secret
    path = tmp_path / "secrets" / "pairing.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    rotated = subprocess.run(
        [sys.executable, "-m", "companion", "pair", "--data-dir", str(tmp_path), "--rotate"],
        capture_output=True, text=True, check=True,
    )
    assert rotated.stdout.strip().splitlines()[-1] != secret


def test_pairing_secret_from_pair_opens_the_api(running) -> None:
    port, _, data_dir = running
    wait_healthy(port)
    secret = subprocess.run(
        [sys.executable, "-m", "companion", "pair", "--data-dir", str(data_dir)],
        capture_output=True, text=True, check=True,
    ).stdout.strip().splitlines()[-1]
    url = f"http://127.0.0.1:{port}/api/v1/mode"
    assert httpx.get(url, trust_env=False).status_code == 401
    response = httpx.get(url, headers={"Authorization": f"Bearer {secret}"}, trust_env=False)
    assert response.status_code == 200


def test_bind_is_loopback_only(running) -> None:
    port, _process, _ = running
    wait_healthy(port)
    listeners = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                listeners.append(address)
    assert listeners == ["0100007F"]


def test_open_writes_a_private_single_use_launch_file_for_the_running_companion(running) -> None:
    port, _, data_dir = running
    wait_healthy(port)
    result = subprocess.run(
        [sys.executable, "-m", "companion", "open", "rules", "--port", str(port),
         "--data-dir", str(data_dir), "--no-browser"],
        capture_output=True, text=True, check=True,
    )
    launch = Path(result.stdout.strip().rsplit(" ", 1)[-1])
    assert stat.S_IMODE(launch.stat().st_mode) == 0o600
    page = launch.read_text()
    token = page.split("#lt=", 1)[1].split("&", 1)[0]
    assert f"http://127.0.0.1:{port}/" in page and "view=rules" in page
    url = f"http://127.0.0.1:{port}/api/session"
    first = httpx.post(url, json={"lt": token}, trust_env=False)
    assert first.status_code == 201
    assert httpx.post(url, json={"lt": token}, trust_env=False).status_code == 401


def test_open_with_a_data_folder_no_companion_used_says_so_and_creates_nothing(
    tmp_path: Path,
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "companion", "open", "--port", str(free_port()),
         "--data-dir", str(tmp_path / "never"), "--no-browser"],
        capture_output=True, text=True,
    )
    assert result.returncode == 1
    assert "--data-dir" in result.stderr
    assert not (tmp_path / "never").exists()


def test_open_without_a_running_companion_is_a_clear_error(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "companion", "pair", "--data-dir", str(tmp_path)],
                   capture_output=True, check=True)
    result = subprocess.run(
        [sys.executable, "-m", "companion", "open", "--port", str(free_port()),
         "--data-dir", str(tmp_path), "--no-browser"],
        capture_output=True, text=True,
    )
    assert result.returncode == 1
    assert "yiwaiwai run" in result.stderr
