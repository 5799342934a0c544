"""Set-up shared by the protocol and browser tests: a small rule set, fast polling, sandbox calls.

Auto mode starts off, so the order-status rule's reply comes out as a suggestion (the
overlay's main case) and the refund rule escalates.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.pipeline.conftest import write_setup

RULES = [
    {"id": "order-status", "name": "order status", "priority": 500,
     "when": {"intents": ["order_status"], "has_order": True}, "action": "auto_reply",
     "templates": {"en": "Order {{order_sn}} status: {{order_status}}."}},
    {"id": "greeting", "name": "greeting", "priority": 100,
     "when": {"intents": ["greeting"]}, "action": "suggest",
     "templates": {"en": "Hello! How can we help you today?"}},
    {"id": "refund", "name": "refund to a person", "priority": 400,
     "when": {"intents": ["return_refund"]}, "action": "escalate"},
]  # fmt: skip
FAST = {"poll_fast_s": 0.05, "poll_slow_s": 0.2, "poll_active_for_s": 30, "takeover_pause_s": 600}


def prepare(data_dir: Path) -> None:
    """Install the rules and the fast polling config before the app starts."""
    data_dir.mkdir(parents=True, exist_ok=True)
    write_setup(data_dir, RULES, FAST)


@dataclass
class Sandbox:
    """The embedded sandbox's test routes."""

    http: httpx.AsyncClient
    shop_id: str

    async def order(self, status: str = "SHIPPED", index: int = 0) -> dict[str, Any]:
        """The `index`-th order in `status` (different indexes: usually different buyers)."""
        params = {"status": status, "shop_id": self.shop_id}
        orders = (await self.http.get("/sandbox/v1/orders", params=params)).json()["orders"]
        return orders[index]  # type: ignore[no-any-return]

    async def inject(self, text: str, **fields: Any) -> dict[str, Any]:
        body = {"text": text, "shop_id": self.shop_id, **fields}
        response = await self.http.post("/sandbox/v1/buyer_messages", json=body)
        response.raise_for_status()
        return response.json()  # type: ignore[no-any-return]

    async def shop_replies(self, injected: dict[str, Any]) -> list[dict[str, Any]]:
        url = f"/sandbox/v1/conversations/{injected['conversation_id']}/messages"
        after = int(injected["created_timestamp_nano"])
        messages = (await self.http.get(url)).json()["messages"]
        return [
            m
            for m in messages
            if m["direction"] == "shop" and int(m["created_timestamp_nano"]) > after
        ]
