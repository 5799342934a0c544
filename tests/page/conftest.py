"""Real-browser fixtures: the real companion (demo sandbox) on a real port, Debian Chromium.

Each test module gets one companion and one browser (starting them is most of a
browser test's cost); each test gets its own browser context, so cookies and
session storage never cross tests. Everything in this folder runs on one event
loop per module (marked below), shared by the companion, Playwright and the test.
Tests skip, with the reason printed, only when Chromium is not installed.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio
from aiohttp import web
from pytest_asyncio import is_async_test

from companion.settings import Settings
from companion.web.app import create_app
from companion.web.keys import connection_key, sessions_key
from companion.web.sessions import page_url
from tests.module_app import module_companion, module_settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-gpu",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
HERE = Path(__file__).resolve().parent
ONE_LOOP_PER_MODULE = pytest.mark.asyncio(loop_scope="module")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every async test here runs on its module's loop (the one the shared fixtures use)."""
    for item in items:
        if item.path.resolve().is_relative_to(HERE) and is_async_test(item):
            item.add_marker(ONE_LOOP_PER_MODULE, append=False)


settings = module_settings()
companion = module_companion()


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


@pytest.fixture(scope="module")
def chromium() -> Path:
    if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
        message = f"Chromium not found at {CHROMIUM}: browser tests skipped"
        print(message)
        pytest.skip(message)
    return CHROMIUM


FAST_POLLING = {"poll_fast_s": 0.05, "poll_slow_s": 0.2, "poll_active_for_s": 5}


@pytest_asyncio.fixture(scope="module", loop_scope="module")
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


@pytest_asyncio.fixture(scope="module", loop_scope="module")
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


@pytest_asyncio.fixture(loop_scope="module")
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
