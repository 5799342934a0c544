"""The schedule survives restarts: nothing twice, late ones caught up within the window only."""

from __future__ import annotations

from companion.followups.plans import REVIEW
from tests.followups.conftest import HOUR, World, no_refusals, only

AUTO = {"plans": {REVIEW: {"send_mode": "auto"}}}


async def _deliver(world: World, skip: int = 0) -> tuple[dict, str]:
    order = await world.order("SHIPPED", skip)
    said = await world.buyer_says("any news on my order?", order_sn=order["order_sn"])
    await world.set_status(order["order_sn"], "TO_CONFIRM_RECEIVE")
    return order, said["conversation_id"]


async def test_a_restart_in_between_duplicates_nothing(world: World) -> None:
    service = world.service(auto=True)
    service.update_settings(world.shop_id, AUTO)
    order, conversation = await _deliver(world)
    await service.tick()
    world.restart()

    service = world.service(auto=True)
    await service.tick()  # the same status seen again: still one follow-up
    await world.step(service, 48 * HOUR + 60, every=12 * HOUR)
    assert only(service.schedule.list(), order["order_sn"], REVIEW).state == "sent"
    world.restart()

    service = world.service(auto=True)
    await world.step(service, 24 * HOUR, every=6 * HOUR)
    assert len(await world.shop_messages(conversation)) == 1
    assert len([r for r in service.schedule.list(limit=500)
                if r.order_sn == order["order_sn"]]) == 1
    no_refusals(service)


async def test_a_send_cut_short_by_a_crash_is_never_repeated(world: World) -> None:
    service = world.service(auto=True)
    order, conversation = await _deliver(world)
    await service.tick()
    row = only(service.schedule.list(), order["order_sn"], REVIEW)
    assert service.schedule.claim_send(row.id, by="auto", via="send_autoreply_message",
                                       text="hello", language="en", voucher_code=None,
                                       conversation_id=conversation, only_from=("scheduled",))
    world.restart()  # the process died between the durable `sending` and Shopee's answer

    service = world.service(auto=True)
    assert [r.id for r in service.recovered] == [row.id]
    await world.step(service, 72 * HOUR, every=12 * HOUR)
    after = service.schedule.get(row.id)
    assert after is not None
    assert (after.state, after.reason) == ("unknown", "interrupted_send_check_chat")
    assert await world.shop_messages(conversation) == []


async def test_after_downtime_late_ones_are_caught_up_in_the_window_and_dropped_after_it(
        world: World) -> None:
    service = world.service(auto=True)
    service.update_settings(world.shop_id, AUTO)
    first, first_conv = await _deliver(world, 0)
    await service.tick()
    await world.step(service, 20 * HOUR, every=20 * HOUR)
    second, second_conv = await _deliver(world, 1)
    await service.tick()
    world.restart()

    world.clock.advance(53 * HOUR)  # down until first is 25 h late and second 5 h late
    service = world.service(auto=True)
    await service.tick()
    late = only(service.schedule.list(), first["order_sn"], REVIEW)
    caught = only(service.schedule.list(), second["order_sn"], REVIEW)
    assert (late.state, late.reason) == ("skipped", "missed_window")
    assert caught.state == "sent"
    assert await world.shop_messages(first_conv) == []
    assert len(await world.shop_messages(second_conv)) == 1
