"""When a conversation goes to a person (issue 5 item 4) and how a held one behaves.

Triggers, each with a stable reason code recorded in the decision:
negative mood, the second message in a row not understood, an explicit
request for a person, a rule whose action is escalate, the same question
asked a third time, and risky content (threats to report, legal words).
A held conversation stays quiet: at most `holding_replies` holding messages
(default one), until a person answers from Seller Centre or releases it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from companion.nlu import Understanding, fold_for_match
from companion.pipeline.risk import risky_terms

NEGATIVE = "negative_mood"
NOT_UNDERSTOOD_TWICE = "not_understood_twice"
WANTS_HUMAN = "wants_human"
RULE = "rule"
SAME_QUESTION = "same_question_three_times"
RISKY = "risky_content"
REASONS = (NEGATIVE, NOT_UNDERSTOOD_TWICE, WANTS_HUMAN, RULE, SAME_QUESTION, RISKY)

SAME_QUESTION_LIMIT = 3
SAME_QUESTION_WINDOW_S = 24 * 3600.0
# Intents that are not questions: repeating "thanks" is not asking the same thing again.
NOT_QUESTIONS = frozenset({"greeting", "other"})


@dataclass(frozen=True, slots=True)
class EscalationPolicy:
    """Tunable knobs; the defaults follow the issue."""

    not_understood_limit: int = 2
    same_question_limit: int = SAME_QUESTION_LIMIT
    same_question_window_s: float = SAME_QUESTION_WINDOW_S
    holding_replies: int = 1


def question_fingerprint(understanding: Understanding, text: str) -> str:
    """What counts as "the same question": intent plus the order it is about, else the text."""
    if understanding.understood and understanding.intent not in NOT_QUESTIONS:
        order = ",".join(understanding.entities.order_sns)
        basis = f"{understanding.intent}|{order}"
    else:
        basis = " ".join(fold_for_match(text).split())
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]


def same_question_count(
    fingerprint: str, recent: Sequence[tuple[str, float]], now: float, window_s: float
) -> int:
    """How often this fingerprint was asked within the window, this message included."""
    return 1 + sum(1 for fp, at in recent if fp == fingerprint and now - at <= window_s)


def escalation_reasons(
    understanding: Understanding,
    text: str,
    *,
    rule_escalates: bool,
    not_understood_streak: int,
    same_question: int,
    policy: EscalationPolicy,
) -> list[str]:
    """Every trigger that fires; `not_understood_streak` already counts this message."""
    reasons = []
    if understanding.negative:
        reasons.append(NEGATIVE)
    if not understanding.understood and not_understood_streak >= policy.not_understood_limit:
        reasons.append(NOT_UNDERSTOOD_TWICE)
    if understanding.wants_human or understanding.intent == "human_agent":
        reasons.append(WANTS_HUMAN)
    if rule_escalates:
        reasons.append(RULE)
    if understanding.intent != "greeting" and same_question >= policy.same_question_limit:
        reasons.append(SAME_QUESTION)
    if risky_terms(text):
        reasons.append(RISKY)
    return reasons


# The generic holding text, used when the escalate rule has no text of its own (its text
# wins); sent at most `holding_replies` times per escalation, flagged automatic.
HOLDING_REPLIES = {
    "en": "Thanks for your message! A member of our team will get back to you shortly.",
    "ms": "Terima kasih atas mesej anda! Pasukan kami akan membalas sebentar lagi.",
    "id": "Terima kasih atas pesannya! Tim kami akan segera membalas.",
    "tl": "Salamat sa iyong mensahe! Sasagutin ka ng aming team sa lalong madaling panahon.",
    "vi": "Cảm ơn bạn đã nhắn tin! Nhân viên của shop sẽ phản hồi bạn ngay.",
    "th": "ขอบคุณสำหรับข้อความค่ะ ทีมงานของเราจะติดต่อกลับโดยเร็วที่สุด",
    "pt": "Obrigado pela mensagem! Alguém da nossa equipe vai responder em breve.",
    "es": "¡Gracias por tu mensaje! Alguien de nuestro equipo te responderá en breve.",
    "zh-Hans": "感谢您的留言！我们的客服人员会尽快回复您。",
    "zh-Hant": "感謝您的留言！我們的客服人員會盡快回覆您。",
}


def holding_reply(language: str | None, shop_language: str = "en") -> str:
    return HOLDING_REPLIES.get(language or "", HOLDING_REPLIES.get(shop_language,
                                                                   HOLDING_REPLIES["en"]))
