"""The final call's precedence: the first failing gate turns a send into a suggestion."""

from __future__ import annotations

import pytest

from companion.pipeline.decide import Gates, resolve

OPEN = Gates(auto_mode=True, intent_eligible=True, intent_why="factual_live_data")


def test_every_gate_open_sends_automatically() -> None:
    assert resolve("auto_reply", "hi", None, False, OPEN).action == "auto_reply"


@pytest.mark.parametrize(
    ("gates", "code"),
    [
        (Gates(intent_eligible=True), "auto_mode_off"),
        (Gates(auto_mode=True, intent_eligible=True, autoreply_endpoint=False),
         "no_autoreply_endpoint"),
        (Gates(auto_mode=True), "intent_not_auto"),
        (Gates(auto_mode=True, intent_eligible=True, understood=False), "not_understood"),
        (Gates(auto_mode=True, intent_eligible=True, verified=False), "unverified_claim"),
        (Gates(auto_mode=True, intent_eligible=True, restriction="reach_5_message_limit"),
         "send_restriction"),
        (Gates(auto_mode=True, intent_eligible=True, cap="conversation"), "reply_cap"),
    ],
)
def test_a_closed_gate_makes_it_a_suggestion_and_says_which(gates: Gates, code: str) -> None:
    outcome = resolve("auto_reply", "hi", None, False, gates)
    assert outcome.action == "suggest"
    assert outcome.reply == "hi"
    assert outcome.reasons[0]["code"] == code


def test_a_held_conversation_only_suggests_and_an_escalation_trigger_escalates() -> None:
    assert resolve("auto_reply", "hi", None, False, Gates(held=True)).action == "suggest"
    escalated = resolve("auto_reply", "hi", None, False, Gates(escalate_for=("negative_mood",)))
    assert escalated.action == "escalate"
    assert escalated.escalate_for == ("negative_mood",)


def test_an_escalate_rules_holding_text_is_kept_and_drafted_when_already_held() -> None:
    escalated = resolve("escalate", "sorry", None, False, Gates(escalate_for=("rule",)))
    assert (escalated.action, escalated.reply) == ("escalate", "sorry")
    held = resolve("escalate", "sorry", None, False, Gates(held=True, escalate_for=("rule",)))
    assert (held.action, held.reply) == ("suggest", "sorry")
