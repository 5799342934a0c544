"""Product endpoints: item list, item base info (attributes, description, size chart), models."""

from __future__ import annotations

from aiohttp import web

from companion.sandbox.catalog import popularity
from companion.sandbox.context import shop_of, state_of
from companion.sandbox.envelope import ok, param_error
from companion.sandbox.params import in_range, query_int, query_list
from companion.sandbox.state import Item, SandboxState, Shop
from companion.sandbox.views_products import item_base_info, model_list

ITEM_STATUSES = frozenset({"NORMAL", "BANNED", "UNLIST", "REVIEWING", "SELLER_DELETE",
                           "SHOPEE_DELETE"})


def shop_items(state: SandboxState, shop: Shop) -> list[Item]:
    return sorted((i for i in state.items.values() if i.shop_id == shop.shop_id),
                  key=lambda i: i.item_id)


async def get_item_list(request: web.Request) -> web.Response:
    state, shop = state_of(request), shop_of(request)
    offset = query_int(request, "offset")
    size = in_range("page_size", query_int(request, "page_size"), 1, 100)
    statuses = query_list(request, "item_status")
    if not statuses or not set(statuses) <= ITEM_STATUSES:
        raise param_error("item_status is required and must be valid")
    low = query_int(request, "update_time_from", 0)
    high = query_int(request, "update_time_to", 2**62)
    items = [i for i in shop_items(state, shop)
             if i.status in statuses and low <= i.update_time <= high]
    page = items[offset:offset + size]
    more = offset + size < len(items)
    return ok({"item": [{"item_id": i.item_id, "item_status": i.status,
                         "update_time": i.update_time} for i in page],
               "total_count": len(items), "has_next_page": more,
               "next_offset": offset + size if more else 0})


def _item_ids(request: web.Request, name: str, limit: int) -> list[int]:
    raw = query_list(request, name)
    if not 1 <= len(raw) <= limit:
        raise param_error(f"{name} must hold 1 to {limit} ids")
    try:
        return [int(x) for x in raw]
    except ValueError:
        raise param_error(f"{name} must hold integers") from None


async def get_item_base_info(request: web.Request) -> web.Response:
    state, shop = state_of(request), shop_of(request)
    ids = _item_ids(request, "item_id_list", 50)
    found = [state.items[i] for i in ids if i in state.items and
             state.items[i].shop_id == shop.shop_id]
    missing = sorted(set(ids) - {i.item_id for i in found})
    warning = f"item_id not found: {','.join(map(str, missing))}" if missing else ""
    return ok({"item_list": [item_base_info(shop, i) for i in found]}, warning=warning)


def units_sold(state: SandboxState, item_id: int) -> int:
    """Units of the item in orders that were not cancelled (feeds the sales figure)."""
    return sum(line.quantity for order in state.orders.values()
               if order.status not in {"CANCELLED", "IN_CANCEL", "UNPAID"}
               for line in order.lines if line.item_id == item_id)


async def get_item_extra_info(request: web.Request) -> web.Response:
    """Sales, views, likes, rating and comment count (shopee doc 6.2)."""
    state, shop = state_of(request), shop_of(request)
    ids = _item_ids(request, "item_id_list", 50)
    found = [state.items[i] for i in ids if i in state.items and
             state.items[i].shop_id == shop.shop_id]
    missing = sorted(set(ids) - {i.item_id for i in found})
    warning = f"item_id not found: {','.join(map(str, missing))}" if missing else ""
    return ok({"item_list": [popularity(i, units_sold(state, i.item_id)) for i in found]},
              warning=warning)


async def get_model_list(request: web.Request) -> web.Response:
    state, shop = state_of(request), shop_of(request)
    item = state.items.get(query_int(request, "item_id"))
    if item is None or item.shop_id != shop.shop_id:
        raise param_error("item_id not found")
    return ok(model_list(shop, item))


def add_routes(app: web.Application) -> None:
    app.router.add_get("/api/v2/product/get_item_list", get_item_list)
    app.router.add_get("/api/v2/product/get_item_base_info", get_item_base_info)
    app.router.add_get("/api/v2/product/get_item_extra_info", get_item_extra_info)
    app.router.add_get("/api/v2/product/get_model_list", get_model_list)
