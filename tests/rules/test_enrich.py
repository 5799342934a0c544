"""gather_facts on the real sandbox shop: live order, tracking and stock; failures leave None."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest

from companion.connection import Shop
from companion.pipeline.enrich import gather_facts
from companion.sandbox.app import create_sandbox_app
from companion.shopee.auth import Redirect, exchange_code
from companion.shopee.client import ShopeeClient
from companion.shopee.session import RetryPolicy
from companion.shopee.tokens import TokenStore


async def _no_sleep(_seconds: float) -> None:
    return None


@dataclass
class Live:
    client: ShopeeClient
    shop: Shop
    http: httpx.AsyncClient

    async def orders(self, status: str) -> list[dict]:
        params = {"status": status, "shop_id": self.shop.shop_id}
        return (await self.http.get("/sandbox/v1/orders", params=params)).json()["orders"]


@pytest.fixture
async def live(aiohttp_server, tmp_path) -> AsyncIterator[Live]:
    server = await aiohttp_server(create_sandbox_app(seed=11, fault_timeout=1.0))
    base = f"http://127.0.0.1:{server.port}"
    async with httpx.AsyncClient(base_url=base, trust_env=False) as http:
        creds = (await http.get("/sandbox/v1/credentials")).json()
        code = (await http.post("/sandbox/v1/auth_code", json={})).json()
        client = ShopeeClient(partner_id=creds["partner_id"], partner_key=creds["partner_key"],
                              base_url=base, token_store=TokenStore(tmp_path), sleep=_no_sleep,
                              retry=RetryPolicy(attempts=1), timeout=2.0)
        await exchange_code(client, Redirect(code["code"], shop_id=str(creds["shop_id"])))
        shop_info = creds["shops"][0]
        yield Live(client, Shop(str(shop_info["shop_id"]), shop_info["region"],
                                shop_info["name"]), http)
        await client.aclose()


async def test_a_shipped_order_brings_status_carrier_tracking_and_last_event(live):
    order = (await live.orders("SHIPPED"))[0]
    facts = await gather_facts(live.client, live.shop, buyer_id=str(order["buyer_id"]),
                               order_sn=order["order_sn"])
    assert facts.order is not None and facts.notes == ()
    assert facts.order.status == "SHIPPED"
    assert facts.order.tracking_number == order["tracking_number"]
    assert facts.order.carrier == order["shipping_carrier"]
    assert facts.order.last_tracking_event and facts.order.last_tracking_time
    assert facts.order.ship_by_date and facts.order.shipping_fee and facts.order.currency == "MYR"
    assert facts.order.eta and facts.order.eta > facts.order.ship_by_date  # Shopee's edt window
    assert facts.buyer.name == order["buyer_username"]
    assert facts.shop.default_language == "en" and facts.shop.timezone == "Asia/Kuala_Lumpur"


async def test_an_order_not_yet_shipped_has_no_tracking_and_no_calls_for_it(live):
    order = (await live.orders("READY_TO_SHIP"))[0]
    facts = await gather_facts(live.client, live.shop, order_sn=order["order_sn"])
    assert facts.order.status == "READY_TO_SHIP"
    assert facts.order.tracking_number is None and facts.order.last_tracking_event is None


async def test_a_failing_tracking_call_leaves_its_fields_empty_and_says_why(live):
    order = (await live.orders("SHIPPED"))[0]
    for path in ("logistics/get_tracking_info", "logistics/get_tracking_number"):
        await live.http.post("/sandbox/v1/faults", json={"path": path, "kind": "http_500"})
    facts = await gather_facts(live.client, live.shop, order_sn=order["order_sn"])
    assert facts.order.status == "SHIPPED"
    assert facts.order.tracking_number is None and facts.order.last_tracking_event is None
    assert any(note.startswith("tracking info:") for note in facts.notes)
    assert any(note.startswith("tracking number:") for note in facts.notes)


async def test_a_slow_order_call_times_out_into_a_note(live):
    order = (await live.orders("SHIPPED"))[0]
    await live.http.post("/sandbox/v1/faults", json={"path": "order/get_order_detail",
                                                     "kind": "timeout", "seconds": 1})
    facts = await gather_facts(live.client, live.shop, order_sn=order["order_sn"], timeout=0.2)
    assert facts.order is None
    assert any("timed out" in note for note in facts.notes), facts.notes


async def test_another_buyers_order_and_an_unknown_order_are_not_used(live):
    first = (await live.orders("SHIPPED"))[0]
    other = await gather_facts(live.client, live.shop, buyer_id="1", order_sn=first["order_sn"])
    assert other.order is None and "another buyer" in other.notes[0]
    unknown = await gather_facts(live.client, live.shop, order_sn="991231ZZZZZZZZ")
    assert unknown.order is None and unknown.notes


async def test_without_an_order_number_the_buyers_latest_order_is_found(live):
    order = (await live.orders("READY_TO_SHIP"))[0]
    facts = await gather_facts(live.client, live.shop, buyer_id=str(order["buyer_id"]))
    assert facts.order is not None and facts.order.buyer_id == str(order["buyer_id"])


async def test_item_stock_for_the_variant_named_in_the_message(live):
    items = (await live.http.get("/sandbox/v1/items",
                                 params={"shop_id": live.shop.shop_id})).json()["items"]
    item = next(i for i in items if len(i["models"]) > 1)
    model = item["models"][1]
    facts = await gather_facts(live.client, live.shop, item_id=str(item["item_id"]),
                               model_id=str(model["model_id"]))
    assert facts.item.item_name == item["name"]
    assert facts.item.variant_stock == model["stock"]
    assert facts.item.variant_name
    in_stock = [m for m in item["models"] if m["stock"] > 0]
    assert len(facts.item.in_stock_variants) == min(len(in_stock), 12)
    plain = next((i for i in items if not i["models"]), None)
    if plain is not None:
        no_models = await gather_facts(live.client, live.shop, item_id=str(plain["item_id"]))
        assert no_models.item.variant_stock == plain["stock"]
