"""Each condition type alone (holds / fails with the reason named) and combined."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from companion.nlu import Entities
from companion.rules.engine import evaluate
from companion.rules.facts import BuyerFacts, Facts, ItemFacts, ShopFacts
from tests.rules.conftest import facts, rule, said


def fired(r, understanding, text="hello", the_facts=None) -> tuple[bool, str | None]:
    decision = evaluate([r], understanding, text, the_facts or facts())
    reason = decision.reasons[0]
    return reason.matched, reason.condition


CASES = [
    # (conditions, understanding, facts, text, expected match)
    ({"intents": ["stock"]}, said("stock"), None, "", True),
    ({"intents": ["stock"]}, said("greeting"), None, "", False),
    ({"languages": ["th"]}, said(language="th"), None, "", True),
    ({"languages": ["th"]}, said(language="en"), None, "", False),
    ({"min_confidence": 0.8}, said(confidence=0.9), None, "", True),
    ({"min_confidence": 0.8}, said(confidence=0.5), None, "", False),
    ({"negative": True}, said(negative=True), None, "", True),
    ({"negative": True}, said(), None, "", False),
    ({"wants_human": True}, said(wants_human=True), None, "", True),
    ({"understood": False}, said(confidence=0.1), None, "", True),
    ({"entities": ["order_sn"]}, said(entities=Entities(order_sns=("231124QW8E7R2K",))), None,
     "", True),
    ({"entities": ["size"]}, said(entities=Entities(order_sns=("231124QW8E7R2K",))), None, "",
     False),
    ({"entities": ["height"]}, said(entities=Entities(height_cm=170.0)), None, "", True),
    ({"has_order": True}, said(), facts("SHIPPED"), "", True),
    ({"has_order": True}, said(), facts(), "", False),
    ({"has_order": False}, said(), facts(), "", True),
    ({"order_status_in": ["SHIPPED"]}, said(), facts("SHIPPED"), "", True),
    ({"order_status_in": ["SHIPPED"]}, said(), facts("UNPAID"), "", False),
    ({"order_status_in": ["SHIPPED"]}, said(), facts(), "", False),
    ({"order_status_not_in": ["SHIPPED"]}, said(), facts("UNPAID"), "", True),
    ({"order_status_not_in": ["SHIPPED"]}, said(), facts("SHIPPED"), "", False),
    ({"order_status_not_in": ["SHIPPED"]}, said(), facts(), "", False),
    ({"keywords_any": ["refund", "退款"]}, said(), None, "I want a refund", True),
    ({"keywords_any": ["refund"]}, said(), None, "refundable?", False),
    ({"keywords_all": ["size", ["m", "medium"]]}, said(), None, "size medium pls", True),
    ({"keywords_all": ["size", ["m", "medium"]]}, said(), None, "size large pls", False),
    ({"keywords_none": ["cancel"]}, said(), None, "please cancel", False),
    ({"keywords_none": ["cancel"]}, said(), None, "please ship", True),
    ({"regex": r"\b\d{6}[0-9a-z]{8}\b"}, said(), None, "order 231124QW8E7R2K?", True),
    ({"regex": r"^refund$"}, said(), None, "no refund", False),
    ({"repeat_buyer": True}, said(), facts(facts={"buyer": BuyerFacts(is_repeat=True)}), "",
     True),
    ({"repeat_buyer": True}, said(), facts(facts={"buyer": BuyerFacts(is_repeat=False)}), "",
     False),
    ({"repeat_buyer": False}, said(), facts(), "", False),
    ({"tags_all": ["vip"]}, said(), facts(facts={"tags": frozenset({"vip"})}), "", True),
    ({"tags_all": ["vip"]}, said(), facts(), "", False),
    ({"tags_none": ["vip"]}, said(), facts(facts={"tags": frozenset({"vip"})}), "", False),
    ({"data_present": ["tracking_number"]}, said(), facts("SHIPPED", tracking_number="SPX1"),
     "", True),
    ({"data_present": ["tracking_number"]}, said(), facts("SHIPPED"), "", False),
]


@pytest.mark.parametrize(("when", "understanding", "the_facts", "text", "expected"), CASES)
def test_each_condition_alone_holds_or_fails(when, understanding, the_facts, text, expected):
    matched, condition = fired(rule(when=when), understanding, text, the_facts)
    assert matched is expected
    if not expected:
        assert condition is not None and condition.split("_")[0] in " ".join(when) + " order"


def _item(stock: int | None) -> Facts:
    return facts(facts={"item": ItemFacts(item_id="1", item_name="Tee", variant_stock=stock)})


def test_stock_at_most_holds_at_and_below_the_number_and_fails_without_stock_data():
    when = {"stock_at_most": 3}
    assert fired(rule(when=when), said(), the_facts=_item(3))[0]
    assert fired(rule(when=when), said(), the_facts=_item(0))[0]
    assert fired(rule(when=when), said(), the_facts=_item(4)) == (False, "stock_at_most")
    assert fired(rule(when=when), said(), the_facts=_item(None)) == (False, "stock_at_most")


def _at(utc: datetime) -> Facts:
    return Facts(shop=ShopFacts.for_region("1", "MY", "Demo"), now=utc)


def test_business_hours_are_the_shops_hours_in_its_time_zone():
    hours = {"business_hours": {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00",
                                "end": "18:00"}}
    wed_10_myt = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
    wed_20_myt = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    sat_10_myt = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
    assert fired(rule(when=hours), said(), the_facts=_at(wed_10_myt))[0]
    assert fired(rule(when=hours), said(), the_facts=_at(wed_20_myt)) == (False, "business_hours")
    assert fired(rule(when=hours), said(), the_facts=_at(sat_10_myt)) == (False, "business_hours")


def test_outside_hours_and_overnight_windows_work():
    night = {"business_hours": {"start": "22:00", "end": "06:00"}}
    outside = {"business_hours": {"start": "09:00", "end": "18:00", "inside": False}}
    at_23 = _at(datetime(2026, 11, 25, 15, 0, tzinfo=UTC))  # 23:00 MYT
    at_12 = _at(datetime(2026, 11, 25, 4, 0, tzinfo=UTC))  # 12:00 MYT
    assert fired(rule(when=night), said(), the_facts=at_23)[0]
    assert not fired(rule(when=night), said(), the_facts=at_12)[0]
    assert fired(rule(when=outside), said(), the_facts=at_23)[0]
    assert not fired(rule(when=outside), said(), the_facts=at_12)[0]


def test_combined_conditions_must_all_hold_and_the_first_failure_is_named():
    when = {"intents": ["cancel_order"], "order_status_in": ["READY_TO_SHIP"],
            "keywords_all": ["取消", "订单"], "languages": ["zh-Hans"], "min_confidence": 0.6}
    cancel = said("cancel_order", "zh-Hans")
    assert fired(rule(when=when), cancel, "我要取消订单", facts("READY_TO_SHIP"))[0]
    assert fired(rule(when=when), cancel, "我要取消", facts("READY_TO_SHIP")) == \
        (False, "keywords_all")
    assert fired(rule(when=when), cancel, "我要取消订单", facts("SHIPPED")) == \
        (False, "order_status_in")
    assert fired(rule(when=when), said("cancel_order", "en"), "我要取消订单",
                 facts("READY_TO_SHIP")) == (False, "languages")
    assert fired(rule(when=when), said("cancel_order", "zh-Hans", 0.3), "我要取消订单",
                 facts("READY_TO_SHIP")) == (False, "min_confidence")


def test_a_rule_without_conditions_matches_everything():
    assert fired(rule(), said(), "anything")[0]
