"""The sandbox answers the `edt` optional field with a delivery window while en route."""

from __future__ import annotations

from companion.sandbox.seed import build_state
from companion.sandbox.views_orders import order_detail


def test_orders_en_route_carry_a_delivery_window_after_ship_by() -> None:
    state = build_state(7, lambda: 1_800_000_000.0, 14400)
    shipped = next(o for o in state.orders.values() if o.status == "SHIPPED")
    detail = order_detail(state, shipped, ["edt"])
    assert detail["ship_by_date"] < detail["edt_from"] < detail["edt_to"]


def test_delivered_or_cancelled_orders_have_no_window() -> None:
    state = build_state(7, lambda: 1_800_000_000.0, 14400)
    for status in ("COMPLETED", "CANCELLED", "TO_CONFIRM_RECEIVE"):
        order = next(o for o in state.orders.values() if o.status == status)
        assert order_detail(state, order, ["edt"])["edt_to"] == 0
