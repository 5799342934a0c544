"""Which item: the conversation's context before the words, and no guessing when unsure."""

from __future__ import annotations

from companion.listing.facts import listing_facts
from companion.listing.knowledge import ShopKnowledge
from companion.listing.recommend import item_url
from companion.listing.resolve import ListingContext, resolve_item
from companion.nlu.types import Understanding


def spec(language: str = "en") -> Understanding:
    return Understanding("product_spec", "pre_sale", 0.9, language, False, False, True)


def test_the_conversation_item_card_wins_over_item_names_in_the_text(
    my_shop: ShopKnowledge,
) -> None:
    tee, jeans = my_shop.by_sku("TEE_BASIC"), my_shop.by_sku("JEANS")
    text = "what material? I also saw your High Waist Straight Jeans"
    found = resolve_item(my_shop, text, ListingContext(my_shop.shop_id, tee.item_id))
    assert (found.item, found.source) == (tee, "card")
    facts = listing_facts(my_shop, spec(), text, ListingContext(my_shop.shop_id, tee.item_id))
    assert facts.values["item_attribute"] == "95% cotton, 5% spandex"
    without_context = resolve_item(my_shop, text, ListingContext(my_shop.shop_id))
    assert without_context.item == jeans and without_context.source == "name"


def test_the_order_in_the_conversation_chooses_the_item(my_shop: ShopKnowledge) -> None:
    pan, jeans, tee = (my_shop.by_sku(s) for s in ("PAN", "JEANS", "TEE_BASIC"))
    one = resolve_item(my_shop, "what material", ListingContext(my_shop.shop_id,
                                                                order_item_ids=(pan.item_id,)))
    assert (one.item, one.source) == (pan, "order")
    two = ListingContext(my_shop.shop_id, order_item_ids=(jeans.item_id, tee.item_id))
    assert resolve_item(my_shop, "the jeans what material ah", two).item == jeans
    unsure = resolve_item(my_shop, "what material ah", two)
    assert unsure.item is None and {c.item_id for c in unsure.candidates} == {
        jeans.item_id, tee.item_id}


def test_a_product_link_in_the_message_names_the_item(my_shop: ShopKnowledge) -> None:
    candle = my_shop.by_sku("CANDLE")
    link = item_url("MY", my_shop.shop_id, candle.item_id)
    found = resolve_item(my_shop, f"{link} where is this made?", ListingContext(my_shop.shop_id))
    assert (found.item, found.source) == (candle, "link")


def test_an_ambiguous_name_asks_which_item_in_the_buyers_language(
    my_shop: ShopKnowledge,
) -> None:
    facts = listing_facts(my_shop, spec("ms"), "case ni bahan apa?",
                          ListingContext(my_shop.shop_id))
    assert facts.status == "ask"
    assert facts.values["which_item"].startswith("Produk yang mana satu ya")
    assert "Liquid Silicone Case" in facts.values["which_item"]
    assert "item_attribute" not in facts.values


def test_words_matching_no_item_abstain(my_shop: ShopKnowledge) -> None:
    facts = listing_facts(my_shop, spec(), "what material is the sofa?",
                          ListingContext(my_shop.shop_id))
    assert facts.status == "suggest" and facts.item_id is None and facts.note == "item_unknown"


def test_chinese_names_match_by_their_characters(tw_shop: ShopKnowledge) -> None:
    found = resolve_item(tw_shop, "水豚君娃娃是什麼材質", ListingContext(tw_shop.shop_id))
    assert found.item == tw_shop.by_sku("PLUSH")
