"""Real-browser fixtures: Debian's Chromium with the unpacked extension, the real companion.

One companion (with its embedded sandbox and pipeline) and one browser per test module.
Seller Centre pages are local fixtures served at the real Seller Centre URLs through
request interception, so the manifest's real `matches` are exercised and nothing
reaches Shopee. Screenshots go to `artifacts/extension/` (gitignored).
"""

from __future__ import annotations

import json
import shutil
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from aiohttp import web

from companion.pairing import load_or_create_secret
from companion.settings import resolve
from companion.web.app import create_app
from companion.web.keys import connection_key
from tests.web.ws_rig import Sandbox, prepare

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "extension"
FIXTURES = Path(__file__).parent / "fixtures"
ARTIFACTS = ROOT / "artifacts" / "extension"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
HOSTS = (
    "seller.shopee.cn", "seller.shopee.tw", "seller.shopee.co.id", "seller.shopee.com.my",
    "seller.shopee.co.th", "seller.shopee.ph", "seller.shopee.sg", "seller.shopee.com.br",
    "seller.shopee.com.mx", "seller.shopee.com.co", "seller.shopee.cl", "banhang.shopee.vn",
)  # fmt: skip
CHAT_PATHS = ("/new-webchat/conversations", "/webchat/conversations")
VENDOR = {
    "/__fixture__/react.js": FIXTURES / "vendor" / "react.production.min.js",
    "/__fixture__/react-dom.js": FIXTURES / "vendor" / "react-dom.production.min.js",
    "/__fixture__/webchat.js": FIXTURES / "webchat.js",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if Path(CHROMIUM).exists():
        return
    reason = f"Chromium not found at {CHROMIUM}: real-browser extension tests skipped"
    print(f"\n{reason}")
    for item in items:
        if "tests/extension" in str(item.fspath):
            item.add_marker(pytest.mark.skip(reason=reason))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Companion:
    """The running companion on a real port, its secret and its sandbox."""

    app: web.Application
    port: int
    secret: str
    sandbox: Sandbox

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def mode(self) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.secret}"}
        async with httpx.AsyncClient(trust_env=False) as http:
            return (await http.get(f"{self.url}/api/v1/mode", headers=headers)).json()  # type: ignore[no-any-return]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def companion_server(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Companion]:
    data_dir = tmp_path_factory.mktemp("companion") / "home"
    prepare(data_dir)
    port = free_port()
    settings = resolve(
        {"data_dir": data_dir, "demo": True, "tray": False, "buyers_per_minute": 0, "port": port},
        env={},
    )
    app = create_app(settings)
    runner = web.AppRunner(app, handle_signals=False, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    connection = app[connection_key]
    try:
        async with httpx.AsyncClient(base_url=connection.sandbox_url, trust_env=False) as http:
            sandbox = Sandbox(http, connection.shops[0].shop_id)
            yield Companion(app, port, load_or_create_secret(data_dir), sandbox)
    finally:
        await runner.cleanup()


@dataclass
class Browser:
    """The persistent context with the extension, plus what the fixture pages should show."""

    context: Any
    extension_id: str
    pages: dict[str, dict[str, Any]] = field(default_factory=dict)

    def ext_url(self, path: str) -> str:
        return f"chrome-extension://{self.extension_id}/{path}"

    async def worker(self) -> Any:
        workers = [w for w in self.context.service_workers if self.extension_id in w.url]
        if workers:
            return workers[0]
        return await self.context.wait_for_event("serviceworker", timeout=10_000)

    async def shot(self, page: Any, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def default_page(buyer: str = "buyer_one") -> dict[str, Any]:
    return {
        "current": 0,
        "conversations": [
            {
                "name": buyer,
                "messages": [
                    {"dir": "in", "text": "hi, I ordered yesterday", "time": "09:58"},
                    {"dir": "out", "text": "Thank you for your order!", "time": "09:59"},
                    {"dir": "in", "text": "ok", "time": "10:01"},
                ],
            },
            {"name": "someone_else", "messages": [{"dir": "in", "text": "hello", "time": "08:00"}]},
        ],
    }


async def _serve(browser: Browser, route: Any) -> None:
    url = httpx.URL(route.request.url)
    if url.path in VENDOR:
        await route.fulfill(body=VENDOR[url.path].read_bytes(), content_type="text/javascript")
        return
    if any(url.path.startswith(p) for p in CHAT_PATHS):
        data = browser.pages.get(url.host, default_page())
        html = (FIXTURES / "webchat.html").read_text(encoding="utf-8")
        body = html.replace("__FIXTURE_DATA__", json.dumps(data).replace("</", "<\\/"))
        await route.fulfill(body=body, content_type="text/html")
        return
    await route.fulfill(body="<html><body><h1>Seller Centre home</h1></body></html>",
                        content_type="text/html")  # fmt: skip


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def browser(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Browser]:
    from playwright.async_api import async_playwright

    profile = tmp_path_factory.mktemp("profile")
    async with async_playwright() as p:
        context = await p.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            args=[
                f"--disable-extensions-except={EXTENSION}",
                f"--load-extension={EXTENSION}",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
                "--disable-gpu",
            ],
        )
        workers = context.service_workers
        worker = workers[0] if workers else await context.wait_for_event("serviceworker")
        found = Browser(context, worker.url.split("/")[2])

        async def handler(route: Any) -> None:
            await _serve(found, route)

        for host in HOSTS:
            await context.route(f"https://{host}/**", handler)
        try:
            yield found
        finally:
            await context.close()
