"""The MY demo shop answers in its market's languages: an ambiguous Chinese or Indonesian-looking
message gets the sibling the market speaks, a foreign script gets English as a suggestion only."""

from __future__ import annotations

from typing import Any

import pytest

from companion.pipeline.escalation import HOLDING_REPLIES
from tests.pipeline.conftest import TEST_RULES, Rig

MULTI = {
    "order-status": {"en": "Order {{order_sn}} status: {{order_status}}.",
                     "ms": "Status pesanan {{order_sn}}: {{order_status}}.",
                     "id": "Status pesanan {{order_sn}} (id): {{order_status}}."},
    "greeting": {"en": "Hello! How can we help you today?", "ms": "Hai! Boleh kami bantu?"},
}


ANYTHING = {"id": "anything", "name": "whatever the model made of it", "priority": 10,
            "when": {}, "action": "auto_reply",
            "templates": {"en": "Thanks for your message!", "ms": "Terima kasih atas mesej anda!"}}


@pytest.fixture
def rules() -> list[dict[str, Any]]:
    return [*({**r, "templates": MULTI.get(r["id"], r.get("templates", {}))} for r in TEST_RULES),
            ANYTHING]


async def test_ambiguous_chinese_asking_for_a_person_is_held_in_simplified_chinese(
    rig: Rig,
) -> None:
    await rig.set_auto(True)
    injected = await rig.inject("我要真人客服")
    replies = await rig.until(lambda: rig.shop_replies_after(injected))
    assert replies[0]["content"]["text"] == HOLDING_REPLIES["zh-Hans"]
    decision = await rig.processed(injected)
    assert decision.action == "escalate"
    assert decision.language == "zh-Hant"  # what detection said is recorded as is


async def test_indonesian_looking_order_question_is_answered_in_malay(rig: Rig) -> None:
    await rig.set_auto(True)
    order = await rig.order("READY_TO_SHIP")
    injected = await rig.inject(f"pesanan saya {order['order_sn']} di mana?",
                                order_sn=order["order_sn"])
    replies = await rig.until(lambda: rig.shop_replies_after(injected))
    assert replies[0]["content"]["text"].startswith(f"Status pesanan {order['order_sn']}:")
    decision = await rig.processed(injected)
    assert (decision.action, decision.language) == ("auto_reply", "id")
    assert decision.data_used["reply_language"] == "ms"


async def test_a_message_in_arabic_gets_an_english_suggestion_with_the_reason(rig: Rig) -> None:
    await rig.set_auto(True)
    for intent in ("greeting", "other", "order_status"):  # whatever the model guesses: eligible
        resp = await rig.companion.put(f"/api/v1/automation/{intent}",
                                       json={"override": "auto"}, headers=rig.auth)
        assert resp.status == 200
    injected = await rig.inject("مرحبا، أين طلبي؟")
    decision = await rig.processed(injected)
    assert decision.action == "suggest"
    assert decision.reply_text in ("Hello! How can we help you today?",
                                   "Thanks for your message!")  # English, the MY default
    assert any(r.get("code") == "unsupported_language" for r in decision.reasons)
    assert await rig.shop_replies_after(injected) == []
