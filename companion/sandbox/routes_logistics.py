"""Logistics and returns endpoints: tracking number, tracking history, return list."""

from __future__ import annotations

from aiohttp import web

from companion.sandbox.context import shop_of, state_of
from companion.sandbox.envelope import ok, param_error
from companion.sandbox.params import in_range, query_int, query_str
from companion.sandbox.routes_orders import own_order
from companion.sandbox.views_orders import return_record, tracking_info

MAX_WINDOW_S = 15 * 86400
RETURN_STATUSES = frozenset({"REQUESTED", "ACCEPTED", "CANCELLED", "JUDGING", "CLOSED",
                             "PROCESSING", "SELLER_DISPUTE"})


async def get_tracking_number(request: web.Request) -> web.Response:
    order = own_order(state_of(request), shop_of(request), query_str(request, "order_sn"))
    hint = "" if order.tracking_number else "Tracking number is not ready yet, retry later."
    return ok({"tracking_number": order.tracking_number, "hint": hint, "pickup_code": ""})


async def get_tracking_info(request: web.Request) -> web.Response:
    order = own_order(state_of(request), shop_of(request), query_str(request, "order_sn"))
    return ok(tracking_info(order))


def _time_filter(request: web.Request, name: str) -> tuple[int, int] | None:
    start = request.query.get(f"{name}_from")
    end = request.query.get(f"{name}_to")
    if start is None and end is None:
        return None
    low, high = query_int(request, f"{name}_from"), query_int(request, f"{name}_to")
    if high < low or high - low > MAX_WINDOW_S:
        raise param_error(f"{name} range must be at most 15 days")
    return low, high


async def get_return_list(request: web.Request) -> web.Response:
    """Newest first; page_no starts at 0."""
    state, shop = state_of(request), shop_of(request)
    page_no = query_int(request, "page_no", 0)
    size = in_range("page_size", query_int(request, "page_size", 40), 1, 100)
    status = request.query.get("status", "")
    if status and status not in RETURN_STATUSES:
        raise param_error("status is invalid")
    created, updated = _time_filter(request, "create_time"), _time_filter(request, "update_time")
    rows = [r for r in state.returns.values() if r.shop_id == shop.shop_id
            and (not status or r.status == status)
            and (created is None or created[0] <= r.create_time <= created[1])
            and (updated is None or updated[0] <= r.update_time <= updated[1])]
    rows.sort(key=lambda r: -r.create_time)
    page = rows[page_no * size:(page_no + 1) * size]
    return ok({"more": (page_no + 1) * size < len(rows),
               "return": [return_record(state, r) for r in page]})


def add_routes(app: web.Application) -> None:
    app.router.add_get("/api/v2/logistics/get_tracking_number", get_tracking_number)
    app.router.add_get("/api/v2/logistics/get_tracking_info", get_tracking_info)
    app.router.add_get("/api/v2/returns/get_return_list", get_return_list)
