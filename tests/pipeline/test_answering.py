"""A buyer message is answered with live data through the right endpoint, or not at all."""

from __future__ import annotations

from tests.pipeline.conftest import Rig


async def test_order_question_is_answered_with_live_data_through_autoreply(rig: Rig) -> None:
    await rig.set_auto(True)
    order = await rig.order("READY_TO_SHIP")
    injected = await rig.inject("Hi, when will my order arrive?", order_sn=order["order_sn"])
    replies = await rig.until(lambda: rig.shop_replies_after(injected))
    assert len(replies) == 1
    assert replies[0]["sent_via"] == "send_autoreply_message"
    assert order["order_sn"] in replies[0]["content"]["text"]
    decision = await rig.processed(injected)
    assert decision.action == "auto_reply"
    assert decision.intent == "order_status"
    assert decision.rule_id == "order-status"


async def test_suggest_mode_sends_nothing_and_records_the_suggestion(rig: Rig) -> None:
    order = await rig.order("SHIPPED")
    injected = await rig.inject("Hi, when will my order arrive?", order_sn=order["order_sn"])
    decision = await rig.processed(injected)
    assert decision.action == "suggest"
    assert order["order_sn"] in decision.reply_text
    assert any(r.get("code") == "auto_mode_off" for r in decision.reasons)
    assert await rig.shop_replies_after(injected) == []


async def test_a_message_the_model_did_not_understand_is_only_suggested_even_in_auto_mode(
    rig: Rig,
) -> None:
    await rig.set_auto(True)
    order = await rig.order("READY_TO_SHIP")
    injected = await rig.inject("zxq vorp " + order["order_sn"] + " kwimble?",
                                order_sn=order["order_sn"])
    decision = await rig.processed(injected)
    nlu = next(r for r in decision.reasons if r.get("step") == "nlu")
    assert nlu["understood"] is False
    assert decision.action != "auto_reply"
    assert await rig.shop_replies_after(injected) == []
