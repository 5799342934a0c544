"""The seed's own example: 取消 + 订单 with the order READY_TO_SHIP gets the exact reply (and its
translations); every other status gets the answer for that status instead."""

from __future__ import annotations

import json

import pytest

from companion.nlu.taxonomy import LANGUAGES
from companion.rules.engine import evaluate
from companion.rules.facts import ShopFacts
from companion.rules.packs import default_pack_path
from tests.rules.conftest import facts

SEED = ("我们已收到您的取消请求。请注意,由于订单可能已在打包处理中,我们将尽力为您拦截。"
        "请稍后留意系统状态更新或我们的进一步通知。")
CANCEL_MESSAGES = {
    "zh-Hans": "我想取消订单", "zh-Hant": "我想取消訂單，謝謝", "en": "pls cancel my order",
    "id": "tolong batalkan pesanan saya ya", "vi": "cho mình hủy đơn hàng nhé",
    "th": "ขอยกเลิกคำสั่งซื้อค่ะ", "ms": "nak batalkan order saya boleh?",
    "tl": "pa-cancel po ng order ko", "pt": "quero cancelar meu pedido",
    "es": "quiero cancelar mi pedido por favor",
}
EXPECTED_RULE = {
    "UNPAID": "cancel.unpaid", "READY_TO_SHIP": "cancel.seed.ready-to-ship",
    "PROCESSED": "cancel.processed", "RETRY_SHIP": "cancel.processed",
    "SHIPPED": "cancel.shipped", "TO_CONFIRM_RECEIVE": "cancel.shipped",
    "IN_CANCEL": "cancel.in-cancel", "CANCELLED": "cancel.cancelled",
    "COMPLETED": "cancel.completed", "TO_RETURN": "cancel.to-return",
    "INVOICE_PENDING": "cancel.pending", "PENDING": "cancel.pending",
}
MARKETS = {"zh-Hans": "SG", "zh-Hant": "TW", "en": "MY", "id": "ID", "vi": "VN", "th": "TH",
           "ms": "MY", "tl": "PH", "pt": "BR", "es": "MX"}
SHIPPED_DATA = {"tracking_number": "SPXMY0123456789", "carrier": "SPX Express"}


def seed_text(language: str) -> str:
    pack = json.loads(default_pack_path(language).read_text(encoding="utf-8"))
    rule = next(r for r in pack["rules"] if r["id"] == "cancel.seed.ready-to-ship")
    return rule["templates"][language]


def test_the_simplified_chinese_seed_text_is_exactly_the_seeds():
    assert seed_text("zh-Hans") == SEED


def test_every_language_has_its_own_translation_of_the_seed():
    texts = {lang: seed_text(lang) for lang in LANGUAGES}
    assert len(set(texts.values())) == len(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_cancel_plus_order_ready_to_ship_gets_the_seed_reply_in_the_buyers_language(
    language, understander, all_defaults
):
    text = CANCEL_MESSAGES[language]
    understanding = understander.understand(text)
    assert understanding.language == language
    shop = ShopFacts.for_region("1", MARKETS[language], "Demo Shop")  # a market speaking it
    decision = evaluate(all_defaults, understanding, text,
                        facts("READY_TO_SHIP", facts={"shop": shop}))
    assert decision.rule_id == "cancel.seed.ready-to-ship"
    assert decision.action == "auto_reply"
    assert decision.reply == seed_text(language)
    assert "cancel_request" in decision.tags
    assert decision.order_note


@pytest.mark.parametrize("status", sorted(EXPECTED_RULE))
@pytest.mark.parametrize("language", ["zh-Hans", "zh-Hant", "en", "th", "pt"])
def test_every_order_status_gets_the_answer_for_that_status(
    status, language, understander, all_defaults
):
    text = CANCEL_MESSAGES[language]
    the_facts = facts(status, **SHIPPED_DATA)
    decision = evaluate(all_defaults, understander.understand(text), text, the_facts)
    assert decision.rule_id == EXPECTED_RULE[status]
    assert decision.reply is not None
    if status != "READY_TO_SHIP":
        assert decision.reply != seed_text(language)
    if status in ("SHIPPED", "TO_CONFIRM_RECEIVE"):
        assert "SPXMY0123456789" in decision.reply


def test_the_seed_only_fires_for_ready_to_ship_even_on_keywords_alone(all_defaults):
    from tests.rules.conftest import said

    for status in EXPECTED_RULE:
        decision = evaluate(all_defaults, said("other", "zh-Hans"), "取消订单", facts(status))
        assert (decision.rule_id == "cancel.seed.ready-to-ship") is (status == "READY_TO_SHIP")


def test_without_a_known_order_the_buyer_is_asked_which_order(understander, all_defaults):
    text = CANCEL_MESSAGES["en"]
    decision = evaluate(all_defaults, understander.understand(text), text, facts())
    assert (decision.rule_id, decision.action) == ("cancel.no-order", "suggest")


@pytest.mark.parametrize("text", ["不用取消订单了，什么时候发货",
                                  "no need to cancel the order, just ship it"])
def test_a_negated_cancel_does_not_get_the_cancellation_reply(text, understander, all_defaults):
    decision = evaluate(all_defaults, understander.understand(text), text, facts("READY_TO_SHIP"))
    assert decision.reply != seed_text("zh-Hans") and decision.reply != seed_text("en")
    assert not (decision.rule_id or "").startswith("cancel.")
