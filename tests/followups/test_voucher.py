"""Repurchase vouchers: one hidden, capped voucher per buyer per plan window, code in the draft."""

from __future__ import annotations

import pytest

from companion.followups.plans import REPURCHASE, VoucherError, VoucherMaker, load_settings
from companion.shopee.models import NewVoucher
from tests.followups.conftest import DAY, HOUR, World, only

ON = {"plans": {REPURCHASE: {"enabled": True}}}


async def _completed_order(world: World) -> dict:
    order = await world.order("TO_CONFIRM_RECEIVE")
    await world.set_status(order["order_sn"], "COMPLETED")
    return order


async def test_the_voucher_is_created_once_and_its_code_is_in_the_message(world: World) -> None:
    service = world.service(auto=True)
    service.update_settings(world.shop_id, ON)
    before = {v["voucher_code"] for v in await world.vouchers()}
    order = await _completed_order(world)
    await service.tick()
    await world.step(service, 29 * DAY)
    await world.buyer_says("do you have the blue one again?", order_sn=order["order_sn"])
    await world.step(service, 1 * DAY + HOUR, every=HOUR * 6)

    row = only(service.schedule.list(), order["order_sn"], REPURCHASE)
    assert (row.state, row.reason) == ("queued", "promotional_message_needs_person")
    code = row.voucher_code or ""
    assert len(code) == 5 and code.isalnum()
    assert code in (row.text or "")
    new = [v for v in await world.vouchers() if v["voucher_code"] not in before]
    assert [v["voucher_code"] for v in new] == [code]
    assert new[0]["display_channel_list"] == []  # hidden: only the buyer with the code sees it
    assert new[0]["usage_quantity"] == 1

    await world.step(service, 2 * DAY, every=HOUR * 6)
    world.restart()
    again = world.service(auto=True)
    await again.tick()
    assert [v for v in await world.vouchers() if v["voucher_code"] not in before] == new

    sent = await again.send_queued(row.id)
    assert sent.state == "sent" and code in (sent.text or "")


async def test_a_voucher_whose_call_landed_before_a_crash_is_found_not_made_again(
        world: World) -> None:
    service = world.service()
    settings = load_settings(service.db, world.shop_id)
    maker = VoucherMaker(world.client, service.db, world.clock)
    key = f"{REPURCHASE}:{world.shop_id}:123:7"
    code = maker._claim(key, world.shop_id, "123", REPURCHASE, 5.0)  # key durable first (A3)
    start = int(world.clock()) + 60
    await world.client.add_voucher(world.shop_id, NewVoucher(  # ...the call landed, then a crash
        voucher_name="x", voucher_code=code, start_time=start, end_time=start + 7 * 86400,
        usage_quantity=1, min_basket_price=30, discount_amount=5))
    count = len(await world.vouchers())

    voucher = await maker.ensure(key, world.shop_id, "123", "MY", settings)
    assert voucher.code == code
    assert len(await world.vouchers()) == count
    assert (await maker.ensure(key, world.shop_id, "123", "MY", settings)).code == code
    assert maker.created_count(world.shop_id) == 1


async def test_the_daily_voucher_count_cap_holds(world: World) -> None:
    service = world.service()
    service.update_settings(world.shop_id, {"voucher_daily_count_cap": 1})
    settings = load_settings(service.db, world.shop_id)
    maker = VoucherMaker(world.client, service.db, world.clock)
    await maker.ensure(f"{REPURCHASE}:{world.shop_id}:1:1", world.shop_id, "1", "MY", settings)
    with pytest.raises(VoucherError) as caught:
        await maker.ensure(f"{REPURCHASE}:{world.shop_id}:2:1", world.shop_id, "2", "MY",
                           settings)
    assert caught.value.reason == "voucher_daily_count_cap"
    assert maker.created_count(world.shop_id) == 1


async def test_without_a_recent_chat_the_voucher_is_not_even_drafted(world: World) -> None:
    service = world.service(auto=True)
    service.update_settings(world.shop_id, ON)
    before = len(await world.vouchers())
    order = await _completed_order(world)
    await service.tick()
    await world.step(service, 30 * DAY + HOUR)
    assert world.clock() - order["create_time"] > 30 * DAY  # no order in 30 days, no chat in 7
    row = only(service.schedule.list(), order["order_sn"], REPURCHASE)
    assert (row.state, row.reason) == ("skipped", "contact_window_closed")
    assert len(await world.vouchers()) == before
