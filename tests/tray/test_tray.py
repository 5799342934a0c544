"""The real tray (pystray xorg backend under Xvfb) driving a real companion in a worker thread."""

from __future__ import annotations

import asyncio
import os
import stat
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import httpx
import pytest

from companion.locales import strings
from companion.pairing import load_or_create_secret
from companion.settings import Settings
from companion.traybridge import ServerThread, ThreadBridge

pytestmark = pytest.mark.tray


@dataclass
class Running:
    tray: object
    server: ServerThread
    bridge: ThreadBridge
    settings: Settings
    opened: list[str]
    icon_thread: threading.Thread

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.settings.port}{path}"

    def item(self, text: str):  # type: ignore[no-untyped-def]
        for entry in self.tray.icon.menu.items:
            if entry.text == text:
                return entry
        raise AssertionError(f"no menu item {text!r}")


def wait_for(check: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.02)


@pytest.fixture
def running(xvfb: str, tray_settings: Settings) -> Iterator[Running]:
    """Server thread + tray icon (run in a daemon thread, never run_detached on xorg)."""
    from companion.tray import Tray

    opened: list[str] = []

    def opener(url: str) -> bool:
        opened.append(url)
        return True

    server = ServerThread(tray_settings, opener=opener)
    bridge = server.start()
    tray = Tray(bridge, strings("tray", "en"), server_alive=server.is_alive)
    thread = threading.Thread(target=tray.run, daemon=True)
    thread.start()
    wait_for(lambda: tray.icon.visible)
    run = Running(tray, server, bridge, tray_settings, opened, thread)
    yield run
    if server.is_alive():
        tray.quit()
    server.join(15)
    thread.join(5)
    run.tray = None  # pytest keeps fixture values: let the icon's X connection go now


def picture(run: Running) -> bytes:
    return run.tray.icon.icon.tobytes()


def test_the_auto_reply_item_switches_auto_mode_and_the_icon(running: Running) -> None:
    before = picture(running)
    item = running.item("Auto-reply")
    assert item.checked is False

    item(running.tray.icon)

    assert running.bridge.status().auto is True
    assert item.checked is True
    assert picture(running) != before
    assert "auto-reply on" in running.tray.icon.title
    secret = load_or_create_secret(running.settings.data_dir)
    mode = httpx.get(running.url("/api/v1/mode"), headers={"Authorization": f"Bearer {secret}"})
    assert mode.json()["auto"] is True


def test_pausing_stops_automation_for_thirty_minutes_and_resume_ends_it(
    running: Running,
) -> None:
    running.item("Auto-reply")(running.tray.icon)
    auto_on = picture(running)

    running.item("Pause for 30 minutes")(running.tray.icon)

    status = running.bridge.status()
    assert status.paused
    assert 29 * 60 < status.paused_until - time.time() <= 30 * 60
    assert picture(running) != auto_on
    secret = load_or_create_secret(running.settings.data_dir)
    pause = httpx.get(running.url("/api/v1/pause"), headers={"Authorization": f"Bearer {secret}"})
    assert pause.json()["paused"] is True
    resume = [e for e in running.tray.icon.menu.items if str(e.text).startswith("Resume now")]
    assert len(resume) == 1

    resume[0](running.tray.icon)

    assert not running.bridge.status().paused
    assert picture(running) == auto_on


def test_open_dashboard_writes_a_private_one_time_launch_file(running: Running) -> None:
    running.item("Open dashboard")(running.tray.icon)

    assert len(running.opened) == 1
    path = Path(unquote(urlparse(running.opened[0]).path))
    assert path.name == f"open-{os.getpid()}.html"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    page = path.read_text()
    marker = "#lt="
    token = page[page.index(marker) + len(marker) :].split("&", 1)[0]
    assert f"http://127.0.0.1:{running.settings.port}/#lt=" in page
    assert "view=dashboard" in page

    first = httpx.post(running.url("/api/session"), json={"lt": token})
    again = httpx.post(running.url("/api/session"), json={"lt": token})

    assert first.status_code == 201
    assert again.status_code == 401
    session = first.json()["token"]
    mode = httpx.get(running.url("/api/v1/mode"), headers={"Authorization": f"Bearer {session}"})
    assert mode.status_code == 200


def test_open_rule_editor_asks_for_the_rules_view(running: Running) -> None:
    running.item("Open rule editor")(running.tray.icon)

    page = Path(unquote(urlparse(running.opened[0]).path)).read_text()
    assert "view=rules" in page


def test_copy_pairing_secret_uses_the_clipboard_tool(
    running: Running, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    clip = tmp_path / "clipboard.txt"
    fake = bin_dir / "xclip"
    fake.write_text(f"#!/bin/sh\ncat > {clip}\n")
    fake.chmod(0o700)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")

    running.item("Copy pairing secret")(running.tray.icon)

    assert clip.read_text() == load_or_create_secret(running.settings.data_dir)
    assert "copied" in running.tray.icon.title


def test_copy_pairing_secret_shows_it_when_no_clipboard_tool_exists(
    running: Running, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))

    running.item("Copy pairing secret")(running.tray.icon)

    assert load_or_create_secret(running.settings.data_dir) in running.tray.icon.title


def test_an_escalation_shows_a_notice_and_a_badge(running: Running) -> None:
    from companion.pipeline.events import ESCALATION_RAISED
    from companion.web import keys

    app = running.bridge._app
    bus, store = app[keys.bus_key], app[keys.store_key]
    before = picture(running)

    async def escalate() -> None:
        store.escalations.raise_("1", "c-42", "negative_mood")
        bus.publish(ESCALATION_RAISED, {"conversation_id": "c-42", "reason": "negative_mood"})

    asyncio.run_coroutine_threadsafe(escalate(), running.bridge._loop).result(5)
    running.tray.refresh()

    assert "c-42" in running.tray.icon.title
    assert running.bridge.status().escalations == 1
    assert picture(running) != before


def test_quit_stops_the_server_and_the_icon(running: Running) -> None:
    running.item("Quit")(running.tray.icon)

    running.server.join(15)
    running.icon_thread.join(5)
    assert not running.server.is_alive()
    assert not running.icon_thread.is_alive()
    with pytest.raises(httpx.ConnectError):
        httpx.get(running.url("/api/v1/health"))


def test_the_menu_speaks_the_system_language(running: Running) -> None:
    from companion.tray import Tray

    texts = [
        str(item.text)
        for item in Tray(running.bridge, strings("tray", "zh-Hant")).icon.menu.items
        if item.text
    ]

    assert "自動回覆" in texts
    assert "結束" in texts
