"""An escalate rule's own text is the holding reply: sent once where auto is allowed, else
the person's draft, and in a conversation already held it is the draft; live agrees with the
dry run."""

from __future__ import annotations

from typing import Any

import pytest

from companion.pipeline import events as ev
from companion.pipeline.escalation import HOLDING_REPLIES
from tests.pipeline.conftest import TEST_RULES, Rig

SORRY = "We are very sorry for the trouble. A person from our team will look at this now."
RULES = [
    *(r for r in TEST_RULES if r["id"] != "refund"),
    {"id": "refund", "name": "refund to a person", "priority": 400,
     "when": {"intents": ["return_refund"]}, "action": "escalate",
     "templates": {"en": SORRY}},
    {"id": "human", "name": "a person, no text", "priority": 900,
     "when": {"wants_human": True}, "action": "escalate"},
]
REFUND = "I want a refund for this"


@pytest.fixture
def rules() -> list[dict[str, Any]]:
    return RULES


def _suggested(rig: Rig) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    rig.pipeline.bus.subscribe(
        lambda e: seen.append(e.data) if e.type == ev.REPLY_SUGGESTED else None)
    return seen


async def test_with_auto_on_the_buyer_gets_the_rules_text_once(rig: Rig) -> None:
    await rig.set_auto(True)
    injected = await rig.inject(REFUND)
    decision = await rig.processed(injected)
    assert decision.action == "escalate" and decision.rule_id == "refund"
    assert decision.reply_text == SORRY
    sent = await rig.until(lambda: rig.shop_replies_after(injected))
    assert [m["content"]["text"] for m in sent] == [SORRY]
    assert sent[0]["sent_via"] == "send_autoreply_message"
    again = await rig.inject(REFUND, buyer_id=injected["buyer_id"])
    held = await rig.processed(again)
    assert held.action == "suggest" and held.reply_text == SORRY
    assert await rig.shop_replies_after(again) == []


async def test_with_auto_off_the_rules_text_is_the_persons_draft(rig: Rig) -> None:
    seen = _suggested(rig)
    injected = await rig.inject(REFUND)
    decision = await rig.processed(injected)
    assert decision.action == "escalate" and decision.reply_text == SORRY
    await rig.until(lambda: seen)
    assert seen[0]["reply"] == SORRY and seen[0]["why"] == "auto_mode_off"
    assert await rig.shop_replies_after(injected) == []


async def test_an_escalate_rule_without_text_falls_back_to_the_generic_holding_reply(
        rig: Rig) -> None:
    await rig.set_auto(True)
    injected = await rig.inject("I need to talk to a real person please")
    decision = await rig.processed(injected)
    assert decision.action == "escalate" and decision.rule_id == "human"
    assert decision.reply_text == HOLDING_REPLIES["en"]
    sent = await rig.until(lambda: rig.shop_replies_after(injected))
    assert [m["content"]["text"] for m in sent] == [HOLDING_REPLIES["en"]]


async def test_in_a_held_conversation_an_escalate_rule_drafts_for_the_person(rig: Rig) -> None:
    seen = _suggested(rig)
    first = await rig.inject("I need to talk to a real person please")
    assert (await rig.processed(first)).action == "escalate"
    second = await rig.inject(REFUND, buyer_id=first["buyer_id"])
    decision = await rig.processed(second)
    assert decision.action == "suggest" and decision.reply_text == SORRY
    assert any(r.get("code") == "held" for r in decision.reasons)
    await rig.until(lambda: [s for s in seen if s["message_id"] == second["message_id"]])
    third = await rig.inject("still want to talk to a real person",
                             buyer_id=first["buyer_id"])
    generic = await rig.processed(third)
    assert generic.action == "suggest" and generic.reply_text == HOLDING_REPLIES["en"]


async def test_a_person_may_still_answer_after_the_rules_holding_text(rig: Rig) -> None:
    await rig.set_auto(True)
    injected = await rig.inject(REFUND)
    await rig.processed(injected)
    await rig.until(lambda: rig.shop_replies_after(injected))
    resp = await rig.companion.post(
        f"/api/v1/conversations/{injected['conversation_id']}/reply", headers=rig.auth,
        json={"shop_id": rig.shop_id, "message_id": injected["message_id"],
              "text": "Hi, Mei here: refund started."})
    assert resp.status == 200, await resp.text()
    texts = [r["content"]["text"] for r in await rig.shop_replies_after(injected)]
    assert texts == [SORRY, "Hi, Mei here: refund started."]


async def test_live_sends_what_the_dry_run_shows(rig: Rig) -> None:
    await rig.set_auto(True)
    resp = await rig.companion.post("/api/v1/rules/test", headers=rig.auth,
                                    json={"text": REFUND, "shop_id": rig.shop_id})
    dry = await resp.json()
    injected = await rig.inject(REFUND)
    decision = await rig.processed(injected)
    sent = await rig.until(lambda: rig.shop_replies_after(injected))
    assert dry["action"] == "escalate" and dry["reply"] == SORRY
    assert decision.reply_text == sent[0]["content"]["text"] == dry["reply"]
