"""The due-moment verdict on its own: what wins over what, and why each case ends where it does."""

from __future__ import annotations

import dataclasses

import pytest

from companion.followups import policy
from companion.followups.policy import Facts, decide, person_check
from companion.pipeline.restrictions import ChatLine

NOW = 1_760_000_000.0
LATER = NOW + 86400.0
CHATTED = [ChatLine(True, "is my order coming?", NOW - 3600)]


def facts(**changes: object) -> Facts:
    base = Facts(now=NOW, text="Thank you for your order!", history=CHATTED,
                 has_conversation=True, recent_order=True, send_mode="auto")
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_a_clean_case_in_auto_mode_is_sent() -> None:
    assert decide(facts(), LATER).action == "send"


@pytest.mark.parametrize(("change", "reason"), [
    ({"opted_out": True}, policy.ASKED_TO_STOP),
    ({"open_escalation": True}, policy.OPEN_ESCALATION),
    ({"open_return": True}, policy.OPEN_RETURN),
    ({"order_problem": "order_cancelled"}, "order_cancelled"),
])
def test_hard_blocks_skip_even_in_quiet_hours_and_for_people(change: dict, reason: str) -> None:
    case = facts(quiet_until=NOW + 600, **change)
    assert decide(case, LATER) == policy.Verdict("skip", reason)
    assert person_check(case) == reason


def test_quiet_hours_wait_until_they_end_or_skip_past_the_window() -> None:
    assert decide(facts(quiet_until=NOW + 600), LATER) == policy.Verdict(
        "wait", policy.QUIET_HOURS, NOW + 600)
    assert decide(facts(quiet_until=LATER + 1), LATER).action == "skip"


def test_the_buyer_cap_waits_for_a_free_slot() -> None:
    assert decide(facts(cap_free_at=NOW + 60), LATER) == policy.Verdict(
        "wait", policy.BUYER_CAP, NOW + 60)
    assert decide(facts(cap_free_at=LATER + 60), LATER).reason == policy.BUYER_CAP


def test_outside_the_contact_window_nothing_is_sent_by_anyone() -> None:
    old = [ChatLine(True, "hello", NOW - 9 * 86400)]
    case = facts(history=old, recent_order=False)
    assert decide(case, LATER) == policy.Verdict("skip", policy.CONTACT_WINDOW)
    assert person_check(case) == policy.CONTACT_WINDOW
    assert decide(facts(history=old, recent_order=False, open_return=False,
                        has_conversation=False, text="x"), LATER).reason == policy.CONTACT_WINDOW


def test_five_shop_messages_in_a_row_wait_for_the_buyer() -> None:
    shop_lines = [ChatLine(False, f"m{i}", NOW - 600 + i) for i in range(5)]
    verdict = decide(facts(history=[*CHATTED, *shop_lines]), LATER)
    assert (verdict.action, verdict.reason) == ("wait", "reach_5_message_limit")


def test_the_same_text_within_a_day_is_skipped() -> None:
    lines = [*CHATTED, ChatLine(False, "Thank you for your order!", NOW - 60)]
    assert decide(facts(history=lines), LATER).reason == "identical_text_within_24h"


def test_a_new_conversation_can_only_be_opened_by_a_person_with_an_order_card() -> None:
    verdict = decide(facts(has_conversation=False, history=[]), LATER)
    assert verdict == policy.Verdict("queue", policy.NEEDS_ORDER_CARD)
    assert person_check(facts(has_conversation=False, history=[])) is None


@pytest.mark.parametrize(("change", "reason"), [
    ({"promotional": True}, policy.PROMOTIONAL),
    ({"send_mode": "person"}, policy.PROACTIVE),
    ({"auto_blocker": policy.NO_AUTOREPLY}, policy.NO_AUTOREPLY),
    ({"auto_blocker": policy.AUTO_OFF}, policy.AUTO_OFF),
])
def test_what_rules_keep_from_automation_is_queued_with_the_reason(
        change: dict, reason: str) -> None:
    assert decide(facts(**change), LATER) == policy.Verdict("queue", reason)
