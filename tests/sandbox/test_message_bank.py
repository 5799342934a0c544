"""The simulator's phrasebook covers every intent in every simulated language."""

from __future__ import annotations

import random

from companion.sandbox.message_bank import INTENT_WEIGHTS, LANGUAGES, MessageBank, render

INTENTS = {"stock", "product_spec", "size_advice", "promotion", "recommendation", "order_status",
           "shipping_fee", "tracking_number", "address_change", "return_refund", "item_problem",
           "product_usage", "warranty", "cancel_order", "greeting", "human_agent", "other"}


def test_every_intent_has_phrasings_in_every_language() -> None:
    bank = MessageBank.load()
    assert set(bank.intents()) == INTENTS == set(INTENT_WEIGHTS)
    for intent in INTENTS:
        assert all(bank.phrasings(intent, lang) for lang in LANGUAGES)
        assert sum(len(bank.phrasings(intent, lang)) for lang in LANGUAGES) >= 11


def test_buyers_without_orders_never_get_an_order_number_template() -> None:
    bank = MessageBank.load()
    rng = random.Random(1)
    picks = [bank.pick(rng, "en", needs_order=False)[1] for _ in range(300)]
    assert not any("{order_sn}" in p for p in picks)


def test_render_fills_known_placeholders_and_drops_unknown_ones() -> None:
    assert render("order {order_sn} {x}", {"order_sn": "231124QW8E7R2K"}) == "order 231124QW8E7R2K "
