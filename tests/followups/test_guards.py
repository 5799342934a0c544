"""What must hold whatever the plan: quiet hours, buyer cap, stop words, escalations, returns."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from companion.followups.plans import DELAY, REVIEW
from companion.followups.service import FollowupError
from companion.store import Store
from tests.followups.conftest import HOUR, World, no_refusals, only

AUTO = {"plans": {REVIEW: {"send_mode": "auto"}}}


async def _deliver(world: World, order: dict, text: str = "is it coming?") -> str:
    said = await world.buyer_says(text, order_sn=order["order_sn"])
    await world.set_status(order["order_sn"], "TO_CONFIRM_RECEIVE")
    return said["conversation_id"]


async def test_quiet_hours_hold_the_send_until_morning_in_the_buyers_time_zone(
        world: World) -> None:
    service = world.service(auto=True)
    service.update_settings(world.shop_id, {**AUTO, "quiet_start_hour": 16,
                                            "quiet_end_hour": 19})
    order = await world.order("SHIPPED")
    conversation = await _deliver(world, order)
    await service.tick()
    await world.step(service, 48 * HOUR + 60, every=48 * HOUR + 60)  # 16:54 in Kuala Lumpur

    row = only(service.schedule.list(), order["order_sn"], REVIEW)
    assert (row.state, row.reason) == ("scheduled", "quiet_hours")
    local = datetime.fromtimestamp(row.next_check_at, ZoneInfo("Asia/Kuala_Lumpur"))
    assert (local.hour, local.minute) == (19, 0)
    assert await world.shop_messages(conversation) == []

    world.clock.now = row.next_check_at
    await service.tick()
    assert only(service.schedule.list(), order["order_sn"], REVIEW).state == "sent"
    assert len(await world.shop_messages(conversation)) == 1


async def test_the_per_buyer_cap_keeps_a_second_follow_up_from_the_same_buyer(
        world: World) -> None:
    service = world.service(auto=False)
    service.update_settings(world.shop_id, {"cap_per_buyer": 1})
    orders = (await world.sandbox.get("/sandbox/v1/orders",
                                      params={"shop_id": world.shop_id})).json()["orders"]
    by_buyer: dict[str, list[dict]] = {}
    for order in orders:
        by_buyer.setdefault(str(order["buyer_id"]), []).append(order)
    pair = next(o[:2] for o in by_buyer.values() if len(o) >= 2)
    for order in pair:
        await _deliver(world, order)
    await service.tick()
    await world.step(service, 48 * HOUR + 60, every=12 * HOUR)

    rows = [only(service.schedule.list(), o["order_sn"], REVIEW) for o in pair]
    assert sorted((r.state, r.reason) for r in rows) == [
        ("queued", "platform_rules_proactive_needs_person"), ("skipped", "buyer_cap")]


async def test_a_buyer_who_asked_to_stop_gets_nothing_not_even_from_a_person(
        world: World) -> None:
    service = world.service(auto=True)
    service.update_settings(world.shop_id, AUTO)
    order = await world.order("SHIPPED")
    conversation = await _deliver(world, order, "tolong berhenti hantar mesej promosi")
    await service.tick()
    await world.step(service, 48 * HOUR + 60, every=12 * HOUR)

    row = only(service.schedule.list(), order["order_sn"], REVIEW)
    assert (row.state, row.reason) == ("skipped", "buyer_asked_to_stop")
    assert service.opted_out(world.shop_id, str(order["buyer_id"]))
    assert await world.shop_messages(conversation) == []


async def test_an_open_escalation_blocks_the_follow_up(world: World) -> None:
    with Store.open(world.data_dir / "chat.sqlite3") as store:
        service = world.service(auto=True, store=store)
        service.update_settings(world.shop_id, AUTO)
        order = await world.order("SHIPPED")
        conversation = await _deliver(world, order)
        store.escalations.raise_(world.shop_id, conversation, "negative_sentiment",
                                 at=world.clock())
        await service.tick()
        await world.step(service, 48 * HOUR + 60, every=12 * HOUR)
        row = only(service.schedule.list(), order["order_sn"], REVIEW)
        assert (row.state, row.reason) == ("skipped", "open_escalation")
        assert await world.shop_messages(conversation) == []


async def test_an_open_return_of_the_buyer_blocks_it(world: World) -> None:
    service = world.service(auto=False)
    orders = (await world.sandbox.get("/sandbox/v1/orders",
                                      params={"shop_id": world.shop_id})).json()["orders"]
    by_buyer: dict[str, list[dict]] = {}
    for order in orders:
        if order["status"] not in ("TO_RETURN",):
            by_buyer.setdefault(str(order["buyer_id"]), []).append(order)
    delivered, returned = next(o[:2] for o in by_buyer.values() if len(o) >= 2)
    await _deliver(world, delivered)
    await world.set_status(returned["order_sn"], "TO_RETURN")
    await service.tick()
    await world.step(service, 48 * HOUR + 60, every=12 * HOUR)
    row = only(service.schedule.list(), delivered["order_sn"], REVIEW)
    assert (row.state, row.reason) == ("skipped", "open_return")


async def test_an_order_sent_back_drops_its_follow_up_at_once(world: World) -> None:
    service = world.service(auto=False)
    order = await world.order("SHIPPED")
    await _deliver(world, order)
    await service.tick()
    await world.set_status(order["order_sn"], "TO_RETURN")
    await service.tick()
    row = only(service.schedule.list(), order["order_sn"], REVIEW)
    assert (row.state, row.reason) == ("skipped", "order_to_return")


async def test_a_queued_draft_is_refused_to_a_person_once_the_buyer_asks_to_stop(
        world: World) -> None:
    service = world.service(auto=False)
    order = await world.order("SHIPPED")
    await _deliver(world, order)
    await service.tick()
    await world.step(service, 48 * HOUR + 60, every=12 * HOUR)
    row = only(service.schedule.list(), order["order_sn"], REVIEW)
    assert row.state == "queued"
    await world.buyer_says("please stop messaging me", order_sn=order["order_sn"])
    try:
        await service.send_queued(row.id)
    except FollowupError as exc:
        assert (exc.status, exc.code) == (409, "buyer_asked_to_stop")
    else:
        raise AssertionError("the draft was sent to a buyer who asked to stop")
    after = service.schedule.get(row.id)
    assert after is not None and after.state == "skipped"
    no_refusals(service)


async def test_a_stalled_parcel_gets_a_delay_apology_draft(world: World) -> None:
    service = world.service(auto=False)
    order = await world.order("READY_TO_SHIP")
    await world.buyer_says("when will you ship?", order_sn=order["order_sn"])
    await world.set_status(order["order_sn"], "SHIPPED")
    await service.tick()
    await world.step(service, 71 * HOUR, every=71 * HOUR)
    assert only(service.schedule.list(), order["order_sn"], DELAY).state == "scheduled"
    await world.step(service, 1 * HOUR + 60)
    row = only(service.schedule.list(), order["order_sn"], DELAY)
    assert row.state == "queued"
    assert order["order_sn"] in (row.text or "")


async def test_a_parcel_delivered_before_the_apology_was_due_gets_none(world: World) -> None:
    service = world.service(auto=False)
    order = await world.order("READY_TO_SHIP")
    await world.set_status(order["order_sn"], "SHIPPED")
    await service.tick()
    await world.step(service, 24 * HOUR, every=24 * HOUR)
    await world.set_status(order["order_sn"], "TO_CONFIRM_RECEIVE")
    await world.step(service, 60 * HOUR, every=12 * HOUR)
    row = only(service.schedule.list(), order["order_sn"], DELAY)
    assert (row.state, row.reason) == ("skipped", "order_to_confirm_receive")
