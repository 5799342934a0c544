"""Orders, logistics, products, vouchers, returns and shop performance over the signed API."""

from __future__ import annotations

import time

from tests.sandbox.shopee_caller import ShopeeCaller

DAY = 86400


async def orders_in(api: ShopeeCaller, status: str) -> list[dict]:
    return (await api.sandbox("GET", "orders", params={"status": status,
                                                       "shop_id": api.shop_id}))["orders"]


async def test_order_list_pages_by_cursor_over_a_15_day_window(api: ShopeeCaller) -> None:
    now = int(time.time())
    window = {"time_range_field": "create_time", "time_from": now - 15 * DAY, "time_to": now,
              "page_size": 20, "response_optional_fields": "order_status"}
    found, cursor = [], ""
    while True:
        _, body = await api.get("/api/v2/order/get_order_list", {**window, "cursor": cursor})
        page = body["response"]
        found += page["order_list"]
        if not page["more"]:
            break
        cursor = page["next_cursor"]
    assert len(found) > 20 and len({o["order_sn"] for o in found}) == len(found)
    assert {"UNPAID", "READY_TO_SHIP", "SHIPPED"} <= {o["order_status"] for o in found}


async def test_order_list_filters_by_status(api: ShopeeCaller) -> None:
    now = int(time.time())
    _, body = await api.get("/api/v2/order/get_order_list", {
        "time_range_field": "update_time", "time_from": now - 15 * DAY, "time_to": now,
        "page_size": 100, "order_status": "READY_TO_SHIP",
        "response_optional_fields": "order_status"})
    statuses = {o["order_status"] for o in body["response"]["order_list"]}
    assert statuses == {"READY_TO_SHIP"}


async def test_order_list_refuses_a_window_over_15_days(api: ShopeeCaller) -> None:
    now = int(time.time())
    _, body = await api.get("/api/v2/order/get_order_list", {
        "time_range_field": "create_time", "time_from": now - 16 * DAY, "time_to": now,
        "page_size": 10})
    assert body["error"] == "order.order_list_invalid_time"


async def test_order_detail_returns_requested_optional_fields(api: ShopeeCaller) -> None:
    order = (await orders_in(api, "SHIPPED"))[0]
    _, body = await api.get("/api/v2/order/get_order_detail", {
        "order_sn_list": order["order_sn"],
        "response_optional_fields": "buyer_user_id,buyer_username,item_list,package_list"})
    detail = body["response"]["order_list"][0]
    assert detail["order_status"] == "SHIPPED" and detail["buyer_user_id"] == order["buyer_id"]
    assert detail["item_list"][0]["item_id"] == order["items"][0]["item_id"]
    assert detail["package_list"][0]["logistics_status"] == "LOGISTICS_PICKUP_DONE"
    assert "note" not in detail


async def test_tracking_number_and_history_newest_first(api: ShopeeCaller) -> None:
    order = (await orders_in(api, "COMPLETED"))[0]
    _, number = await api.get("/api/v2/logistics/get_tracking_number",
                              {"order_sn": order["order_sn"]})
    assert number["response"]["tracking_number"] == order["tracking_number"] != ""
    _, info = await api.get("/api/v2/logistics/get_tracking_info", {"order_sn": order["order_sn"]})
    events = info["response"]["tracking_info"]
    assert events[0]["logistics_status"] == "DELIVERED"
    assert [e["update_time"] for e in events] == sorted((e["update_time"] for e in events),
                                                       reverse=True)


async def test_set_note_is_read_back_in_order_detail(api: ShopeeCaller) -> None:
    order = (await orders_in(api, "PROCESSED"))[0]
    _, body = await api.post("/api/v2/order/set_note", {"order_sn": order["order_sn"],
                                                        "note": "gift wrap"})
    assert body["error"] == ""
    _, detail = await api.get("/api/v2/order/get_order_detail", {
        "order_sn_list": order["order_sn"], "response_optional_fields": "note"})
    assert detail["response"]["order_list"][0]["note"] == "gift wrap"


async def test_cancel_order_only_before_shipping(api: ShopeeCaller) -> None:
    ready = (await orders_in(api, "READY_TO_SHIP"))[0]["order_sn"]
    shipped = (await orders_in(api, "SHIPPED"))[0]["order_sn"]
    body = {"cancel_reason": "CUSTOMER_REQUEST"}
    _, ok = await api.post("/api/v2/order/cancel_order", {**body, "order_sn": ready})
    _, refused = await api.post("/api/v2/order/cancel_order", {**body, "order_sn": shipped})
    assert ok["error"] == "" and ok["response"]["update_time"] > 0
    assert refused["error"] == "order.cancel_order_invalid_status"


async def test_accepting_a_buyer_cancellation_cancels_the_order(api: ShopeeCaller) -> None:
    sn = (await orders_in(api, "IN_CANCEL"))[0]["order_sn"]
    _, body = await api.post("/api/v2/order/handle_buyer_cancellation",
                             {"order_sn": sn, "operation": "ACCEPT"})
    assert body["error"] == ""
    assert sn in {o["order_sn"] for o in await orders_in(api, "CANCELLED")}


async def test_items_have_models_stock_and_attributes(api: ShopeeCaller) -> None:
    _, listing = await api.get("/api/v2/product/get_item_list", {
        "offset": 0, "page_size": 100, "item_status": "NORMAL"})
    ids = [i["item_id"] for i in listing["response"]["item"]]
    assert len(ids) >= 40
    _, info = await api.get("/api/v2/product/get_item_base_info",
                            {"item_id_list": ",".join(map(str, ids[:50]))})
    items = info["response"]["item_list"]
    with_models = next(i for i in items if i["has_model"])
    assert {a["original_attribute_name"] for a in with_models["attribute_list"]} >= {"material"}
    assert any(i["size_chart_info"] for i in items)
    _, models = await api.get("/api/v2/product/get_model_list", {"item_id": with_models["item_id"]})
    model = models["response"]["model"][0]
    assert len(model["tier_index"]) == len(models["response"]["tier_variation"])
    assert "total_available_stock" in model["stock_info_v2"]["summary_info"]


async def test_voucher_is_added_listed_and_code_must_be_unique(api: ShopeeCaller) -> None:
    start = int(time.time()) + 60
    voucher = {"voucher_name": "Thanks", "voucher_code": "TQ5", "start_time": start,
               "end_time": start + 7 * DAY, "voucher_type": 1, "reward_type": 1,
               "usage_quantity": 1, "min_basket_price": 20.0, "discount_amount": 5.0,
               "display_channel_list": []}
    _, added = await api.post("/api/v2/voucher/add_voucher", voucher)
    assert added["error"] == ""
    _, dup = await api.post("/api/v2/voucher/add_voucher", voucher)
    assert dup["error"] == "voucher.voucher_code_duplicate_error"
    _, bad = await api.post("/api/v2/voucher/add_voucher", {**voucher, "voucher_code": "TOOLONG"})
    assert bad["error"] == "voucher.voucher_code_error"
    _, listed = await api.get("/api/v2/voucher/get_voucher_list", {"status": "upcoming"})
    ids = [v["voucher_id"] for v in listed["response"]["voucher_list"]]
    assert added["response"]["voucher_id"] in ids


async def test_return_list_shows_open_returns(api: ShopeeCaller) -> None:
    _, body = await api.get("/api/v2/returns/get_return_list", {"page_no": 0, "page_size": 50})
    returns = body["response"]["return"]
    assert returns and {"return_sn", "order_sn", "status", "user"} <= set(returns[0])


async def test_shop_performance_reports_chat_response_rate(api: ShopeeCaller) -> None:
    _, body = await api.get("/api/v2/account_health/get_shop_performance")
    metrics = {m["metric_id"]: m for m in body["response"]["metric_list"]}
    assert 0 <= metrics[11]["current_period"] <= 100 and metrics[11]["unit"] == 2
    assert {21, 23} <= set(metrics)
