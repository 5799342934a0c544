"""A person's approval sends once: concurrent approvals never report a failure, and a 409 says
who answered (a person or the bot); a holding message does not block the person's answer."""

from __future__ import annotations

import asyncio
from typing import Any

from companion.pipeline.escalation import HOLDING_REPLIES
from tests.pipeline.conftest import Rig


async def _suggested(rig: Rig) -> dict[str, Any]:
    order = await rig.order("PROCESSED")
    injected = await rig.inject("Hi, when will my order arrive?", order_sn=order["order_sn"])
    assert (await rig.processed(injected)).action == "suggest"
    return injected


def _reply_url(injected: dict[str, Any]) -> str:
    return f"/api/v1/conversations/{injected['conversation_id']}/reply"


async def test_two_concurrent_approvals_send_once_and_neither_fails(rig: Rig) -> None:
    injected = await _suggested(rig)
    body = {"shop_id": rig.shop_id, "message_id": injected["message_id"]}
    first, second = await asyncio.gather(
        rig.companion.post(_reply_url(injected), json=body, headers=rig.auth),
        rig.companion.post(_reply_url(injected), json=body, headers=rig.auth))
    statuses = sorted([first.status, second.status])
    assert statuses in ([200, 200], [200, 409]), [await r.text() for r in (first, second)]
    answers = [await r.json() for r in (first, second) if r.status == 200]
    assert len({a["sent_message_id"] for a in answers}) == 1
    assert len(await rig.shop_replies_after(injected)) == 1


async def test_a_different_reply_after_a_persons_reply_is_a_conflict_naming_the_person(
    rig: Rig,
) -> None:
    injected = await _suggested(rig)
    body = {"shop_id": rig.shop_id, "message_id": injected["message_id"]}
    assert (await rig.companion.post(_reply_url(injected), json=body, headers=rig.auth)
            ).status == 200
    other = await rig.companion.post(_reply_url(injected), headers=rig.auth,
                                     json={**body, "text": "Something else entirely."})
    assert other.status == 409
    error = await other.text()
    assert "person" in error and "automatic" not in error
    assert len(await rig.shop_replies_after(injected)) == 1


async def test_after_an_automatic_reply_the_conflict_says_so(rig: Rig) -> None:
    await rig.set_auto(True)
    order = await rig.order("READY_TO_SHIP")
    injected = await rig.inject("Hi, when will my order arrive?", order_sn=order["order_sn"])
    assert (await rig.processed(injected)).action == "auto_reply"
    resp = await rig.companion.post(_reply_url(injected), headers=rig.auth, json={
        "shop_id": rig.shop_id, "message_id": injected["message_id"], "text": "More help?"})
    assert resp.status == 409
    assert "automatic reply went out" in await resp.text()


async def test_a_holding_message_does_not_stop_the_person_answering(rig: Rig) -> None:
    await rig.set_auto(True)
    order = await rig.order("PROCESSED")
    injected = await rig.inject("I want to talk to a real person please",
                                order_sn=order["order_sn"])
    replies = await rig.until(lambda: rig.shop_replies_after(injected))
    assert replies[0]["content"]["text"] == HOLDING_REPLIES["en"]
    assert (await rig.processed(injected)).action == "escalate"
    resp = await rig.companion.post(_reply_url(injected), headers=rig.auth, json={
        "shop_id": rig.shop_id, "message_id": injected["message_id"],
        "text": "Hi, this is Mei from the shop. How can I help?"})
    assert resp.status == 200, await resp.text()
    texts = [r["content"]["text"] for r in await rig.shop_replies_after(injected)]
    assert texts[-1] == "Hi, this is Mei from the shop. How can I help?"


async def test_an_edited_reply_with_a_template_placeholder_left_in_is_refused_and_not_sent(
    rig: Rig,
) -> None:
    injected = await _suggested(rig)
    body = {"shop_id": rig.shop_id, "message_id": injected["message_id"],
            "text": "Hi {{buyer_name}}, your parcel is on its way"}
    response = await rig.companion.post(_reply_url(injected), json=body, headers=rig.auth)
    assert response.status == 422
    assert (await response.json())["error"] == "unfilled_placeholder"
    assert await rig.shop_replies_after(injected) == []
