"""Voucher endpoints: add_voucher (with the documented validation) and get_voucher_list."""

from __future__ import annotations

import re
from typing import Any

from aiohttp import web

from companion.sandbox.context import shop_of, state_of
from companion.sandbox.envelope import ApiError, ok, param_error
from companion.sandbox.params import body_int, body_str, in_range, json_body, query_int, query_str
from companion.sandbox.state import SandboxState, Shop, Voucher

CODE = re.compile(r"[0-9A-Za-z]{1,5}")
MAX_VALIDITY_S = 92 * 86400
LIST_FIELDS = ("voucher_code", "voucher_name", "voucher_type", "reward_type", "usage_quantity",
               "start_time", "end_time", "discount_amount", "percentage", "display_start_time")


def _times(body: dict[str, Any], now: int) -> tuple[int, int]:
    start, end = body_int(body, "start_time"), body_int(body, "end_time")
    if start < now - 60:
        raise ApiError("voucher.voucher_start_time_error", "start_time cannot be in the past.")
    if end < start + 3600 or end - start > MAX_VALIDITY_S:
        raise ApiError("voucher.voucher_end_time_error",
                       "end_time must be at least 1 hour after start_time and within 3 months.")
    return start, end


def _number(body: dict[str, Any], name: str) -> float:
    value = body.get(name) or 0
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise param_error(f"{name} must be a number")
    return float(value)


def _reward(body: dict[str, Any]) -> None:
    reward = body_int(body, "reward_type")
    if reward not in {1, 2, 3}:
        raise param_error("reward_type must be 1, 2 or 3")
    if reward == 1:
        amount, minimum = _number(body, "discount_amount"), _number(body, "min_basket_price")
        if amount <= 0 or (minimum and minimum <= amount):
            raise param_error("discount_amount must be > 0 and below min_basket_price")
    elif not 0 < _number(body, "percentage") <= 100:
        raise param_error("percentage must be between 1 and 100")


def _check_code(state: SandboxState, shop: Shop, code: str) -> None:
    if not CODE.fullmatch(code):
        raise ApiError("voucher.voucher_code_error", "voucher_code must be 1-5 letters or digits.")
    if any(v.shop_id == shop.shop_id and v.fields["voucher_code"] == code
           for v in state.vouchers.values()):
        raise ApiError("voucher.voucher_code_duplicate_error", "voucher_code already exists.")


async def add_voucher(request: web.Request) -> web.Response:
    state, shop = state_of(request), shop_of(request)
    body = await json_body(request)
    body_str(body, "voucher_name")
    code = body_str(body, "voucher_code")
    _check_code(state, shop, code)
    if body_int(body, "voucher_type") not in {1, 2}:
        raise param_error("voucher_type must be 1 or 2")
    if body_int(body, "voucher_type") == 2 and not body.get("item_id_list"):
        raise param_error("item_id_list is required for product vouchers")
    body_int(body, "usage_quantity")
    _reward(body)
    _times(body, state.now())
    voucher_id = state.new_id(shop.shop_id * 100)
    state.vouchers[voucher_id] = Voucher(voucher_id, shop.shop_id, dict(body))
    return ok({"voucher_id": voucher_id})


def _status(voucher: Voucher, now: int) -> str:
    if now < voucher.fields["start_time"]:
        return "upcoming"
    return "ongoing" if now < voucher.fields["end_time"] else "expired"


def _row(voucher: Voucher) -> dict[str, Any]:
    row = {k: voucher.fields[k] for k in LIST_FIELDS if k in voucher.fields}
    row.update(voucher_id=voucher.voucher_id, current_usage=voucher.current_usage, is_admin=False,
               voucher_purpose=0,
               display_channel_list=voucher.fields.get("display_channel_list", [1]))
    return row


async def get_voucher_list(request: web.Request) -> web.Response:
    state, shop = state_of(request), shop_of(request)
    status = query_str(request, "status")
    if status not in {"upcoming", "ongoing", "expired", "all"}:
        raise param_error("status must be upcoming, ongoing, expired or all")
    page_no = in_range("page_no", query_int(request, "page_no", 1), 1, 5000)
    size = in_range("page_size", query_int(request, "page_size", 20), 1, 100)
    now = state.now()
    rows = [v for v in state.vouchers.values() if v.shop_id == shop.shop_id
            and status in {"all", _status(v, now)}]
    rows.sort(key=lambda v: -v.fields["start_time"])
    page = rows[(page_no - 1) * size:page_no * size]
    return ok({"more": page_no * size < len(rows), "voucher_list": [_row(v) for v in page]})


def add_routes(app: web.Application) -> None:
    app.router.add_post("/api/v2/voucher/add_voucher", add_voucher)
    app.router.add_get("/api/v2/voucher/get_voucher_list", get_voucher_list)
