"""Seeded data invariants: sizes, every status, sold-out variants, realistic shapes, determinism."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from companion.sandbox.seed import build_state
from companion.sandbox.state import SandboxState
from tests.sandbox.conftest import START

STATUSES = {"UNPAID", "READY_TO_SHIP", "PROCESSED", "RETRY_SHIP", "SHIPPED", "TO_CONFIRM_RECEIVE",
            "COMPLETED", "IN_CANCEL", "CANCELLED", "TO_RETURN", "INVOICE_PENDING"}


@pytest.fixture(scope="module")
def world() -> SandboxState:
    return build_state(7, lambda: START, 14400)


def fingerprint(state: SandboxState) -> tuple[object, ...]:
    return (state.partner_id, state.partner_key, sorted(state.orders),
            [(o.status, o.buyer_id, o.tracking_number) for o in state.orders.values()],
            [(i.name, [m.stock for m in i.models]) for i in state.items.values()],
            [[m.content for m in c.messages] for c in state.conversations.values()])


def test_one_shop_is_my_with_autoreply_and_one_is_tw_without(world: SandboxState) -> None:
    shops = {s.region: s for s in world.shops.values()}
    assert set(shops) == {"MY", "TW"}
    assert shops["MY"].supports_autoreply and not shops["TW"].supports_autoreply


def test_each_shop_has_enough_items_orders_and_buyers(world: SandboxState) -> None:
    for shop_id in world.shops:
        assert sum(i.shop_id == shop_id for i in world.items.values()) >= 40
        assert sum(o.shop_id == shop_id for o in world.orders.values()) >= 300
        assert len(world.shop_buyers(shop_id)) >= 80


def test_every_order_status_is_present_in_each_shop(world: SandboxState) -> None:
    for shop_id in world.shops:
        seen = Counter(o.status for o in world.orders.values() if o.shop_id == shop_id)
        assert set(seen) == STATUSES


def test_sold_out_and_in_stock_variants_both_exist(world: SandboxState) -> None:
    for shop_id in world.shops:
        stocks = [m.stock for i in world.items.values() if i.shop_id == shop_id for m in i.models]
        assert 0 in stocks and max(stocks) > 0
        assert sum(s == 0 for s in stocks) < len(stocks) / 3


def test_order_sn_has_the_real_shape_and_dates_match(world: SandboxState) -> None:
    for order in world.orders.values():
        assert re.fullmatch(r"\d{6}[0-9A-Z]{8}", order.order_sn)
    assert len({o.order_sn for o in world.orders.values()}) == len(world.orders)


def test_shipped_and_delivered_orders_have_tracking_histories(world: SandboxState) -> None:
    for order in world.orders.values():
        if order.status in {"SHIPPED", "TO_CONFIRM_RECEIVE", "COMPLETED"}:
            assert order.tracking_number and len(order.tracking) >= 3
            times = [e.update_time for e in order.tracking]
            assert times == sorted(times)
        if order.status in {"UNPAID", "READY_TO_SHIP"}:
            assert not order.tracking_number


def test_items_carry_attributes_descriptions_and_size_charts(world: SandboxState) -> None:
    for item in world.items.values():
        assert {"material", "dimensions", "colours", "compatibility", "care", "origin"} <= set(
            item.attributes)
        assert item.attributes["material"] and item.description
        if item.category in {"top", "bottom", "dress", "shoes"}:
            assert item.size_chart and item.size_chart["rows"]
    tw = [i for i in world.items.values() if world.shops[i.shop_id].region == "TW"]
    assert all(re.search(r"[\u4e00-\u9fff]", i.description) for i in tw)


def test_buyers_write_in_the_shop_languages(world: SandboxState) -> None:
    by_region = {r: {b.language for b in world.buyers.values()
                     if world.shops[b.shop_id].region == r} for r in ("MY", "TW")}
    assert by_region == {"MY": {"en", "ms", "zh-Hans"}, "TW": {"zh-Hant"}}


def test_open_returns_belong_to_orders_in_to_return(world: SandboxState) -> None:
    open_returns = [r for r in world.returns.values() if r.is_open]
    assert open_returns
    assert all(world.orders[r.order_sn].status == "TO_RETURN" for r in open_returns)


def test_same_seed_and_clock_build_the_same_world(world: SandboxState) -> None:
    assert fingerprint(build_state(7, lambda: START, 14400)) == fingerprint(world)
    assert fingerprint(build_state(8, lambda: START, 14400)) != fingerprint(world)
