"""The overlay's protocol against the running pipeline: events, approve-and-send, resume."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from aiohttp.test_utils import TestClient

from companion.protocol import parse_server_frame
from companion.settings import Settings
from companion.web.app import create_app
from companion.web.keys import connection_key
from companion.web.routes_pipeline import pipeline_key
from tests.pipeline.conftest import until
from tests.web.ws_client import Client, pair
from tests.web.ws_rig import Sandbox, prepare


@pytest.fixture
async def rig(aiohttp_client: Any, settings: Settings) -> AsyncIterator[tuple[TestClient, Sandbox]]:
    prepare(settings.data_dir)
    companion = await aiohttp_client(create_app(settings))
    connection = companion.server.app[connection_key]
    async with httpx.AsyncClient(base_url=connection.sandbox_url, trust_env=False) as http:
        yield companion, Sandbox(http, connection.shops[0].shop_id)


async def _suggested(client: Client, sandbox: Sandbox) -> tuple[dict[str, Any], dict[str, Any]]:
    order = await sandbox.order("SHIPPED")
    injected = await sandbox.inject(
        f"Hi, where is my order {order['order_sn']}?", order_sn=order["order_sn"]
    )
    while True:
        event = await client.next_event("reply.suggested", timeout=8)
        if event["data"]["message_id"] == injected["message_id"]:
            return injected, event


async def test_a_buyer_message_arrives_classified_with_its_suggestion_and_reason(
    rig: tuple[TestClient, Sandbox], secret: str
) -> None:
    companion, sandbox = rig
    client = await pair(companion.port, secret)
    injected, suggested = await _suggested(client, sandbox)
    received = await client.next_event("message.received")
    classified = await client.next_event("chat.classified")
    for frame in (received, classified, suggested):
        parse_server_frame(frame)
        assert frame["seq"] > 0
    assert received["data"]["conversation_id"] == injected["conversation_id"]
    assert classified["data"]["intent"] == "order_status"
    assert classified["data"]["pillar"] == "logistics"
    assert classified["data"]["mood"] in {"neutral", "negative"}
    data = suggested["data"]
    assert data["suggestion_id"] == injected["message_id"]
    assert data["text"].startswith("Order ") and data["reason"] == "auto_mode_off"
    assert data["rule_id"] == "order-status"
    assert received["seq"] < classified["seq"] < suggested["seq"]
    await client.ws.close()


async def test_approve_and_send_lands_in_the_sandbox_exactly_once(
    rig: tuple[TestClient, Sandbox], secret: str
) -> None:
    companion, sandbox = rig
    client = await pair(companion.port, secret)
    injected, suggested = await _suggested(client, sandbox)
    text = suggested["data"]["text"] + " Thank you!"
    fields = {
        "shop_id": sandbox.shop_id,
        "conversation_id": injected["conversation_id"],
        "suggestion_id": suggested["data"]["suggestion_id"],
        "text": text,
    }
    first = await client.request("reply.send", **fields)
    second = await client.request("reply.send", **fields)
    assert first["ok"] is True and second["ok"] is True
    sent = await client.next_event("reply.sent")
    assert sent["data"]["via"] == "approved" and sent["data"]["text"] == text
    replies = await sandbox.shop_replies(injected)
    assert [m["content"]["text"] for m in replies] == [text]
    await client.ws.close()


async def test_a_reconnecting_client_gets_exactly_the_events_it_missed(
    rig: tuple[TestClient, Sandbox], secret: str
) -> None:
    companion, sandbox = rig
    client = await pair(companion.port, secret)
    await _suggested(client, sandbox)
    seen = [f["seq"] for f in await client.drain(0.5) if f.get("seq")]
    last = max([client.ready["last_seq"], *seen])
    await client.ws.close()
    injected = await sandbox.inject("hello")

    store = companion.server.app[pipeline_key].store

    def processed() -> bool:
        stored = store.messages.get(sandbox.shop_id, injected["message_id"])
        return stored is not None and stored.state == "processed"

    await until(processed)
    resumed = await pair(companion.port, secret, resume_from=last)
    frames = await resumed.drain(0.8)
    seqs = [f["seq"] for f in frames if f.get("seq")]
    assert seqs, "the missed events were not replayed"
    assert seqs == sorted(set(seqs)) and min(seqs) == last + 1
    assert seqs == list(range(last + 1, last + 1 + len(seqs)))
    assert any(
        f["type"] == "message.received" and f["data"]["message_id"] == injected["message_id"]
        for f in frames
    )
    await resumed.ws.close()


async def test_an_escalation_carries_the_12_hour_deadline_and_release_resolves_it(
    rig: tuple[TestClient, Sandbox], secret: str
) -> None:
    companion, sandbox = rig
    client = await pair(companion.port, secret)
    order = await sandbox.order("COMPLETED")
    injected = await sandbox.inject(
        f"The item is broken, I want a refund for {order['order_sn']}", order_sn=order["order_sn"]
    )
    raised = await client.next_event("escalation.raised", timeout=8)
    parse_server_frame(raised)
    assert raised["data"]["conversation_id"] == injected["conversation_id"]
    created = int(injected["created_timestamp_nano"]) / 1e9
    assert abs(raised["data"]["deadline_at"] - (created + 12 * 3600)) < 5
    result = await client.request(
        "conversation.release",
        shop_id=sandbox.shop_id,
        conversation_id=injected["conversation_id"],
    )
    assert result["ok"] is True
    resolved = await client.next_event("escalation.resolved")
    assert resolved["data"]["conversation_id"] == injected["conversation_id"]
    await client.ws.close()


async def test_a_page_message_is_ingested_as_a_claim_of_the_hosts_shop(
    rig: tuple[TestClient, Sandbox], secret: str
) -> None:
    companion, sandbox = rig
    client = await pair(companion.port, secret)
    result = await client.request(
        "page.message",
        host="seller.shopee.com.my",
        conversation_key="seller.shopee.com.my|alice",
        buyer_name="alice",
        text="hello, is this in stock?",
        fingerprint="abc123",
    )
    assert result["ok"] is True, result
    data = result["data"]
    assert data["shop_id"] == sandbox.shop_id and data["conversation_id"].startswith("page-")
    received = await client.next_event("message.received", timeout=5)
    assert received["data"]["source"] == "page" and received["data"]["verified"] is False
    again = await client.request(
        "page.message",
        host="seller.shopee.com.my",
        conversation_key="seller.shopee.com.my|alice",
        buyer_name="alice",
        text="hello, is this in stock?",
        fingerprint="abc123",
    )
    assert again["data"]["duplicate"] is True
    await client.ws.close()


async def test_a_page_message_from_a_market_without_a_shop_is_unknown_shop(
    rig: tuple[TestClient, Sandbox], secret: str
) -> None:
    companion, _sandbox = rig
    client = await pair(companion.port, secret)
    result = await client.request(
        "page.message",
        host="seller.shopee.co.id",
        conversation_key="k",
        text="halo",
        fingerprint="f",
    )
    assert result["ok"] is False and result["error"]["code"] == "unknown_shop"
    await client.ws.close()
