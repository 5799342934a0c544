"""Outcomes the seller judges follow-ups by: buyer replies and repurchases after a sent one."""

from __future__ import annotations

from companion.followups.plans import REVIEW, Planned
from companion.followups.schedule import Schedule
from tests.followups.conftest import HOUR, World, only


async def test_a_buyer_reply_after_a_sent_follow_up_counts_in_the_reply_rate(
        world: World) -> None:
    service = world.service(auto=False)
    first, second = await world.order("SHIPPED", 0), await world.order("SHIPPED", 1)
    for order in (first, second):
        await world.buyer_says("where is it?", order_sn=order["order_sn"])
        await world.set_status(order["order_sn"], "TO_CONFIRM_RECEIVE")
    await service.tick()
    await world.step(service, 48 * HOUR + 60, every=12 * HOUR)
    for order in (first, second):
        await service.send_queued(only(service.schedule.list(), order["order_sn"], REVIEW).id)

    world.clock.advance(HOUR)
    await world.buyer_says("thanks, will do!", order_sn=first["order_sn"])
    await world.step(service, 2 * HOUR, every=HOUR)
    outcome = service.metrics(world.shop_id)["outcomes"][REVIEW]
    assert (outcome["sent"], outcome["replied"], outcome["reply_rate"]) == (2, 1, 0.5)
    replied = only(service.schedule.list(), first["order_sn"], REVIEW)
    assert replied.replied_at is not None and replied.replied_at > (replied.sent_at or 0)


def test_a_new_order_within_30_days_of_a_sent_follow_up_is_a_repurchase(world: World) -> None:
    service = world.service()
    schedule = Schedule(service.db, world.clock)
    now = world.clock()
    row = schedule.add(Planned("k1", REVIEW, "1", "A", "buyer", now, now), 3600)
    assert row is not None
    assert schedule.claim_send(row.id, by="person", via="send_message", text="t", language="en",
                               voucher_code=None, conversation_id="c", only_from=("scheduled",))
    schedule.sent(row.id, "m1", "c")
    assert schedule.mark_repurchase("1", "buyer", "B", now - 10, 30 * 86400) == 0  # before
    assert schedule.mark_repurchase("1", "other", "B", now + 10, 30 * 86400) == 0
    assert schedule.mark_repurchase("1", "buyer", "B", now + 31 * 86400, 30 * 86400) == 0
    assert schedule.mark_repurchase("1", "buyer", "B", now + 86400, 30 * 86400) == 1
    outcome = schedule.outcomes("1")[REVIEW]
    assert (outcome["repurchased"], outcome["repurchase_rate"]) == (1, 1.0)
