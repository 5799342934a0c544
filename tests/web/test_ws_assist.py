"""Page assist without the chat API, buyer names, and the follow-up queue over the protocol."""

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


async def _event_for(client: Client, type_: str, key: str, value: Any) -> dict[str, Any]:
    while True:
        frame = await client.next_event(type_, timeout=8)
        if frame["data"].get(key) == value:
            parse_server_frame(frame)
            return frame


async def test_api_messages_carry_the_buyers_name_in_events_and_the_conversation_list(
    rig: tuple[TestClient, Sandbox], secret: str
) -> None:
    companion, sandbox = rig
    client = await pair(companion.port, secret)
    order = await sandbox.order("SHIPPED")
    injected = await sandbox.inject("hello", order_sn=order["order_sn"])
    received = await _event_for(client, "message.received", "message_id", injected["message_id"])
    assert received["data"]["buyer_name"] == order["buyer_username"]
    await _event_for(client, "reply.suggested", "message_id", injected["message_id"])
    listed = await client.request("conversations.list")
    row = next(c for c in listed["data"]["conversations"]
               if c["conversation_id"] == injected["conversation_id"])  # fmt: skip
    assert row["buyer_name"] == order["buyer_username"] and row["source"] == "api"
    await client.ws.close()


async def test_without_chat_api_a_page_claim_is_classified_and_suggested_never_sent(
    rig: tuple[TestClient, Sandbox], secret: str
) -> None:
    companion, sandbox = rig
    app = companion.server.app
    tw = app[connection_key].shops[1]
    assert tw.region == "TW"
    pipeline = app[pipeline_key]
    off = await sandbox.http.post("/sandbox/v1/chat_api",
                                  json={"shop_id": tw.shop_id, "enabled": False})  # fmt: skip
    assert off.json()["chat_api"] is False
    await until(lambda: not pipeline.pollers[tw.shop_id].chat_api)
    client = await pair(companion.port, secret)
    assert (await client.request("mode.set", auto=True))["ok"] is True
    result = await client.request(
        "page.message", host="seller.shopee.tw", conversation_key="seller.shopee.tw|mei_lin",
        buyer_name="mei_lin", text="hello", fingerprint="tw-1",
    )  # fmt: skip
    assert result["ok"] is True, result
    conversation_id = result["data"]["conversation_id"]
    assert result["data"]["shop_id"] == tw.shop_id and result["data"]["verified"] is False
    received = await _event_for(client, "message.received", "conversation_id", conversation_id)
    assert received["data"]["buyer_name"] == "mei_lin"
    assert received["data"]["source"] == "page"
    classified = await _event_for(client, "chat.classified", "conversation_id", conversation_id)
    assert classified["data"]["intent"] == "greeting"
    suggested = await _event_for(client, "reply.suggested", "conversation_id", conversation_id)
    assert suggested["data"]["text"] == "Hello! How can we help you today?"
    frames = await client.drain(0.5)
    assert not [f for f in frames if f["type"] == "reply.sent"], "a page claim was answered"
    listed = await client.request("conversations.list", shop_id=tw.shop_id)
    rows = listed["data"]["conversations"]
    row = next(c for c in rows if c["conversation_id"] == conversation_id)
    assert row["source"] == "page" and row["buyer_name"] == "mei_lin"
    assert row["suggestion"]["text"] == suggested["data"]["text"]
    await client.ws.close()


async def _contactable_orders(sandbox: Sandbox) -> list[dict[str, Any]]:
    """Shipped orders of buyers without an open return, who may still be contacted."""
    params = {"shop_id": sandbox.shop_id}
    buyers = (await sandbox.http.get("/sandbox/v1/buyers", params=params)).json()["buyers"]
    fine = {str(b["buyer_id"]) for b in buyers if not b["open_return"] and b["can_contact"]}
    orders = (await sandbox.http.get("/sandbox/v1/orders",
                                     params={**params, "status": "SHIPPED"})).json()["orders"]
    return [o for o in orders if str(o["buyer_id"]) in fine]


async def _queued_review_request(
    companion: TestClient, sandbox: Sandbox, auth: dict[str, str], index: int
) -> dict[str, Any]:
    """A delivered order whose review request is due now and queued for a person."""
    put = await companion.put("/api/v1/followups/settings", headers=auth, json={
        "shop_id": sandbox.shop_id, "quiet_start_hour": 0, "quiet_end_hour": 0,
        "plans": {"review_request": {"delay_hours": 0}}})  # fmt: skip
    assert put.status == 200
    order = (await _contactable_orders(sandbox))[index]
    moved = await sandbox.http.post(f"/sandbox/v1/orders/{order['order_sn']}/status",
                                    json={"status": "TO_CONFIRM_RECEIVE"})  # fmt: skip
    moved.raise_for_status()
    assert (await companion.post("/api/v1/followups/run", headers=auth)).status == 200
    return order


async def test_a_queued_follow_up_is_listed_with_its_reason_and_sent_once_by_a_person(
    rig: tuple[TestClient, Sandbox], secret: str, auth: dict[str, str]
) -> None:
    companion, sandbox = rig
    client = await pair(companion.port, secret)
    order = await _queued_review_request(companion, sandbox, auth, index=0)
    queued = await _event_for(client, "followup.queued", "order_sn", order["order_sn"])
    assert queued["data"]["reason"] and order["order_sn"] in queued["data"]["text"]
    listed = await client.request("followups.list")
    item = next(f for f in listed["data"]["followups"] if f["order_sn"] == order["order_sn"])
    assert item["state"] == "queued" and item["reason"] == queued["data"]["reason"]
    assert item["plan"] == "review_request"
    text = item["text"] + " :)"
    sent = await client.request("followup.send", followup_id=item["followup_id"], text=text)
    assert sent["ok"] is True, sent
    again = await client.request("followup.send", followup_id=item["followup_id"], text=text)
    assert again["ok"] is False and again["error"]["code"] == "conflict"
    event = await _event_for(client, "followup.sent", "followup_id", item["followup_id"])
    assert event["data"]["text"] == text
    url = f"/sandbox/v1/conversations/{sent['data']['conversation_id']}/messages"
    messages = (await sandbox.http.get(url)).json()["messages"]
    texts = [m["content"].get("text") for m in messages if m["direction"] == "shop"]
    assert texts.count(text) == 1
    listed = await client.request("followups.list")
    assert item["followup_id"] not in [f["followup_id"] for f in listed["data"]["followups"]]
    await client.ws.close()


async def test_a_dismissed_follow_up_leaves_the_queue_and_is_never_sent(
    rig: tuple[TestClient, Sandbox], secret: str, auth: dict[str, str]
) -> None:
    companion, sandbox = rig
    client = await pair(companion.port, secret)
    order = await _queued_review_request(companion, sandbox, auth, index=1)
    queued = await _event_for(client, "followup.queued", "order_sn", order["order_sn"])
    followup_id = queued["data"]["followup_id"]
    dismissed = await client.request("followup.dismiss", followup_id=followup_id)
    assert dismissed["ok"] is True and dismissed["data"]["state"] == "skipped"
    skipped = await _event_for(client, "followup.skipped", "followup_id", followup_id)
    assert skipped["data"]["reason"] == "dismissed_by_person"
    refused = await client.request("followup.send", followup_id=followup_id)
    assert refused["ok"] is False and refused["error"]["code"] == "conflict"
    missing = await client.request("followup.dismiss", followup_id=999_999)
    assert missing["ok"] is False and missing["error"]["code"] == "not_found"
    await client.ws.close()
