"""Backtest: run a rule set (saved or draft) over past buyer messages and count what it covers.

Input is any iterable of `HistoryRecord` (text, language, the understanding
recorded at the time, the order status at the time), so it runs on the chat
store, on an exported log or on a fixture. Output: per rule how many messages
it would have answered (and how many of those would have fallen back for
missing data), with samples, plus the messages no rule covers grouped by
intent: the seller's to-do list for new rules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from companion.nlu.taxonomy import INTENTS
from companion.nlu.types import Understanding
from companion.rules.engine import RuleSet, evaluate
from companion.rules.facts import Facts, OrderFacts, ShopFacts
from companion.rules.models import Intent, Language, OrderStatus

MAX_SAMPLES = 10


class HistoryRecord(BaseModel):
    """One past buyer message; fields left out are re-derived (intent) or unknown (order)."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=4000)
    language: Language | None = None
    intent: Intent | None = None
    confidence: float | None = Field(default=None, ge=0, le=1)
    negative: bool = False
    wants_human: bool = False
    understood: bool | None = None
    order_status: OrderStatus | None = None
    order_sn: str | None = Field(default=None, max_length=40)
    at: float | None = Field(default=None, ge=0)


Understand = Callable[[str], Understanding]


def _understanding(record: HistoryRecord, understand: Understand | None) -> Understanding:
    """The recorded understanding, or a fresh one when the record has no intent."""
    if record.intent is None and understand is not None:
        fresh = understand(record.text)
        return Understanding(
            intent=fresh.intent, pillar=fresh.pillar, confidence=fresh.confidence,
            language=record.language or fresh.language, negative=fresh.negative,
            wants_human=fresh.wants_human, understood=fresh.understood, entities=fresh.entities)
    intent = record.intent or "other"
    confidence = record.confidence if record.confidence is not None else 1.0
    return Understanding(
        intent=intent, pillar=INTENTS[intent], confidence=confidence,
        language=record.language or "en", negative=record.negative,
        wants_human=record.wants_human,
        understood=(record.understood if record.understood is not None
                    else record.intent is not None))


def _facts(record: HistoryRecord, shop: ShopFacts) -> Facts:
    order = None
    if record.order_status or record.order_sn:
        order = OrderFacts(order_sn=record.order_sn or "-", status=record.order_status)
    now = datetime.fromtimestamp(record.at, UTC) if record.at is not None else datetime.now(UTC)
    return Facts(order=order, shop=shop, now=now)


def backtest(rules: RuleSet, history: Iterable[HistoryRecord], *, shop: ShopFacts | None = None,
             understand: Understand | None = None, samples: int = 3) -> dict[str, Any]:
    """Counts per rule (in evaluation order) and the uncovered messages by intent."""
    shop = shop or ShopFacts()
    samples = max(1, min(samples, MAX_SAMPLES))
    per_rule: dict[str, dict[str, Any]] = {
        c.rule.id: {"rule_id": c.rule.id, "name": c.rule.name, "action": c.rule.action,
                    "enabled": c.rule.enabled, "answered": 0, "fell_back": 0, "samples": []}
        for c in rules.compiled
    }
    uncovered: dict[str, dict[str, Any]] = {}
    total = 0
    for record in history:
        total += 1
        understanding = _understanding(record, understand)
        decision = evaluate(rules, understanding, record.text, _facts(record, shop))
        if decision.rule_id is None or decision.rule_id not in per_rule:
            bucket = uncovered.setdefault(understanding.intent, {"count": 0, "samples": []})
            bucket["count"] += 1
            if len(bucket["samples"]) < samples:
                bucket["samples"].append(record.text)
            continue
        entry = per_rule[decision.rule_id]
        entry["answered"] += 1
        if decision.fallback_reason and decision.reply is None:
            entry["fell_back"] += 1
        if len(entry["samples"]) < samples:
            entry["samples"].append({"text": record.text, "reply": decision.reply,
                                     "fallback_reason": decision.fallback_reason})
    covered = total - sum(b["count"] for b in uncovered.values())
    return {
        "total": total, "covered": covered,
        "coverage": round(covered / total, 4) if total else 0.0,
        "rules": list(per_rule.values()),
        "uncovered": dict(sorted(uncovered.items(), key=lambda kv: -kv[1]["count"])),
    }
