"""Shop-level info endpoints: get_shop_info (top-level payload) and get_shop_performance."""

from __future__ import annotations

from aiohttp import web

from companion.sandbox.context import shop_of, state_of
from companion.sandbox.envelope import ok, ok_top_level
from companion.sandbox.performance import shop_performance


async def get_shop_info(request: web.Request) -> web.Response:
    shop = shop_of(request)
    return ok_top_level({
        "shop_name": shop.name, "region": shop.region, "status": "NORMAL", "is_cb": False,
        "is_sip": False, "is_upgraded_cbsc": False, "merchant_id": None,
        "shop_fulfillment_flag": "Others", "is_main_shop": False, "is_direct_shop": False,
        "auth_time": shop.auth_time, "expire_time": shop.auth_time + 365 * 86400,
        "sip_affi_shops": [],
    })


async def get_shop_performance(request: web.Request) -> web.Response:
    return ok(shop_performance(state_of(request), shop_of(request).shop_id))


def add_routes(app: web.Application) -> None:
    app.router.add_get("/api/v2/shop/get_shop_info", get_shop_info)
    app.router.add_get("/api/v2/account_health/get_shop_performance", get_shop_performance)
