"""Review requests: once at 48 h after delivery, automatically or as a queued draft for a person."""

from __future__ import annotations

from tests.followups.conftest import DAY, HOUR, World, only

REVIEW = "review_request"


async def _delivered_order_with_chat(world: World) -> tuple[dict, str]:
    """An order the buyer asked about (so a conversation exists), then delivered."""
    order = await world.order("SHIPPED")
    said = await world.buyer_says("hi, is my parcel on the way?", order_sn=order["order_sn"])
    await world.set_status(order["order_sn"], "TO_CONFIRM_RECEIVE")
    return order, said["conversation_id"]


async def test_a_delivered_order_gets_its_review_request_once_at_48_hours(world: World) -> None:
    service = world.service(auto=True)
    service.update_settings(world.shop_id, {"plans": {REVIEW: {"send_mode": "auto"}}})
    order, conversation = await _delivered_order_with_chat(world)
    await service.tick()
    row = only(service.schedule.list(), order["order_sn"], REVIEW)
    assert row.state == "scheduled"
    assert row.due_at == row.anchor_at + 48 * HOUR

    await world.step(service, 47 * HOUR, every=47 * HOUR)
    assert only(service.schedule.list(), order["order_sn"], REVIEW).state == "scheduled"
    assert await world.shop_messages(conversation) == []

    await world.step(service, 1 * HOUR + 60)
    row = only(service.schedule.list(), order["order_sn"], REVIEW)
    assert (row.state, row.sent_by, row.sent_via) == ("sent", "auto", "send_autoreply_message")
    sent = await world.shop_messages(conversation)
    assert len(sent) == 1
    assert order["order_sn"] in sent[0]["content"]["text"]
    assert sent[0]["sent_via"] == "send_autoreply_message"  # flagged automatic, never disguised

    await world.step(service, 2 * DAY, every=HOUR * 12)
    assert len(await world.shop_messages(conversation)) == 1


async def test_by_default_the_review_request_waits_for_a_person_and_says_why(
        world: World) -> None:
    service = world.service(auto=True)
    order, conversation = await _delivered_order_with_chat(world)
    await service.tick()
    await world.step(service, 48 * HOUR + 60, every=12 * HOUR)

    row = only(service.schedule.list(state="queued"), order["order_sn"], REVIEW)
    assert row.reason == "platform_rules_proactive_needs_person"
    assert order["order_sn"] in (row.text or "")
    assert await world.shop_messages(conversation) == []

    sent = await service.send_queued(row.id)
    assert (sent.state, sent.sent_by, sent.sent_via) == ("sent", "person", "send_message")
    messages = await world.shop_messages(conversation)
    assert [m["sent_via"] for m in messages] == ["send_message"]
    assert messages[0]["content"]["text"] == row.text


async def test_without_auto_mode_the_draft_is_queued_with_that_reason(world: World) -> None:
    service = world.service(auto=False)
    service.update_settings(world.shop_id, {"plans": {REVIEW: {"send_mode": "auto"}}})
    order, _conversation = await _delivered_order_with_chat(world)
    await service.tick()
    await world.step(service, 48 * HOUR + 60, every=12 * HOUR)
    row = only(service.schedule.list(), order["order_sn"], REVIEW)
    assert (row.state, row.reason) == ("queued", "auto_mode_off")


async def test_a_buyer_without_a_conversation_is_left_to_a_person_with_an_order_card(
        world: World) -> None:
    service = world.service(auto=True)
    service.update_settings(world.shop_id, {"plans": {REVIEW: {"send_mode": "auto"}}})
    for skip in range(30):
        order = await world.order("SHIPPED", skip)
        if not await world.buyer_conversation(order["buyer_id"]):
            break
    else:
        raise AssertionError("the seed has no shipped order of a buyer without a chat")
    await world.set_status(order["order_sn"], "TO_CONFIRM_RECEIVE")
    await service.tick()
    await world.step(service, 48 * HOUR + 60, every=12 * HOUR)
    row = only(service.schedule.list(), order["order_sn"], REVIEW)
    assert (row.state, row.reason) == ("queued", "first_chat_needs_order_card")

    sent = await service.send_queued(row.id)
    assert sent.state == "sent"
    conversation = await world.buyer_conversation(order["buyer_id"])
    types = [m["message_type"] for m in await world.shop_messages(conversation)]
    assert types == ["order", "text"]
