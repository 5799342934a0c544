"""Order endpoints: list (window, status, cursor), detail, note, cancel, buyer cancellation."""

from __future__ import annotations

from aiohttp import web

from companion.sandbox.context import shop_of, state_of
from companion.sandbox.envelope import ApiError, ok, param_error
from companion.sandbox.params import (
    body_str,
    in_range,
    json_body,
    query_int,
    query_list,
    query_str,
)
from companion.sandbox.state import Order, SandboxState, Shop
from companion.sandbox.views_orders import order_detail

MAX_WINDOW_S = 15 * 86400
ORDER_STATUSES = frozenset({
    "UNPAID", "READY_TO_SHIP", "PROCESSED", "RETRY_SHIP", "SHIPPED", "TO_CONFIRM_RECEIVE",
    "COMPLETED", "IN_CANCEL", "CANCELLED", "TO_RETURN", "INVOICE_PENDING",
})
CANCELLABLE = frozenset({"UNPAID", "READY_TO_SHIP", "PROCESSED", "RETRY_SHIP", "INVOICE_PENDING"})
CANCEL_REASONS = frozenset({"OUT_OF_STOCK", "CUSTOMER_REQUEST", "UNDELIVERABLE_AREA",
                            "COD_NOT_SUPPORTED"})


def _window(request: web.Request) -> tuple[str, int, int]:
    field = query_str(request, "time_range_field")
    if field not in {"create_time", "update_time"}:
        raise param_error("time_range_field must be create_time or update_time")
    start, end = query_int(request, "time_from"), query_int(request, "time_to")
    if end < start or end - start > MAX_WINDOW_S:
        raise ApiError("order.order_list_invalid_time",
                       "The time range must be at most 15 days and time_to >= time_from.")
    return field, start, end


def _cursor(request: web.Request) -> int:
    raw = request.query.get("cursor", "")
    if not raw:
        return 0
    if not raw.isdigit():
        raise param_error("cursor is invalid")
    return int(raw)


async def get_order_list(request: web.Request) -> web.Response:
    """Newest first within the window; the cursor is an opaque offset string."""
    state, shop = state_of(request), shop_of(request)
    field, start, end = _window(request)
    size = in_range("page_size", query_int(request, "page_size"), 1, 100)
    status = request.query.get("order_status", "")
    if status and status not in ORDER_STATUSES:
        raise param_error("order_status is invalid")
    found = [o for o in state.orders.values() if o.shop_id == shop.shop_id
             and start <= getattr(o, field) <= end and (not status or o.status == status)]
    found.sort(key=lambda o: (-getattr(o, field), o.order_sn))
    offset = _cursor(request)
    page = found[offset:offset + size]
    more = offset + size < len(found)
    with_status = "order_status" in query_list(request, "response_optional_fields")
    rows = [{"order_sn": o.order_sn, "booking_sn": "", **({"order_status": o.status}
                                                         if with_status else {})} for o in page]
    return ok({"more": more, "next_cursor": str(offset + size) if more else "",
               "order_list": rows})


def own_order(state: SandboxState, shop: Shop, order_sn: str) -> Order:
    order = state.orders.get(order_sn)
    if order is None or order.shop_id != shop.shop_id:
        raise ApiError("error_not_found", f"Order {order_sn} not found.")
    return order


async def get_order_detail(request: web.Request) -> web.Response:
    state, shop = state_of(request), shop_of(request)
    sns = query_list(request, "order_sn_list")
    if not 1 <= len(sns) <= 50:
        raise param_error("order_sn_list must hold 1 to 50 order_sn")
    wanted = query_list(request, "response_optional_fields")
    known = [state.orders[sn] for sn in sns if sn in state.orders
             and state.orders[sn].shop_id == shop.shop_id]
    missing = [sn for sn in sns if sn not in {o.order_sn for o in known}]
    rows = [order_detail(state, o, wanted) for o in known]
    warning = f"order_sn not found: {','.join(missing)}" if missing else ""
    return ok({"order_list": rows}, warning=warning)


async def set_note(request: web.Request) -> web.Response:
    state, shop = state_of(request), shop_of(request)
    body = await json_body(request)
    order = own_order(state, shop, body_str(body, "order_sn"))
    note = body.get("note", "")
    if not isinstance(note, str) or len(note) > 500:
        raise param_error("note must be a string of at most 500 characters")
    order.note, order.note_update_time = note, state.now()
    return ok({})


def _cancel(order: Order, by: str, reason: str, now: int) -> None:
    order.status, order.cancel_by, order.cancel_reason = "CANCELLED", by, reason
    order.update_time = now


async def cancel_order(request: web.Request) -> web.Response:
    state, shop = state_of(request), shop_of(request)
    body = await json_body(request)
    order = own_order(state, shop, body_str(body, "order_sn"))
    reason = body_str(body, "cancel_reason")
    if reason not in CANCEL_REASONS:
        raise param_error("cancel_reason is invalid")
    if reason == "OUT_OF_STOCK" and not body.get("item_list"):
        raise param_error("item_list is required for OUT_OF_STOCK")
    if order.status not in CANCELLABLE:
        raise ApiError("order.cancel_order_invalid_status",
                       f"Order in status {order.status} cannot be cancelled.")
    _cancel(order, "seller", reason, state.now())
    return ok({"update_time": order.update_time})


async def handle_buyer_cancellation(request: web.Request) -> web.Response:
    state, shop = state_of(request), shop_of(request)
    body = await json_body(request)
    order = own_order(state, shop, body_str(body, "order_sn"))
    operation = body_str(body, "operation")
    if operation not in {"ACCEPT", "REJECT"}:
        raise param_error("operation must be ACCEPT or REJECT")
    if order.status != "IN_CANCEL":
        raise ApiError("order.cancel_order_invalid_status",
                       f"Order in status {order.status} has no pending cancellation.")
    if operation == "ACCEPT":
        _cancel(order, "buyer", "BUYER_REQUEST", state.now())
    else:
        order.status, order.update_time = order.status_before_cancel or "READY_TO_SHIP", state.now()
    return ok({"update_time": order.update_time})


def add_routes(app: web.Application) -> None:
    app.router.add_get("/api/v2/order/get_order_list", get_order_list)
    app.router.add_get("/api/v2/order/get_order_detail", get_order_detail)
    app.router.add_post("/api/v2/order/set_note", set_note)
    app.router.add_post("/api/v2/order/cancel_order", cancel_order)
    app.router.add_post("/api/v2/order/handle_buyer_cancellation", handle_buyer_cancellation)
