"""Real-browser fixtures: the real companion (demo sandbox) on a real port, Debian Chromium.

The companion runs in the test's event loop (aiohttp `AppRunner` on 127.0.0.1,
port 0), the browser through Playwright's async API, so both share one loop.
Tests skip, with the reason printed, only when Chromium is not installed.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiohttp import web

from companion.settings import Settings
from companion.web.app import create_app
from companion.web.keys import connection_key, sessions_key
from companion.web.sessions import page_url

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-gpu",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


@dataclass
class LiveCompanion:
    """The running companion: its app, address and the demo sandbox address."""

    app: web.Application
    port: int

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def sandbox_url(self) -> str:
        url = self.app[connection_key].sandbox_url
        assert url is not None
        return url

    def open_url(self, view: str = "dashboard") -> str:
        """What the tray opens: the page with a fresh one-time launch token in the fragment."""
        return page_url(self.port, self.app[sessions_key].issue_launch_token(), view)


@pytest.fixture
def chromium() -> Path:
    if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
        message = f"Chromium not found at {CHROMIUM}: browser tests skipped"
        print(message)
        pytest.skip(message)
    return CHROMIUM


FAST_POLLING = {"poll_fast_s": 0.05, "poll_slow_s": 0.2, "poll_active_for_s": 5}


@pytest.fixture
async def live(settings: Settings) -> AsyncIterator[LiveCompanion]:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    (settings.data_dir / "pipeline.json").write_text(json.dumps(FAST_POLLING), encoding="utf-8")
    runner = web.AppRunner(create_app(settings), handle_signals=False, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, reuse_address=False)
    await site.start()
    try:
        yield LiveCompanion(runner.app, runner.addresses[0][1])
    finally:
        await runner.cleanup()


@pytest.fixture
async def browser(chromium: Path) -> AsyncIterator[object]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            await browser.close()


@pytest.fixture
async def page(browser) -> AsyncIterator[object]:  # type: ignore[no-untyped-def]
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if msg.type == "error" else None,
    )
    page.js_errors = errors  # type: ignore[attr-defined]
    try:
        yield page
    finally:
        await context.close()
