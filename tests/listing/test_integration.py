"""Answers from the listing end to end: the real companion with its default rules on the demo
sandbox, through the dry run and through the pipeline, plus the gap and pin endpoints."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from companion.listing.knowledge import ItemKnowledge, KnowledgeStore, ShopKnowledge, Variant
from companion.rules.packs import default_rules
from companion.settings import Settings
from companion.web.app import create_app
from companion.web.keys import connection_key, listing_key
from tests.pipeline.conftest import FAST, Rig, write_setup

LANGUAGES = ["en", "ms", "zh-Hans"]  # the MY shop's reply languages


@asynccontextmanager
async def open_rig(aiohttp_client: Any, settings: Settings,
                   auth: dict[str, str]) -> AsyncIterator[Rig]:
    """The companion with the shipped professional rules, fast polling, on the demo sandbox."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    rules = [r.model_dump(mode="json") for r in default_rules(LANGUAGES)]
    write_setup(settings.data_dir, rules, dict(FAST))
    companion = await aiohttp_client(create_app(settings))
    url = companion.server.app[connection_key].sandbox_url
    async with httpx.AsyncClient(base_url=url, trust_env=False, timeout=20) as sandbox:
        yield Rig(companion, sandbox, auth)


@pytest.fixture
async def rig(aiohttp_client: Any, settings: Settings,
              auth: dict[str, str]) -> AsyncIterator[Rig]:
    async with open_rig(aiohttp_client, settings, auth) as running:
        yield running


async def item(rig: Rig, sku: str) -> ItemKnowledge:
    """An item of the MY shop, from the knowledge the companion fetched at start."""
    shop = await rig.app[listing_key].knowledge(rig.shop_id, wait_s=10)
    assert shop is not None
    found = shop.by_sku(sku)
    assert found is not None
    return found


async def dry_run(rig: Rig, text: str, **fields: Any) -> dict[str, Any]:
    resp = await rig.companion.post("/api/v1/rules/test", json={"text": text, **fields},
                                    headers=rig.auth)
    assert resp.status == 200, await resp.text()
    return await resp.json()


async def gaps(rig: Rig) -> dict[str, Any]:
    resp = await rig.companion.get("/api/v1/listing/gaps", params={"shop_id": rig.shop_id},
                                   headers=rig.auth)
    assert resp.status == 200
    return await resp.json()


async def test_the_dry_run_answers_a_product_question_with_the_listings_own_value(
    rig: Rig,
) -> None:
    tee = await item(rig, "TEE_OVERSIZED")
    result = await dry_run(rig, "what material is this?", item_id=tee.item_id)
    assert result["intent"] == "product_spec"
    assert result["rule_id"] == "spec.listing"
    assert result["facts"]["listing"]["status"] == "answer"
    assert result["facts"]["listing"]["item_source"] == "card"
    assert "100% cotton, 220 gsm" in result["reply"]
    assert tee.name in result["reply"] and "material" in result["reply"]
    assert (await gaps(rig))["gaps"] == []  # a dry run counts no gaps


async def test_the_pipeline_suggests_the_listings_value_in_suggest_mode(rig: Rig) -> None:
    tee = await item(rig, "TEE_OVERSIZED")
    injected = await rig.inject("What is the material of this shirt?", item_id=int(tee.item_id))
    decision = await rig.processed(injected)
    assert decision.action == "suggest"
    assert decision.rule_id == "spec.listing"
    assert "100% cotton, 220 gsm" in decision.reply_text
    assert decision.data_used["listing"]["item_id"] == tee.item_id
    assert await rig.shop_replies_after(injected) == []


async def test_the_pipeline_sends_the_listings_value_when_the_policy_allows_auto(rig: Rig) -> None:
    tee = await item(rig, "TEE_OVERSIZED")
    await rig.set_auto(True)
    resp = await rig.companion.put("/api/v1/automation/product_spec", json={"override": "auto"},
                                   headers=rig.auth)
    assert resp.status == 200
    order = await rig.order("COMPLETED")  # a buyer with an order may be written to
    injected = await rig.inject("what material is this?", item_id=int(tee.item_id),
                                order_sn=order["order_sn"])
    replies = await rig.until(lambda: rig.shop_replies_after(injected))
    assert replies[0]["sent_via"] == "send_autoreply_message"
    assert "100% cotton, 220 gsm" in replies[0]["content"]["text"]
    assert (await rig.processed(injected)).action == "auto_reply"


async def test_a_fact_the_listing_lacks_is_not_answered_and_shows_in_the_gaps(rig: Rig) -> None:
    tee = await item(rig, "TEE_BASIC")
    injected = await rig.inject("is this original or fake?", item_id=int(tee.item_id))
    decision = await rig.processed(injected)
    assert decision.intent == "product_spec"
    assert decision.rule_id == "spec.listing-gap"
    assert decision.action == "suggest"
    assert not any(value in decision.reply_text for value in tee.attributes.values())
    assert await rig.shop_replies_after(injected) == []
    found = await gaps(rig)
    assert found["items"][0]["item_id"] == tee.item_id
    assert found["items"][0]["name"] == tee.name
    assert found["items"][0]["facts"][0]["fact"] == "authenticity"
    assert found["items"][0]["facts"][0]["languages"] == {"en": 1}
    one = await rig.companion.get("/api/v1/listing/gaps", headers=rig.auth,
                                  params={"shop_id": rig.shop_id, "item_id": "1"})
    assert (await one.json())["gaps"] == []


async def test_size_advice_with_measurements_recommends_the_charts_size(rig: Rig) -> None:
    tee = await item(rig, "TEE_OVERSIZED")
    result = await dry_run(rig, "I'm 170cm 65kg, which size should I take?",
                           item_id=tee.item_id)
    assert result["rule_id"] == "size.listing"
    assert "we recommend size L" in result["reply"]
    assert "170 cm" in result["reply"] and "65 kg" in result["reply"]
    injected = await rig.inject("I'm 170cm 65kg, which size should I take?",
                                item_id=int(tee.item_id))
    decision = await rig.processed(injected)
    assert decision.rule_id == "size.listing"
    assert "we recommend size L" in decision.reply_text


async def test_size_advice_without_measurements_asks_for_them(rig: Rig) -> None:
    tee = await item(rig, "TEE_OVERSIZED")
    result = await dry_run(rig, "which size should I take?", item_id=tee.item_id)
    assert result["rule_id"] == "size.listing-ask"
    assert result["facts"]["listing"]["status"] == "ask"
    assert "height (cm)" in result["reply"] and "weight (kg)" in result["reply"]


async def test_an_earlier_item_card_in_the_conversation_is_the_context(rig: Rig) -> None:
    tee = await item(rig, "TEE_OVERSIZED")
    first = await rig.inject("hi, I like this one", item_id=int(tee.item_id))
    await rig.processed(first)
    follow = await rig.inject("what material is it?", buyer_id=first["buyer_id"])
    decision = await rig.processed(follow)
    assert decision.data_used["listing"]["item_source"] == "card"
    assert "100% cotton, 220 gsm" in decision.reply_text


def sold_out(shop: ShopKnowledge, item_ids: set[str]) -> ShopKnowledge:
    """The shop as a refresh right now would see it after these items sold out."""
    def empty(i: ItemKnowledge) -> ItemKnowledge:
        if i.item_id not in item_ids:
            return i
        return dataclasses.replace(i, item_stock=0, variants=tuple(
            Variant(v.model_id, v.options, 0, v.price) for v in i.variants))
    return dataclasses.replace(shop, fetched_at=time.time(),
                               items=tuple(empty(i) for i in shop.items))


async def test_recommendations_exclude_sold_out_items_even_pinned_ones(
    aiohttp_client: Any, settings: Settings, auth: dict[str, str],
    demo_shops: dict[str, ShopKnowledge],
) -> None:
    my = demo_shops["MY"]
    best = sorted(my.items, key=lambda i: -(i.sales or 0))
    gone, kept = best[:2], best[2:5]
    KnowledgeStore(settings.data_dir).save(sold_out(my, {i.item_id for i in gone}))
    async with open_rig(aiohttp_client, settings, auth) as rig:
        assert rig.shop_id == my.shop_id
        pinned = [gone[0].item_id, kept[2].item_id]
        resp = await rig.companion.put("/api/v1/listing/pins", headers=rig.auth,
                                       json={"shop_id": rig.shop_id, "item_ids": pinned})
        assert resp.status == 200
        assert [i["in_stock"] for i in (await resp.json())["items"]] == [False, True]
        result = await dry_run(rig, "any best seller to recommend?")
        assert result["rule_id"] == "recommendation.listing"
        cards = result["facts"]["listing"]["item_card_ids"]
        assert cards == [kept[2].item_id, kept[0].item_id, kept[1].item_id]
        assert not {i.item_id for i in gone} & set(cards)
        assert f"/product/{rig.shop_id}/{kept[2].item_id}" in result["reply"]
        assert all(i.item_id not in result["reply"] for i in gone)
        pins = await rig.companion.get("/api/v1/listing/pins", headers=rig.auth,
                                       params={"shop_id": rig.shop_id})
        assert (await pins.json())["item_ids"] == pinned


async def test_pins_of_unknown_items_are_refused(rig: Rig) -> None:
    await item(rig, "TEE_BASIC")
    resp = await rig.companion.put("/api/v1/listing/pins", headers=rig.auth,
                                   json={"item_ids": ["123"]})
    assert resp.status == 422
    assert (await resp.json())["error"] == "unknown_shop"  # two shops: shop_id is required
    resp = await rig.companion.put("/api/v1/listing/pins", headers=rig.auth,
                                   json={"shop_id": rig.shop_id, "item_ids": ["123"]})
    assert resp.status == 422
    assert (await resp.json())["error"] == "unknown_item"
