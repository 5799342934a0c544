"""Each escalation trigger holds the conversation; held ones stay quiet; a person pauses the bot."""

from __future__ import annotations

from typing import Any

from companion.shopee import ShopeeClient
from companion.web.keys import connection_key
from tests.pipeline.conftest import Rig


async def _escalated(rig: Rig, injected: dict[str, Any], trigger: str) -> None:
    decision = await rig.processed(injected)
    assert decision.action == "escalate", decision.reasons
    assert trigger in [r.get("trigger") for r in decision.reasons]
    state = rig.pipeline.store.conversations.get(rig.shop_id, injected["conversation_id"])
    assert state.held
    assert rig.pipeline.store.escalations.open_for(rig.shop_id, injected["conversation_id"])


async def test_negative_mood_escalates(rig: Rig) -> None:
    injected = await rig.inject("this is the worst shop ever, so disappointed")
    await _escalated(rig, injected, "negative_mood")


async def test_explicit_request_for_a_person_escalates(rig: Rig) -> None:
    injected = await rig.inject("I need to talk to a real person please")
    await _escalated(rig, injected, "wants_human")


async def test_a_rule_with_escalate_action_escalates(rig: Rig) -> None:
    injected = await rig.inject("I want a refund for this")
    await _escalated(rig, injected, "rule")


async def test_risky_content_escalates_in_another_language(rig: Rig) -> None:
    injected = await rig.inject("kalau tak balas saya akan lapor polis")
    await _escalated(rig, injected, "risky_content")


async def test_second_message_in_a_row_not_understood_escalates(rig: Rig) -> None:
    first = await rig.inject("asdkj qwe zzz")
    decision = await rig.processed(first)
    assert decision.action != "escalate"
    second = await rig.inject("blorp fnord", buyer_id=first["buyer_id"])
    await _escalated(rig, second, "not_understood_twice")


async def test_same_question_three_times_escalates(rig: Rig) -> None:
    order = await rig.order("READY_TO_SHIP")
    texts = ["when will my order arrive?", "when does my order arrive",
             "Hi, when will my order arrive?"]
    decisions = []
    for text in texts:
        injected = await rig.inject(text, order_sn=order["order_sn"])
        decisions.append(await rig.processed(injected))
    assert [d.action for d in decisions[:2]] == ["suggest", "suggest"]
    await _escalated(rig, injected, "same_question_three_times")


async def test_held_conversation_stays_quiet_after_one_holding_reply(rig: Rig) -> None:
    await rig.set_auto(True)
    order = await rig.order("READY_TO_SHIP")
    angry = await rig.inject("I need to talk to a real person please", order_sn=order["order_sn"])
    await _escalated(rig, angry, "wants_human")
    holding = await rig.until(lambda: rig.shop_replies_after(angry))
    assert len(holding) == 1 and holding[0]["sent_via"] == "send_autoreply_message"
    question = await rig.inject("Hi, when will my order arrive?", order_sn=order["order_sn"])
    decision = await rig.processed(question)
    assert decision.action == "suggest"
    assert any(r.get("code") == "held" for r in decision.reasons)
    assert await rig.shop_replies_after(question) == []
    resp = await rig.companion.post(f"/api/v1/conversations/{angry['conversation_id']}/release",
                                    json={"shop_id": rig.shop_id}, headers=rig.auth)
    assert resp.status == 200
    assert not rig.pipeline.store.conversations.get(rig.shop_id, angry["conversation_id"]).held


async def test_a_person_replying_from_seller_centre_pauses_the_bot(rig: Rig) -> None:
    await rig.set_auto(True)
    order = await rig.order("READY_TO_SHIP")
    first = await rig.inject("hello there", order_sn=order["order_sn"])
    await rig.processed(first)
    client: ShopeeClient = rig.app[connection_key].client
    await client.send_text(rig.shop_id, str(first["buyer_id"]), "Hi, this is Mei from the shop")
    store = rig.pipeline.store

    def paused() -> bool:
        state = store.conversations.get(rig.shop_id, first["conversation_id"])
        return bool(state.paused_until)

    await rig.until(paused)
    question = await rig.inject("Hi, when will my order arrive?", order_sn=order["order_sn"])
    decision = await rig.processed(question)
    assert decision.action == "suggest"
    assert any(r.get("code") == "human_takeover" for r in decision.reasons)
    assert await rig.shop_replies_after(question) == []
