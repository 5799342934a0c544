"""Live data is fetched only as far as the rules that could match need it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from companion.connection import Shop
from companion.nlu import Understanding
from companion.pipeline.enrich import gather_facts
from companion.pipeline.livedata import make_gatherer, needed_facts
from companion.rules.engine import RuleSet
from companion.rules.models import Rule
from companion.sandbox.app import create_sandbox_app
from companion.shopee.auth import Redirect, exchange_code
from companion.shopee.client import ShopeeClient
from companion.shopee.session import RetryPolicy
from companion.shopee.tokens import TokenStore
from companion.store import StoredMessage
from tests.pipeline.conftest import TEST_RULES


def _rules(*extra: dict[str, Any]) -> RuleSet:
    return RuleSet.build(Rule.model_validate(r) for r in (*TEST_RULES, *extra))


def test_only_the_rules_for_the_intent_decide_what_is_needed() -> None:
    rules = _rules()
    assert needed_facts(rules, "order_status") == {"order_sn", "order_status"}
    assert needed_facts(rules, "tracking_number") == {"order_sn", "tracking_number"}
    assert needed_facts(rules, "return_refund") == frozenset()


def test_rules_for_every_intent_disabled_rules_and_required_data_are_counted_right() -> None:
    rules = _rules(
        {"id": "any", "name": "any intent", "action": "suggest",
         "templates": {"en": "Last seen: {{last_tracking_event}}"}},
        {"id": "off", "name": "disabled", "enabled": False, "when": {"intents": ["stock"]},
         "action": "suggest", "templates": {"en": "{{variant_stock}} left"}},
        {"id": "needs", "name": "needs eta", "when": {"intents": ["stock"],
                                                      "data_present": ["eta"]},
         "action": "suggest", "templates": {"en": "soon"}},
    )
    assert needed_facts(rules, "stock") == {"last_tracking_event", "eta"}
    assert "last_tracking_event" in needed_facts(rules, "order_status")


@dataclass
class Live:
    client: ShopeeClient
    shop: Shop
    http: httpx.AsyncClient


@pytest.fixture
async def live(aiohttp_server: Any, tmp_path: Any) -> AsyncIterator[Live]:
    server = await aiohttp_server(create_sandbox_app(seed=11, fault_timeout=1.0))
    base = f"http://127.0.0.1:{server.port}"
    async with httpx.AsyncClient(base_url=base, trust_env=False) as http:
        creds = (await http.get("/sandbox/v1/credentials")).json()
        code = (await http.post("/sandbox/v1/auth_code", json={})).json()
        client = ShopeeClient(partner_id=creds["partner_id"], partner_key=creds["partner_key"],
                              base_url=base, token_store=TokenStore(tmp_path),
                              retry=RetryPolicy(attempts=1), timeout=2.0)
        await exchange_code(client, Redirect(code["code"], shop_id=str(creds["shop_id"])))
        info = creds["shops"][0]
        yield Live(client, Shop(str(info["shop_id"]), info["region"], info["name"]), http)
        await client.aclose()


async def test_a_reply_without_tracking_history_does_not_call_for_it(live: Live) -> None:
    params = {"status": "SHIPPED", "shop_id": live.shop.shop_id}
    order = (await live.http.get("/sandbox/v1/orders", params=params)).json()["orders"][0]
    # Were the tracking history fetched, this fault would leave a note saying so.
    await live.http.post("/sandbox/v1/faults",
                         json={"path": "logistics/get_tracking_info", "kind": "http_500"})
    facts = await gather_facts(live.client, live.shop, order_sn=order["order_sn"],
                               tracking_events=False)
    assert facts.notes == ()
    assert facts.order is not None and facts.order.status == "SHIPPED"
    assert facts.order.tracking_number == order["tracking_number"]
    assert facts.order.last_tracking_event is None
    facts = await gather_facts(live.client, live.shop, order_sn=order["order_sn"])
    assert any(n.startswith("tracking info") for n in facts.notes)


async def test_facts_cached_without_tracking_are_not_reused_when_a_rule_needs_it(
        live: Live) -> None:
    params = {"status": "SHIPPED", "shop_id": live.shop.shop_id}
    order = (await live.http.get("/sandbox/v1/orders", params=params)).json()["orders"][0]
    message = StoredMessage(1, live.shop.shop_id, "c1", "m1", "buyer", 1.0, "where is it?",
                            str(order["buyer_id"]), "text", None, order["order_sn"], "poll",
                            True, "pending", 1.0, None)
    u = Understanding("order_status", "logistics", 0.9, "en", False, False, True)
    gather = make_gatherer(live.client)
    narrow = await gather(live.shop, message, u, frozenset({"order_status"}))
    assert narrow.order is not None and narrow.order.tracking_number is None
    wider = await gather(live.shop, message, u, frozenset({"tracking_number"}))
    assert wider.order is not None
    assert wider.order.tracking_number == order["tracking_number"]
    assert wider.order.last_tracking_event is None
    again = await gather(live.shop, message, u, frozenset({"order_status"}))
    assert again is wider  # the wider facts serve the narrower question from the cache
