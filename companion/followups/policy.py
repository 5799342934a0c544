"""The verdict for one follow-up at the moment it is due: send, queue for a person, wait, or skip.

Checked in this order, each failing check naming its reason:

1. never: the buyer asked to stop, has an open escalation or an open return,
   or the order no longer fits the plan -> skip;
2. quiet hours in the buyer's market time zone -> wait until they end;
3. per-buyer cap -> wait until a slot frees (skip if that is past the window);
4. Shopee's send restrictions (shopee-open-platform.md 0.4, 7.4) -> skip when a
   send would be refused, wait on five-in-a-row, and a conversation that does
   not exist yet can only be opened by a person with an order card;
5. platform rules (0.3): automated chat may not carry promotions or proactive
   order updates, so a message goes out automatically only when the seller
   chose `auto` for a non-promotional plan, the shop can flag it as automatic
   (send_autoreply_message), auto mode is on and automation is not paused.
   Everything else is queued for one-click sending by a person, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from companion.pipeline.restrictions import (
    DUPLICATE,
    EMPTY,
    FIRST_MESSAGE,
    IN_A_ROW,
    OUTSIDE_WINDOW,
    TOO_LONG,
    ChatLine,
    check_send,
)

Action = Literal["send", "queue", "wait", "skip"]

ORDER_WINDOW_S = 30 * 86400
IN_A_ROW_RETRY_S = 6 * 3600

ASKED_TO_STOP = "buyer_asked_to_stop"
OPEN_ESCALATION = "open_escalation"
OPEN_RETURN = "open_return"
QUIET_HOURS = "quiet_hours"
BUYER_CAP = "buyer_cap"
CONTACT_WINDOW = "contact_window_closed"
NEEDS_ORDER_CARD = "first_chat_needs_order_card"
PROMOTIONAL = "promotional_message_needs_person"
PROACTIVE = "platform_rules_proactive_needs_person"
AUTO_OFF = "auto_mode_off"
NO_AUTOREPLY = "no_autoreply_endpoint"

RESTRICTION_SKIPS = {
    EMPTY: "template_empty",
    TOO_LONG: "message_too_long",
    DUPLICATE: "identical_text_within_24h",
    OUTSIDE_WINDOW: CONTACT_WINDOW,
}


@dataclass(frozen=True, slots=True)
class Facts:
    """What is known about the buyer and the order right now (live from Shopee where possible)."""

    now: float
    text: str
    history: list[ChatLine]
    has_conversation: bool
    recent_order: bool
    opted_out: bool = False
    open_escalation: bool = False
    open_return: bool = False
    order_problem: str = ""
    quiet_until: float | None = None
    cap_free_at: float | None = None
    promotional: bool = False
    send_mode: str = "person"
    auto_blocker: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Verdict:
    action: Action
    reason: str = ""
    retry_at: float | None = None


def hard_block(facts: Facts) -> str | None:
    """Reasons nothing may ever be sent, by a person or automatically."""
    if facts.opted_out:
        return ASKED_TO_STOP
    if facts.open_escalation:
        return OPEN_ESCALATION
    if facts.open_return:
        return OPEN_RETURN
    if facts.order_problem:
        return facts.order_problem
    return None


def restriction(facts: Facts) -> Verdict | None:
    """Shopee's send restrictions; None when a send (by anyone) would be accepted."""
    if not facts.has_conversation:
        if not facts.recent_order and not facts.open_return:
            return Verdict("skip", CONTACT_WINDOW)
        if not facts.text.strip() or len(facts.text) > 600:
            return Verdict("skip", RESTRICTION_SKIPS[TOO_LONG if facts.text.strip() else EMPTY])
        return Verdict("queue", NEEDS_ORDER_CARD)
    check = check_send(facts.text, facts.history, facts.now,
                       open_contact=facts.recent_order or facts.open_return)
    if check.ok:
        return None
    if check.reason == IN_A_ROW:
        return Verdict("wait", IN_A_ROW, facts.now + IN_A_ROW_RETRY_S)
    if check.reason == FIRST_MESSAGE:
        return Verdict("queue", NEEDS_ORDER_CARD)
    return Verdict("skip", RESTRICTION_SKIPS.get(check.reason, check.reason))


def decide(facts: Facts, expires_at: float) -> Verdict:
    """The verdict for a due follow-up (see the module docstring for the order)."""
    blocked = hard_block(facts)
    if blocked is not None:
        return Verdict("skip", blocked)
    if facts.quiet_until is not None:
        if facts.quiet_until > expires_at:
            return Verdict("skip", QUIET_HOURS)
        return Verdict("wait", QUIET_HOURS, facts.quiet_until)
    if facts.cap_free_at is not None:
        if facts.cap_free_at > expires_at:
            return Verdict("skip", BUYER_CAP)
        return Verdict("wait", BUYER_CAP, facts.cap_free_at)
    limited = restriction(facts)
    if limited is not None:
        if limited.action == "wait" and (limited.retry_at or 0) > expires_at:
            return Verdict("skip", limited.reason)
        return limited
    if facts.promotional:
        return Verdict("queue", PROMOTIONAL)
    if facts.send_mode != "auto":
        return Verdict("queue", PROACTIVE)
    if facts.auto_blocker:
        return Verdict("queue", facts.auto_blocker)
    return Verdict("send")


def person_check(facts: Facts) -> str | None:
    """Before a person's one-click send: the hard blocks and the send restrictions still hold."""
    blocked = hard_block(facts)
    if blocked is not None:
        return blocked
    limited = restriction(facts)
    if limited is not None and limited.action != "queue":
        return limited.reason
    return None
