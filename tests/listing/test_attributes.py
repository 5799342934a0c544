"""Product facts: the attribute asked about in each language, answered only from the listing."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from companion.listing.attributes import ATTRIBUTES, CUES, detect_attributes
from companion.listing.facts import listing_facts
from companion.listing.gaps import GapLog
from companion.listing.knowledge import ShopKnowledge
from companion.listing.phrases import LANGUAGES
from companion.listing.resolve import ListingContext
from companion.nlu.types import Understanding


def asked(intent: str, language: str) -> Understanding:
    return Understanding(intent, "pre_sale", 0.9, language, False, False, True)


QUESTIONS = [
    ("en", "what material is this ah?", "material", "100% cotton, 220 gsm"),
    ("ms", "bahan apa ni sis?", "material", "100% cotton, 220 gsm"),
    ("id", "kak bisa dicuci mesin gak?", "care", "Machine wash cold inside out"),
    ("vi", "xuất xứ ở đâu vậy shop", "origin", "Malaysia"),
    ("th", "มีสีอะไรบ้างคะ", "colour", "Black, White, Grey, Beige, Sage Green"),
    ("tl", "anong tela nito sis?", "material", "100% cotton, 220 gsm"),
    ("pt", "pode lavar na máquina?", "care", "Machine wash cold inside out"),
    ("es", "¿de dónde es? ¿hecho en?", "origin", "Malaysia"),
    ("zh-Hans", "这个是什么材质的？", "material", "100% cotton, 220 gsm"),
    ("zh-Hant", "產地是哪裡呢", "origin", "Malaysia"),
]


@pytest.mark.parametrize(("language", "text", "attribute", "value"), QUESTIONS)
async def test_the_attribute_is_found_and_answered_in_each_language(
    my_shop: ShopKnowledge, language: str, text: str, attribute: str, value: str
) -> None:
    tee = my_shop.by_sku("TEE_OVERSIZED")
    facts = listing_facts(my_shop, asked("product_spec", language), text,
                          ListingContext(my_shop.shop_id, tee.item_id))
    assert facts.status == "answer", facts.public()
    assert facts.values["attribute_name"] == attribute
    assert facts.values["item_attribute"].startswith(value)
    assert facts.values["item_name"] == tee.name


def test_every_attribute_has_cues_in_all_ten_languages() -> None:
    assert set(CUES) == set(ATTRIBUTES)
    for attribute, by_language in CUES.items():
        assert set(by_language) == set(LANGUAGES), attribute


@pytest.mark.parametrize(("text", "expected"), [
    ("sp này có phai màu khi giặt ko shop", ("care",)),
    ("does the colour fade after washing?", ("care",)),
    ("what colours and is it made in china?", ("colour", "origin")),
    ("ok thanks", ()),
    ("ซักครู่นะคะ เสียไหม", ()),
])
def test_a_cue_inside_a_longer_cue_does_not_count(text: str, expected: tuple[str, ...]) -> None:
    assert detect_attributes(text) == expected


async def test_the_tw_listing_answers_in_its_own_language(tw_shop: ShopKnowledge) -> None:
    pillow = tw_shop.by_sku("PILLOW")
    facts = listing_facts(tw_shop, asked("product_spec", "zh-Hant"), "請問尺寸多大？材質呢",
                          ListingContext(tw_shop.shop_id, pillow.item_id))
    assert facts.status == "answer"
    assert facts.attributes == ("dimensions", "material")
    assert facts.values["item_attribute"] == "dimensions: 60 x 40 x 10/12 cm; material: 天然乳膠"


async def test_a_fact_the_listing_lacks_is_not_guessed_and_the_gap_is_recorded(
    my_shop: ShopKnowledge, tmp_path: Path
) -> None:
    gaps = GapLog(tmp_path)
    tee = my_shop.by_sku("TEE_BASIC")
    context = ListingContext(my_shop.shop_id, tee.item_id)
    for language, text in (("en", "is this original? not fake right"), ("ms", "ori ke?"),
                           ("en", "compatible with apple watch?")):
        facts = listing_facts(my_shop, asked("product_spec", language), text, context,
                              gaps=gaps, now=100.0)
        assert facts.status == "suggest"
        assert "item_attribute" not in facts.values
        assert facts.note == "listing_lacks_fact"
    found = {g.fact: g for g in gaps.for_item(my_shop.shop_id, tee.item_id)}
    assert found["authenticity"].count == 2
    assert found["authenticity"].languages == {"en": 1, "ms": 1}
    assert found["compatibility"].count == 1
    assert stat.S_IMODE(gaps.path.stat().st_mode) == 0o600
    assert GapLog(tmp_path).all(my_shop.shop_id)[0].fact == "authenticity"


async def test_a_partly_answerable_question_suggests_with_what_the_listing_says(
    my_shop: ShopKnowledge,
) -> None:
    tee = my_shop.by_sku("TEE_BASIC")
    facts = listing_facts(my_shop, asked("product_spec", "en"),
                          "what material? and is it authentic?",
                          ListingContext(my_shop.shop_id, tee.item_id))
    assert facts.status == "suggest"
    assert facts.values["item_attribute"] == "95% cotton, 5% spandex"
    assert facts.gaps == ("authenticity",)


async def test_an_unclear_question_is_not_answered(my_shop: ShopKnowledge) -> None:
    tee = my_shop.by_sku("TEE_BASIC")
    facts = listing_facts(my_shop, asked("product_spec", "en"), "can tell me more about this?",
                          ListingContext(my_shop.shop_id, tee.item_id))
    assert facts.status == "suggest" and facts.note == "attribute_unknown"
