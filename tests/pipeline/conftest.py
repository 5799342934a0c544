"""Fixtures: the real companion app with its pipeline, on the real demo sandbox, over sockets.

`rig` installs a small rule set, makes polling fast, starts the app through
`create_app` (which starts the embedded sandbox), and gives helpers to inject
buyer messages and read what the sandbox received.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiohttp.test_utils import TestClient

from companion.rules.models import Rule
from companion.rules.repository import RuleRepository
from companion.settings import Settings
from companion.web.app import create_app
from companion.web.keys import connection_key
from companion.web.routes_pipeline import pipeline_key

TEST_RULES = [
    {"id": "order-status", "name": "order status", "priority": 500,
     "when": {"intents": ["order_status"], "has_order": True}, "action": "auto_reply",
     "templates": {"en": "Order {{order_sn}} status: {{order_status}}."}},
    {"id": "tracking", "name": "tracking", "priority": 500,
     "when": {"intents": ["tracking_number"], "has_order": True}, "action": "auto_reply",
     "templates": {"en": "Order {{order_sn}} tracking number: {{tracking_number}}."}},
    {"id": "greeting", "name": "greeting", "priority": 100,
     "when": {"intents": ["greeting"]}, "action": "auto_reply",
     "templates": {"en": "Hello! How can we help you today?"}},
    {"id": "refund", "name": "refund to a person", "priority": 400,
     "when": {"intents": ["return_refund"]}, "action": "escalate"},
]
FAST = {"poll_fast_s": 0.05, "poll_slow_s": 0.2, "poll_active_for_s": 5,
        "takeover_pause_s": 600}


def write_setup(data_dir: Path, rules: list[dict[str, Any]], config: dict[str, Any]) -> None:
    repo = RuleRepository.open(data_dir)
    try:
        repo.install([Rule.model_validate(r) for r in rules], "test rules")
    finally:
        repo.close()
    (data_dir / "pipeline.json").write_text(json.dumps(config), encoding="utf-8")


async def until(check: Callable[[], Any], timeout: float = 8.0) -> Any:
    """Poll `check` (sync or async) until it returns something truthy."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = check()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.05)


@dataclass
class Rig:
    """The running companion plus a client of its sandbox."""

    companion: TestClient
    sandbox: httpx.AsyncClient
    auth: dict[str, str]

    @property
    def app(self) -> Any:
        return self.companion.server.app

    @property
    def pipeline(self) -> Any:
        return self.app[pipeline_key]

    @property
    def shop_id(self) -> str:
        return self.app[connection_key].shops[0].shop_id

    async def set_auto(self, auto: bool) -> None:
        resp = await self.companion.put("/api/v1/mode", json={"auto": auto}, headers=self.auth)
        assert resp.status == 200

    async def order(self, status: str) -> dict[str, Any]:
        orders = (await self.sandbox.get("/sandbox/v1/orders",
                                         params={"status": status, "shop_id": self.shop_id})
                  ).json()["orders"]
        return orders[0]

    async def inject(self, text: str, **fields: Any) -> dict[str, Any]:
        resp = await self.sandbox.post("/sandbox/v1/buyer_messages",
                                       json={"text": text, "shop_id": self.shop_id, **fields})
        resp.raise_for_status()
        return resp.json()

    async def messages(self, conversation_id: str) -> list[dict[str, Any]]:
        resp = await self.sandbox.get(f"/sandbox/v1/conversations/{conversation_id}/messages")
        return resp.json()["messages"]

    async def shop_replies_after(self, injected: dict[str, Any]) -> list[dict[str, Any]]:
        after = int(injected["created_timestamp_nano"])
        return [m for m in await self.messages(injected["conversation_id"])
                if m["direction"] == "shop" and int(m["created_timestamp_nano"]) > after]

    def decision(self, injected: dict[str, Any]) -> Any:
        return self.pipeline.store.decisions.for_message(self.shop_id, injected["message_id"])

    async def until(self, check: Callable[[], Any], timeout: float = 8.0) -> Any:
        """Poll `check` (sync or async) until it returns something truthy."""
        return await until(check, timeout)

    async def processed(self, injected: dict[str, Any]) -> Any:
        """Wait until the message is decided and marked processed; return the decision."""
        def done() -> Any:
            stored = self.pipeline.store.messages.get(self.shop_id, injected["message_id"])
            return stored is not None and stored.state == "processed" and self.decision(injected)
        await self.until(done)
        return self.decision(injected)


@pytest.fixture
def rules() -> list[dict[str, Any]]:
    return TEST_RULES


@pytest.fixture
def pipeline_config() -> dict[str, Any]:
    return dict(FAST)


@pytest.fixture
async def rig(aiohttp_client: Any, settings: Settings, auth: dict[str, str],
              rules: list[dict[str, Any]], pipeline_config: dict[str, Any]
              ) -> AsyncIterator[Rig]:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    write_setup(settings.data_dir, rules, pipeline_config)
    companion = await aiohttp_client(create_app(settings))
    url = companion.server.app[connection_key].sandbox_url
    async with httpx.AsyncClient(base_url=url, trust_env=False, timeout=20) as sandbox:
        yield Rig(companion, sandbox, auth)
