"""The shop connection: one Shopee client plus the shops it serves, real or demo.

With no shop configured (or `--demo`) the embedded sandbox shop is started on
127.0.0.1 and reached through the *real* client and the real authorization
flow, so demo mode exercises exactly the code a real shop uses.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

import httpx
from aiohttp import web

from companion.logsetup import SecretRegistry
from companion.securefile import ensure_private_dir
from companion.settings import Settings
from companion.shopee import ShopeeClient, TokenStore
from companion.shopee.auth import authorization_url, exchange_code, parse_redirect
from companion.shopee.config import build_client

log = logging.getLogger(__name__)

# send_autoreply_message exists in every market but Taiwan (shopee-open-platform.md 7.1).
NO_AUTOREPLY_REGIONS = frozenset({"TW"})
DEMO_SEED = 7


@dataclass(frozen=True, slots=True)
class Shop:
    """One shop the companion serves."""

    shop_id: str
    region: str
    name: str

    @property
    def auto_reply_endpoint(self) -> bool:
        """Whether automatic replies can be flagged as such here; if not, auto means suggest."""
        return self.region.upper() not in NO_AUTOREPLY_REGIONS

    def public(self) -> dict[str, object]:
        return {
            "shop_id": self.shop_id,
            "region": self.region,
            "name": self.name,
            "auto_reply_endpoint": self.auto_reply_endpoint,
        }


@dataclass(frozen=True, slots=True)
class ShopConnection:
    """What the rest of the companion needs to talk to Shopee."""

    client: ShopeeClient
    shops: tuple[Shop, ...]
    demo: bool
    sandbox_url: str | None = None
    secrets: SecretRegistry | None = None

    def shop(self, shop_id: str) -> Shop | None:
        return next((s for s in self.shops if s.shop_id == str(shop_id)), None)


@asynccontextmanager
async def open_connection(settings: Settings) -> AsyncIterator[ShopConnection]:
    """Connect to the configured shops, or start and connect to the demo sandbox."""
    opener = _demo_connection if settings.demo_mode else _live_connection
    async with opener(settings) as connection:
        yield connection


@asynccontextmanager
async def _live_connection(settings: Settings) -> AsyncIterator[ShopConnection]:
    secrets = SecretRegistry()
    client = build_client(settings, settings.shops[0], secrets=secrets)
    try:
        shops = tuple([await _describe(client, cfg.shop_id, cfg.region) for cfg in settings.shops])
        yield ShopConnection(client=client, shops=shops, demo=False, secrets=secrets)
    finally:
        await client.aclose()


async def _describe(client: ShopeeClient, shop_id: str, region: str) -> Shop:
    info = await client.get_shop_info(shop_id)
    return Shop(shop_id=str(shop_id), region=(info.region or region).upper(), name=info.shop_name)


@asynccontextmanager
async def _demo_connection(settings: Settings) -> AsyncIterator[ShopConnection]:
    from companion.sandbox.app import create_sandbox_app

    sandbox = create_sandbox_app(DEMO_SEED, buyers_per_minute=settings.buyers_per_minute)
    runner = web.AppRunner(sandbox, handle_signals=False, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", settings.sandbox_port, reuse_address=False)
        await site.start()
        port = runner.addresses[0][1]
        url = f"http://127.0.0.1:{port}"
        async with _demo_client(settings, url) as connection:
            yield connection
    finally:
        await runner.cleanup()


@asynccontextmanager
async def _demo_client(settings: Settings, url: str) -> AsyncIterator[ShopConnection]:
    async with httpx.AsyncClient(base_url=url, trust_env=False, timeout=10) as http:
        credentials = (await http.get("/sandbox/v1/credentials")).raise_for_status().json()
    secrets = SecretRegistry()
    # The sandbox lives in memory, so its tokens are fresh each start and kept apart from real ones.
    client = ShopeeClient(
        partner_id=int(credentials["partner_id"]),
        partner_key=str(credentials["partner_key"]),
        base_url=url,
        token_store=TokenStore(ensure_private_dir(settings.data_dir / "demo")),
        secrets=secrets,
    )
    try:
        shops = []
        for entry in credentials["shops"]:
            await _authorize_demo_shop(
                client, url, str(credentials["partner_key"]), str(entry["shop_id"])
            )
            shops.append(await _describe(client, str(entry["shop_id"]), str(entry["region"])))
        log.info("demo shop ready at %s", url)
        yield ShopConnection(
            client=client, shops=tuple(shops), demo=True, sandbox_url=url, secrets=secrets
        )
    finally:
        await client.aclose()


async def _authorize_demo_shop(
    client: ShopeeClient, url: str, partner_key: str, shop_id: str
) -> None:
    """Run the real consent flow against the sandbox: signed link -> redirect -> code exchange."""
    link = authorization_url(
        url, client.partner_id, partner_key, "http://127.0.0.1/demo-callback", int(time.time())
    )
    async with httpx.AsyncClient(trust_env=False, timeout=10, follow_redirects=False) as http:
        # `shop_id` on the link is the sandbox's way of choosing which seeded shop consents.
        response = await http.get(f"{link}&shop_id={shop_id}")
    if response.status_code != 302:
        raise RuntimeError(f"demo authorization failed with HTTP {response.status_code}")
    redirect = parse_redirect(dict(parse_qsl(urlsplit(response.headers["location"]).query)))
    await exchange_code(client, redirect)
