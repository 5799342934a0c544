"""Fixtures: the real sandbox shop on 127.0.0.1 under a clock the test moves, and the real client.

`world.service()` builds a FollowupService on the follow-ups file in tmp_path;
calling it again after `world.restart()` is a companion restart on the same
file. The sandbox, the Shopee client and the service all read `world.clock`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from companion.connection import Shop
from companion.followups import FollowupDB, FollowupService
from companion.followups.schedule import Followup
from companion.sandbox.app import create_sandbox_app
from companion.shopee.auth import Redirect, exchange_code
from companion.shopee.client import ShopeeClient
from companion.shopee.tokens import TokenStore

START = 1_760_000_000.0  # 2025-10-09 16:53 in Kuala Lumpur (the MY shop's market time)
HOUR = 3600.0
DAY = 86400.0


class FakeClock:
    """A clock tests move forward; sandbox, client and service all read it."""

    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def never_blocked(_shop_id: str) -> str | None:
    return None


@dataclass
class World:
    clock: FakeClock
    sandbox: httpx.AsyncClient
    client: ShopeeClient
    shops: dict[str, Shop]
    data_dir: Path
    db: FollowupDB | None = None
    opened: list[FollowupDB] = field(default_factory=list)

    @property
    def shop_id(self) -> str:
        return next(iter(self.shops))

    def service(self, *, auto: bool = False, store: Any = None) -> FollowupService:
        """A service on the follow-ups file; `auto`: the shop is in auto mode, not paused."""
        self.db = FollowupDB.open(self.data_dir)
        self.opened.append(self.db)
        return FollowupService(
            client=self.client, shops=self.shops, db=self.db, clock=self.clock, store=store,
            auto_blocker=never_blocked if auto else (lambda _s: "auto_mode_off"),
            first_lookback_s=30)

    def restart(self) -> None:
        """The companion stops (the file stays); build a new service afterwards."""
        if self.db is not None:
            self.db.close()
            self.db = None

    async def order(self, status: str, skip: int = 0) -> dict[str, Any]:
        orders = (await self.sandbox.get("/sandbox/v1/orders", params={
            "status": status, "shop_id": self.shop_id})).json()["orders"]
        return orders[skip]

    async def set_status(self, order_sn: str, status: str) -> None:
        resp = await self.sandbox.post(f"/sandbox/v1/orders/{order_sn}/status",
                                       json={"status": status})
        resp.raise_for_status()

    async def buyer_says(self, text: str, **fields: Any) -> dict[str, Any]:
        resp = await self.sandbox.post("/sandbox/v1/buyer_messages",
                                       json={"text": text, "shop_id": self.shop_id, **fields})
        resp.raise_for_status()
        return resp.json()

    async def shop_messages(self, conversation_id: str | None, after: float = START
                            ) -> list[dict[str, Any]]:
        """Shop messages of a conversation sent at or after `after` (not the seeded history)."""
        if conversation_id is None:
            return []
        resp = await self.sandbox.get(f"/sandbox/v1/conversations/{conversation_id}/messages")
        return [m for m in resp.json()["messages"] if m["direction"] == "shop"
                and int(m["created_timestamp_nano"]) >= int(after * 1_000_000_000)]

    async def buyer_conversation(self, buyer_id: str) -> str | None:
        buyers = (await self.sandbox.get("/sandbox/v1/buyers",
                                         params={"shop_id": self.shop_id})).json()["buyers"]
        found = next(b for b in buyers if str(b["buyer_id"]) == str(buyer_id))
        return found["conversation_id"]

    async def vouchers(self) -> list[dict[str, Any]]:
        payload = await self.client.get("/api/v2/voucher/get_voucher_list", self.shop_id,
                                        status="all", page_no=1, page_size=100)
        return payload["voucher_list"]

    async def step(self, service: FollowupService, seconds: float, every: float = 5 * DAY
                   ) -> None:
        """Move time forward as a running companion would see it: a round every `every` s."""
        remaining = seconds
        while remaining > 0:
            hop = min(every, remaining)
            self.clock.advance(hop)
            remaining -= hop
            await service.tick()


def no_refusals(service: FollowupService) -> None:
    """Shopee never refused one of our sends: the restrictions were checked first."""
    refused = [r for r in service.schedule.list(limit=500)
               if r.reason.startswith(("shopee_refused", "send_failed")) or r.state == "failed"]
    assert refused == []


def only(rows: list[Followup], order_sn: str, plan: str) -> Followup:
    found = [r for r in rows if r.order_sn == order_sn and r.plan == plan]
    assert len(found) == 1, found
    return found[0]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def world(aiohttp_server: Any, tmp_path: Path, clock: FakeClock) -> AsyncIterator[World]:
    server = await aiohttp_server(create_sandbox_app(seed=7, clock=clock))
    base = f"http://127.0.0.1:{server.port}"
    async with httpx.AsyncClient(base_url=base, trust_env=False, timeout=10) as sandbox:
        creds = (await sandbox.get("/sandbox/v1/credentials")).json()
        entry = creds["shops"][0]
        client = ShopeeClient(partner_id=int(creds["partner_id"]),
                              partner_key=str(creds["partner_key"]), base_url=base,
                              token_store=TokenStore(tmp_path / "tokens"), clock=clock)
        code = (await sandbox.post("/sandbox/v1/auth_code",
                                   json={"shop_id": entry["shop_id"]})).json()["code"]
        await exchange_code(client, Redirect(code, shop_id=str(entry["shop_id"])))
        shop = Shop(str(entry["shop_id"]), str(entry["region"]), str(entry["name"]))
        world = World(clock, sandbox, client, {shop.shop_id: shop}, tmp_path / "home")
        try:
            yield world
        finally:
            for db in world.opened:
                db.close()
            await client.aclose()
