"""The reply language: the buyer's, nudged to a sibling the market speaks, or the shop default
for a script none of our languages use (and then the reply is only suggested)."""

from __future__ import annotations

import pytest

from companion.rules.engine import evaluate
from companion.rules.facts import ShopFacts
from companion.rules.language import choose_reply_language, unsupported_script
from tests.rules.conftest import facts, rule, said

MY = ShopFacts.for_region("1", "MY", "Demo")
TW = ShopFacts.for_region("2", "TW", "Demo")
ID = ShopFacts.for_region("3", "ID", "Demo")
BR = ShopFacts.for_region("4", "BR", "Demo")


@pytest.mark.parametrize(("detected", "text", "shop", "expected", "why"), [
    ("zh-Hant", "我要真人客服", MY, "zh-Hans", "market_sibling"),  # same in both scripts
    ("zh-Hans", "我要真人客服", TW, "zh-Hant", "market_sibling"),
    ("zh-Hant", "我想取消訂單", MY, "zh-Hant", "detected"),  # 訂 is Traditional only
    ("id", "pesanan saya 261124C29A22BV di mana?", MY, "ms", "market_sibling"),
    ("ms", "nak tanya order saya", ID, "id", "market_sibling"),
    ("ms", "nak tanya order saya", MY, "ms", "detected"),
    ("es", "pedido 261124C29A22BV?", BR, "pt", "market_sibling"),  # nothing says Spanish
    ("es", "hola, dónde está mi pedido?", BR, "es", "detected"),
    ("vi", "đơn hàng của tôi đâu", MY, "vi", "detected"),  # no sibling the market speaks
    ("ms", "مرحبا، أين طلبي؟", MY, "en", "unsupported"),
    ("id", "где мой заказ 261124C29A22BV?", ID, "id", "unsupported"),
])
def test_the_market_is_a_prior_for_the_reply_language(detected, text, shop, expected, why):
    choice = choose_reply_language(detected, text, shop)
    assert (choice.language, choice.why, choice.detected) == (expected, why, detected)
    assert choice.supported is (why != "unsupported")


def test_order_numbers_and_latin_words_do_not_hide_a_foreign_script():
    assert unsupported_script("مرحبا، أين طلبي 261124C29A22BV؟")
    assert not unsupported_script("where is my order 261124C29A22BV")
    assert not unsupported_script("ขอยกเลิกคำสั่งซื้อค่ะ 😊")


def test_an_ambiguous_chinese_message_in_a_malaysian_shop_is_answered_in_simplified(
    understander,
):
    text = "我要真人客服"
    understanding = understander.understand(text)
    r = rule(templates={"en": "hi", "zh-Hans": "简体", "zh-Hant": "繁體"})
    decision = evaluate([r], understanding, text, facts())
    assert (decision.reply, decision.language) == ("简体", "zh-Hans")
    assert decision.data_used["language"] == understanding.language  # detection kept as is
    assert decision.language_supported


def test_an_indonesian_looking_message_in_a_malaysian_shop_gets_the_malay_template(understander):
    text = "pesanan saya 261124C29A22BV di mana?"
    understanding = understander.understand(text)
    r = rule(templates={"en": "Order status", "ms": "Status pesanan"})
    decision = evaluate([r], understanding, text, facts())
    assert (decision.reply, decision.language) == ("Status pesanan", "ms")
    assert decision.data_used["reply_language_why"] == "market_sibling"


def test_a_message_in_an_unsupported_script_gets_the_shop_default_and_is_flagged(understander):
    text = "مرحبا، أين طلبي؟"
    r = rule(templates={"en": "Hello!", "ms": "Hai!"})
    decision = evaluate([r], understander.understand(text), text, facts())
    assert (decision.reply, decision.language) == ("Hello!", "en")
    assert decision.language_supported is False
    assert decision.data_used["reply_language_why"] == "unsupported"


def test_a_language_the_market_does_not_speak_still_gets_its_own_template():
    r = rule(templates={"en": "hello", "th": "สวัสดี"})
    decision = evaluate([r], said(language="th"), "สวัสดีค่ะ", facts())
    assert (decision.reply, decision.language) == ("สวัสดี", "th")
