"""Templates: allow-listed placeholders in one pass, injection stays literal, no holes sent."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from companion.rules.engine import evaluate
from companion.rules.facts import BuyerFacts, ShopFacts
from companion.rules.templates import render, template_problem
from tests.rules.conftest import facts, rule, said


@pytest.mark.parametrize("name", ["{{buyer_name}}", "{{ {{order_sn}} }}", "{{order_sn}}}}",
                                  "{{voucher_code}}{{", "%(order_sn)s {{order_sn}}",
                                  "{0.__class__}", "${order_sn}"])
def test_buyer_supplied_values_stay_literal(name):
    the_facts = facts("SHIPPED", facts={"buyer": BuyerFacts(name=name), "voucher_code": "SECRET"})
    r = rule(templates={"en": "Hi {{buyer_name}}, order {{order_sn}}."})
    decision = evaluate([r], said(), "hi", the_facts)
    assert decision.reply == f"Hi {name}, order 231124QW8E7R2K."
    assert "SECRET" not in decision.reply


def test_values_are_inserted_once_and_never_rescanned():
    rendered = render("{{buyer_name}} / {{shop_name}}",
                      {"buyer_name": "{{shop_name}}", "shop_name": "Shop"})
    assert rendered.text == "{{shop_name}} / Shop"


def test_format_style_syntax_in_a_template_is_just_text():
    r = rule(templates={"en": "{0} %s {{order_sn}} {order_sn} ${x}"})
    assert evaluate([r], said(), "x", facts("SHIPPED")).reply == \
        "{0} %s 231124QW8E7R2K {order_sn} ${x}"


@pytest.mark.parametrize(("text", "problem"), [
    ("Hi {{buyer}}", "unknown placeholder"),
    ("Hi {{__class__}}", "unknown placeholder"),
    ("Hi {{buyer_name.upper}}", "unknown placeholder"),
    ("Hi {{ buyer_name }} {{", "stray"),
    ("x" * 601, "600"),
    ("   ", "empty"),
])
def test_bad_templates_are_refused_at_save_with_the_language_named(text, problem):
    assert problem in (template_problem(text) or "")
    with pytest.raises(ValidationError) as info:
        rule(templates={"th": text})
    assert info.value.errors()[0]["loc"] == ("templates", "th")


def test_a_template_of_exactly_600_characters_is_accepted():
    rule(templates={"en": "x" * 600})


def test_a_missing_placeholder_means_no_send_and_falls_back_with_the_reason():
    r = rule(templates={"en": "Tracking: {{tracking_number}}"})
    decision = evaluate([r], said(), "where", facts("READY_TO_SHIP"))
    assert decision.reply is None
    assert decision.action == "suggest"
    assert "{{tracking_number}}" in decision.fallback_reason


def test_a_missing_placeholder_can_fall_back_to_escalate():
    r = rule(templates={"en": "ETA {{eta}}"}, on_missing_data="escalate")
    decision = evaluate([r], said(), "when", facts("SHIPPED"))
    assert (decision.action, decision.reply) == ("escalate", None)


def test_order_status_is_localised_in_the_reply_language():
    r = rule(templates={"zh-Hans": "状态：{{order_status}}", "th": "สถานะ: {{order_status}}",
                        "en": "Status: {{order_status}}"})
    assert evaluate([r], said(language="zh-Hans"), "x", facts("SHIPPED")).reply == "状态：运送中"
    assert evaluate([r], said(language="th"), "x", facts("UNPAID")).reply == \
        "สถานะ: ที่ต้องชำระ"
    assert evaluate([r], said(language="en"), "x", facts("COMPLETED")).reply == "Status: completed"


def test_reply_language_is_the_buyers_then_the_shops_default():
    r = rule(templates={"en": "hello", "ms": "hai"})
    ms = evaluate([r], said(language="ms"), "x", facts())
    vi = evaluate([r], said(language="vi"), "x", facts())  # MY shop: default en
    assert (ms.reply, ms.language) == ("hai", "ms")
    assert (vi.reply, vi.language) == ("hello", "en")


def test_no_template_in_the_buyers_or_the_shops_language_falls_back():
    r = rule(templates={"th": "สวัสดี"})
    decision = evaluate([r], said(language="vi"), "x", facts())
    assert decision.reply is None and decision.action == "suggest"
    assert "no template" in decision.fallback_reason


def test_a_value_that_brings_a_link_blocks_the_reply_unless_the_rule_allows_links():
    the_facts = facts("SHIPPED", facts={"shop": ShopFacts(name="visit evil.com now")})
    blocked = evaluate([rule(templates={"en": "{{shop_name}}"})], said(), "x", the_facts)
    allowed = evaluate([rule(templates={"en": "{{shop_name}}"}, allow_urls=True)], said(), "x",
                       the_facts)
    assert blocked.reply is None and "link" in blocked.fallback_reason
    assert allowed.reply == "visit evil.com now"


def test_values_lose_line_breaks_and_are_capped():
    rendered = render("{{buyer_name}}", {"buyer_name": "a\nb\r\n" + "c" * 500})
    assert rendered.text is not None and "\n" not in rendered.text
    assert len(rendered.text) <= 200
