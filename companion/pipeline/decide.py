"""The final call for one buyer message: send, suggest, escalate or nothing, with every reason.

Pure: it takes what the processor gathered (rule decision, escalation
triggers, conversation state, mode, intent policy, send checks) and returns
the action plus the reasons the overlay shows. Order of precedence:

1. an open escalation holds the conversation: the bot stays quiet (suggest only; an
   escalate rule's holding text becomes the person's draft);
2. any escalation trigger escalates (an escalate rule's text is the holding reply);
3. a person answered recently (human takeover pause): suggest only;
4. no reply rule: nothing (or the rule's non-reply effect);
5. an auto-reply rule is sent only when every gate passes: rule not in shadow,
   the shop in auto mode, an auto-reply endpoint in the market, the intent
   auto-eligible, the message in a language we speak (not in a foreign script),
   the message understood (confidence at or above the calibrated threshold), the
   message verified, live data complete, Shopee's send
   restrictions and our caps; the first gate that fails makes it a suggestion.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

FinalAction = Literal["auto_reply", "suggest", "escalate", "none"]


@dataclass(frozen=True, slots=True)
class Gates:
    """Everything outside the rule engine that may stop an automatic send."""

    held: bool = False
    escalate_for: tuple[str, ...] = ()
    paused: bool = False
    auto_mode: bool = False
    autoreply_endpoint: bool = True
    intent_eligible: bool = False
    intent_why: str = ""
    understood: bool = True
    language_supported: bool = True
    verified: bool = True
    restriction: str = ""
    cap: str = ""


@dataclass(frozen=True, slots=True)
class Outcome:
    action: FinalAction
    reply: str | None
    reasons: list[dict[str, Any]] = field(default_factory=list)
    escalate_for: tuple[str, ...] = ()


def _why(code: str, **extra: Any) -> dict[str, Any]:
    return {"step": "policy", "code": code, **extra}


def resolve(rule_action: str, reply: str | None, fallback: str | None, rule_shadow: bool,
            gates: Gates) -> Outcome:
    """Apply the precedence above to the rule engine's answer.

    For an escalate rule `reply` is its holding text (the caller fills in the
    generic one when the rule has none), so live sends what the dry run shows."""
    suggestion = reply if rule_action in ("auto_reply", "suggest", "escalate") else None
    if gates.held:
        return Outcome("suggest" if suggestion else "none", suggestion, [_why("held")])
    if gates.escalate_for:
        reasons = [_why("escalate", trigger=t) for t in gates.escalate_for]
        return Outcome("escalate", suggestion, reasons, gates.escalate_for)
    if gates.paused:
        return Outcome("suggest" if suggestion else "none", suggestion, [_why("human_takeover")])
    if rule_action not in ("auto_reply", "suggest"):
        return Outcome("none", None, [_why("no_reply_rule", detail=fallback)])
    if reply is None:
        return Outcome("suggest", None, [_why("data_missing", detail=fallback)])
    if rule_action == "suggest":
        return Outcome("suggest", reply, [_why("rule_suggests")])
    for failed, code, extra in (
        (rule_shadow, "rule_shadow_mode", {}),
        (not gates.auto_mode, "auto_mode_off", {}),
        (not gates.autoreply_endpoint, "no_autoreply_endpoint", {}),
        (not gates.intent_eligible, "intent_not_auto", {"detail": gates.intent_why}),
        (not gates.language_supported, "unsupported_language", {}),
        (not gates.understood, "not_understood", {}),
        (not gates.verified, "unverified_claim", {}),
        (bool(gates.restriction), "send_restriction", {"detail": gates.restriction}),
        (bool(gates.cap), "reply_cap", {"detail": gates.cap}),
    ):
        if failed:
            return Outcome("suggest", reply, [_why(code, **extra)])
    return Outcome("auto_reply", reply, [_why("auto_send", detail=gates.intent_why)])
