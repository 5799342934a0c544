"""The `listing_status` condition, the listing placeholders, and Shopee's `edt` as `{{eta}}`."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from companion.pipeline.enrich import _order_facts
from companion.rules.engine import evaluate
from companion.rules.facts import Facts, ListingInfo, ShopFacts
from companion.shopee.models import Order
from tests.rules.conftest import rule, said

MY = ShopFacts.for_region("1", "MY", "Demo")
SPEC = ListingInfo(kind="product_spec", status="answer", values={
    "item_name": "Cotton Tee", "item_attribute": "100% cotton", "attribute_name": "material"})


def with_listing(listing: ListingInfo | None) -> Facts:
    return Facts(shop=MY, listing=listing)


@pytest.mark.parametrize(("wanted", "listing", "expected"), [
    (["answer"], SPEC, True),
    (["ask", "suggest"], SPEC, False),
    (["none"], None, True),
    (["answer"], None, False),
])
def test_listing_status_holds_only_for_the_statuses_named(wanted, listing, expected) -> None:
    r = rule(when={"intents": ["product_spec"], "listing_status": wanted})
    decision = evaluate([r], said("product_spec"), "what material?", with_listing(listing))
    assert decision.reasons[0].matched is expected
    if not expected:
        assert decision.reasons[0].condition == "listing_status"


def test_listing_values_fill_the_template_and_the_fact_name_follows_the_reply_language() -> None:
    templates = {"en": "{{item_name}}: {{attribute_name}} = {{item_attribute}}",
                 "zh-Hans": "{{item_name}}的{{attribute_name}}：{{item_attribute}}"}
    r = rule(when={"listing_status": ["answer"]}, templates=templates)
    english = evaluate([r], said("product_spec"), "material?", with_listing(SPEC))
    assert english.reply == "Cotton Tee: material = 100% cotton"
    chinese = evaluate([r], said("product_spec", "zh-Hans"), "材质？", with_listing(SPEC))
    assert chinese.reply == "Cotton Tee的材质：100% cotton"
    assert english.data_used["listing"]["status"] == "answer"


def test_a_listing_placeholder_without_a_value_never_renders() -> None:
    r = rule(when={}, templates={"en": "We recommend size {{recommended_size}}."})
    decision = evaluate([r], said("size_advice"), "which size?", with_listing(SPEC))
    assert decision.reply is None
    assert decision.fallback_reason == "missing data for {{recommended_size}}"


def test_unknown_listing_statuses_are_refused_at_save_time() -> None:
    with pytest.raises(ValidationError):
        rule(when={"listing_status": ["maybe"]})


async def test_shopees_estimated_delivery_becomes_the_eta() -> None:
    base = {"order_sn": "251001ABCDEF12", "order_status": "READY_TO_SHIP"}
    arrives = int(datetime(2025, 10, 9, 4, tzinfo=UTC).timestamp())
    order = Order.model_validate({**base, "edt_from": arrives - 2 * 86400, "edt_to": arrives})
    # READY_TO_SHIP needs no tracking call, so no client is used
    facts = Facts(shop=MY, order=await _order_facts(None, "1", order, 1.0, []))  # type: ignore[arg-type]
    assert facts.placeholder_values("en")["eta"] == "2025-10-09"
    without = await _order_facts(None, "1", Order.model_validate(base), 1.0, [])  # type: ignore[arg-type]
    assert Facts(shop=MY, order=without).placeholder_values("en")["eta"] is None
