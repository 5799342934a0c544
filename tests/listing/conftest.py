"""Fixtures: the real sandbox shop (seed 7) on 127.0.0.1, read through the real client."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from companion.listing.evaluate import sandbox_knowledge
from companion.listing.knowledge import KnowledgeStore, ShopKnowledge
from companion.sandbox.app import create_sandbox_app
from companion.shopee.auth import Redirect, exchange_code
from companion.shopee.client import ShopeeClient
from companion.shopee.session import RetryPolicy
from companion.shopee.tokens import TokenStore

SEED = 7


async def _no_sleep(_seconds: float) -> None:
    """Retries back off instantly: the tests wait for nothing."""


@dataclass
class Sandbox:
    """The running sandbox, an authorized client for both shops, and a knowledge store."""

    http: httpx.AsyncClient
    client: ShopeeClient
    shops: dict[str, str]  # region -> shop_id
    store: KnowledgeStore

    async def knowledge(self, region: str) -> ShopKnowledge:
        return await self.store.refresh(self.client, self.shops[region], region=region)


@pytest.fixture
async def sandbox(aiohttp_server, tmp_path: Path) -> AsyncIterator[Sandbox]:
    server = await aiohttp_server(create_sandbox_app(seed=SEED, fault_timeout=0.5))
    base = f"http://127.0.0.1:{server.port}"
    async with httpx.AsyncClient(base_url=base, trust_env=False) as http:
        creds = (await http.get("/sandbox/v1/credentials")).json()
        client = ShopeeClient(partner_id=creds["partner_id"], partner_key=creds["partner_key"],
                              base_url=base, token_store=TokenStore(tmp_path / "tokens"),
                              sleep=_no_sleep, retry=RetryPolicy(attempts=2), timeout=2.0)
        shops = {}
        for shop in creds["shops"]:
            code = (await http.post("/sandbox/v1/auth_code",
                                    json={"shop_id": shop["shop_id"]})).json()["code"]
            await exchange_code(client, Redirect(code, shop_id=str(shop["shop_id"])))
            shops[shop["region"]] = str(shop["shop_id"])
        try:
            yield Sandbox(http, client, shops, KnowledgeStore(tmp_path / "home"))
        finally:
            await client.aclose()


@pytest.fixture(scope="session")
def demo_shops(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ShopKnowledge]:
    """Both demo shops read once per session through the real client from the demo sandbox
    (the same seed-7 world `yiwaiwai --demo` serves); items are immutable, so sharing is safe."""
    return asyncio.run(sandbox_knowledge(tmp_path_factory.mktemp("listing-demo")))


@pytest.fixture
def my_shop(demo_shops: dict[str, ShopKnowledge]) -> ShopKnowledge:
    """The MY shop (English listings)."""
    return demo_shops["MY"]


@pytest.fixture
def tw_shop(demo_shops: dict[str, ShopKnowledge]) -> ShopKnowledge:
    """The TW shop (Traditional Chinese listings)."""
    return demo_shops["TW"]
