"""Size advice from the buyer's measurements against the item's own size chart."""

from __future__ import annotations

import pytest

from companion.listing.facts import listing_facts
from companion.listing.knowledge import ShopKnowledge
from companion.listing.resolve import ListingContext
from companion.listing.sizing import advise, chart_rows, parse_measurements
from companion.nlu.types import Understanding


def sizing(language: str) -> Understanding:
    return Understanding("size_advice", "pre_sale", 0.9, language, False, False, True)


@pytest.mark.parametrize(("text", "height", "weight"), [
    ("170cm 65kg", 170.0, 65.0),
    ("I'm 5'7\" and 150 lbs", 170.2, 68.0),
    ("5 ft 2 in, 110lb", 157.5, 49.9),
    ("身高170 体重130斤", 170.0, 65.0),
    ("身高1米65，60公斤", 165.0, 60.0),
    ("cao 1m6 nặng 50kg", 160.0, 50.0),
    ("tinggi 1.58 m berat 48", 158.0, 48.0),
    ("สูง 165 หนัก 55", 165.0, 55.0),
    ("mido 1.70 y peso 70 kilos", 170.0, 70.0),
    ("tenho 1,80 e 80 quilos", 180.0, 80.0),
    ("165/55", 165.0, 55.0),
])
def test_heights_and_weights_are_converted_from_the_units_buyers_use(
    text: str, height: float, weight: float
) -> None:
    parsed = parse_measurements(text)
    assert parsed.height_cm == pytest.approx(height, abs=0.1)
    assert parsed.weight_kg == pytest.approx(weight, abs=0.1)


@pytest.mark.parametrize(("text", "foot"), [
    ("foot length 25cm", 25.0), ("腳長245mm", 24.5), ("my foot is 9.5 inches", 24.1),
    ("chân 24.5cm", 24.5), ("kaki 25 size 40", 25.0),
])
def test_foot_lengths_are_converted_too(text: str, foot: float) -> None:
    assert parse_measurements(text, shoes=True).foot_cm == pytest.approx(foot, abs=0.1)


def test_numbers_that_are_not_body_measures_are_ignored() -> None:
    assert parse_measurements("order 2 pcs of size 40 please") == parse_measurements("")


@pytest.mark.parametrize(("sku", "text", "size"), [
    ("TEE_OVERSIZED", "170cm 65kg which size?", "L"),
    ("POLO", "5'7 150 lbs what size", "XL"),
    ("TEE_BASIC", "tinggi 158cm berat 48kg saiz apa", "S"),
    ("CHINOS", "BB 60kg celana ukuran apa", "L"),
    ("RUNNER", "my foot is 25cm", "41"),
    ("SLIDES", "chân 24.5cm", "40"),
])
def test_typical_measurements_get_the_chart_size_and_a_reason(
    my_shop: ShopKnowledge, sku: str, text: str, size: str
) -> None:
    advice = advise(my_shop.by_sku(sku), text, "en")
    assert advice.status == "recommend"
    assert advice.size == size
    assert f"size {size}" in advice.reason


def test_between_two_sizes_the_roomier_one_is_chosen_and_explained(my_shop: ShopKnowledge) -> None:
    advice = advise(my_shop.by_sku("TEE_BASIC"), "152cm 57kg", "en")
    assert advice.size == "M"
    assert "suits S" in advice.reason and "suits M" in advice.reason


def test_just_outside_the_chart_gets_the_closest_size_but_far_outside_gets_none(
    my_shop: ShopKnowledge,
) -> None:
    tee = my_shop.by_sku("TEE_BASIC")
    edge = advise(tee, "148cm 41kg", "en")
    assert (edge.status, edge.size) == ("recommend", "S")
    assert "just outside" in edge.reason
    far = listing_facts(my_shop, sizing("en"), "I'm 195cm 100kg",
                        ListingContext(my_shop.shop_id, tee.item_id))
    assert far.status == "suggest" and "recommended_size" not in far.values


@pytest.mark.parametrize(("language", "sku", "expected"), [
    ("th", "SPORT_TEE", "ส่วนสูง"),
    ("es", "RUNNER", "el largo de tu pie"),
    ("zh-Hans", "HOODIE", "身高"),
    ("ms", "JEANS", "berat"),
])
def test_missing_measurements_are_asked_for_in_the_buyers_language(
    my_shop: ShopKnowledge, language: str, sku: str, expected: str
) -> None:
    facts = listing_facts(my_shop, sizing(language), "size?",
                          ListingContext(my_shop.shop_id, my_shop.by_sku(sku).item_id))
    assert facts.status == "ask"
    assert expected in facts.values["size_question"]
    assert "recommended_size" not in facts.values


def test_bottoms_only_need_the_weight_their_chart_uses(my_shop: ShopKnowledge) -> None:
    jeans = my_shop.by_sku("JEANS")
    assert chart_rows(jeans.size_chart)[0] == ("weight",)
    assert advise(jeans, "170cm", "en").missing == ("weight",)


def test_an_item_without_a_size_chart_gets_no_size_and_a_gap(my_shop: ShopKnowledge) -> None:
    pan = my_shop.by_sku("PAN")
    facts = listing_facts(my_shop, sizing("en"), "170cm 60kg what size",
                          ListingContext(my_shop.shop_id, pan.item_id))
    assert facts.status == "suggest" and facts.gaps == ("size_chart",)


def test_a_sold_out_recommended_size_is_said_with_the_nearest_in_stock(
    my_shop: ShopKnowledge,
) -> None:
    # Find a sold-out colour+size of an apparel item in the seeded shop, then ask for it.
    item, variant = next(
        (i, v) for i in my_shop.items if i.size_chart and i.tier_names[:1] == ("Colour",)
        and "Height (cm)" in i.size_chart.columns for v in i.variants if v.stock == 0)
    colour, size = variant.options
    row = next(r for r in item.size_chart.rows if r[0] == size)
    columns = item.size_chart.columns
    height = row[columns.index("Height (cm)")].split("-")
    weight = row[columns.index("Weight (kg)")].split("-")
    mid_h = (int(height[0]) + int(height[1])) // 2
    mid_w = (int(weight[0]) + int(weight[1])) // 2
    text = f"{mid_h}cm {mid_w}kg, {colour} which size?"
    facts = listing_facts(my_shop, sizing("en"), text, ListingContext(my_shop.shop_id,
                                                                      item.item_id))
    assert facts.status == "answer"
    assert facts.values["recommended_size"] == size
    assert f"size {size} ({colour}) is sold out" in facts.values["size_reason"]
    nearest = facts.values["nearest_size"]
    assert nearest != size
    assert any(v.options == (colour, nearest) and v.stock > 0 for v in item.variants)
    assert facts.note == "recommended_size_sold_out"
