"""Recommendations: pinned picks and best sellers from the shop's own buyable items."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from companion.listing.facts import listing_facts
from companion.listing.knowledge import ShopKnowledge, Variant
from companion.listing.pins import PinStore
from companion.listing.recommend import recommend
from companion.listing.resolve import ListingContext
from companion.nlu.types import Understanding

ASK = Understanding("recommendation", "pre_sale", 0.9, "en", False, False, True)


def sold_out(shop: ShopKnowledge, item_ids: set[str]) -> ShopKnowledge:
    """The same shop with these items' every variant at zero stock (as after a sale rush)."""
    def empty(item):
        if item.item_id not in item_ids:
            return item
        return dataclasses.replace(item, item_stock=0, variants=tuple(
            Variant(v.model_id, v.options, 0, v.price) for v in item.variants))
    return dataclasses.replace(shop, items=tuple(empty(i) for i in shop.items))


def test_best_sellers_come_by_sales(my_shop: ShopKnowledge) -> None:
    picks = recommend(my_shop)
    top = sorted(my_shop.items, key=lambda i: -(i.sales or 0))[:3]
    assert [p.item_id for p in picks] == [i.item_id for i in top]
    assert picks[0].url == f"https://shopee.com.my/product/{my_shop.shop_id}/{top[0].item_id}"


def test_recommendations_exclude_sold_out_items(my_shop: ShopKnowledge) -> None:
    top = sorted(my_shop.items, key=lambda i: -(i.sales or 0))[:2]
    shop = sold_out(my_shop, {i.item_id for i in top})
    facts = listing_facts(shop, ASK, "any best seller?", ListingContext(shop.shop_id))
    assert facts.status == "answer"
    assert not {i.item_id for i in top} & set(facts.item_card_ids)
    assert all(shop.item(i).in_stock for i in facts.item_card_ids)
    assert len(facts.values["recommendations"]) <= 200
    assert len(facts.values["recommendation_links"]) <= 200


def test_pinned_picks_come_first_unless_sold_out(my_shop: ShopKnowledge, tmp_path: Path) -> None:
    pins = PinStore(tmp_path)
    towel, pillow = my_shop.by_sku("TOWEL"), my_shop.by_sku("PILLOW")
    pins.set(my_shop.shop_id, [pillow.item_id, towel.item_id])
    picks = recommend(my_shop, pinned=PinStore(tmp_path).get(my_shop.shop_id))
    assert [p.item_id for p in picks[:2]] == [pillow.item_id, towel.item_id]
    assert picks[0].pinned and not picks[2].pinned
    shop = sold_out(my_shop, {pillow.item_id})
    assert pillow.item_id not in [p.item_id for p in recommend(shop, pinned=pins.get(
        my_shop.shop_id))]


def test_a_sold_out_item_gets_in_stock_alternatives_of_its_kind(my_shop: ShopKnowledge) -> None:
    jeans = my_shop.by_sku("JEANS")
    shop = sold_out(my_shop, {jeans.item_id})
    facts = listing_facts(shop, ASK, "this one sold out, anything else?",
                          ListingContext(shop.shop_id, jeans.item_id))
    assert facts.note == "alternatives"
    assert jeans.item_id not in facts.item_card_ids
    assert all(shop.item(i).category_id == jeans.category_id for i in facts.item_card_ids)


def test_nothing_buyable_means_no_recommendation(my_shop: ShopKnowledge) -> None:
    shop = sold_out(my_shop, {i.item_id for i in my_shop.items})
    facts = listing_facts(shop, ASK, "recommend something", ListingContext(shop.shop_id))
    assert facts.status == "suggest" and "recommendations" not in facts.values
