"""The decision: which rule fires for one message, and the reply it renders from live facts.

Pure: no I/O, no clocks except the matching-time bound. The pipeline calls
`evaluate(rules, understanding, text, facts)` and acts on the `Decision`;
the dry run and the backtest call the same function.

Order (see `models` for the contract): enabled rules by priority, high first,
list order within a priority. Matching `tag` / `set_order_note` rules add
their effect and evaluation continues; the first matching `auto_reply`,
`suggest` or `escalate` rule decides and ends it. A reply whose placeholder
has no data is never produced: the action falls back to the rule's
`on_missing_data` (suggest or escalate) with `reply=None` and the reason.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from companion.nlu.types import Understanding
from companion.rules.conditions import CompiledRule, Message, condition_names, first_failure
from companion.rules.facts import Facts
from companion.rules.language import choose_reply_language
from companion.rules.models import Rule, evaluation_order
from companion.rules.templates import MAX_TEMPLATE_CHARS, render

log = logging.getLogger(__name__)

DEFAULT_BUDGET_MS: Final = 50.0
BREAKER_STRIKES: Final = 3
_URL_RE: Final = re.compile(
    r"(?:https?://|www\.)|\b[\w-]+\.(?:com|net|org|io|me|ly|co|shop|link|xyz|info|biz|app|gl)\b",
    re.IGNORECASE,
)
DecisionAction = Literal["auto_reply", "suggest", "escalate", "set_order_note", "tag", "none"]


class Reason(BaseModel):
    """Why one rule did or did not fire; `condition` names the first condition that failed."""

    model_config = ConfigDict(frozen=True)
    rule_id: str
    matched: bool
    why: str
    condition: str | None = None


class Decision(BaseModel):
    """What to do with one message; JSON-ready (`model_dump(mode="json")`)."""

    action: DecisionAction
    rule_id: str | None = None
    reply: str | None = None
    language: str | None = None
    reasons: list[Reason] = Field(default_factory=list)
    fallback_reason: str | None = None
    data_used: dict[str, Any] = Field(default_factory=dict)
    order_note: str | None = None
    tags: list[str] = Field(default_factory=list)
    shadow: bool = False
    # False: the message is in a script none of our languages use; the reply (in the shop's
    # default language) must only be suggested.
    language_supported: bool = True


@dataclass
class Breaker:
    """Counts rules that blew the matching-time budget; after a few strikes they are skipped.

    The pipeline keeps one per shop for the process lifetime (no module state).
    """

    strikes: int = BREAKER_STRIKES
    counts: dict[str, int] = field(default_factory=dict)

    def record(self, rule_id: str) -> None:
        self.counts[rule_id] = self.counts.get(rule_id, 0) + 1

    def tripped(self, rule_id: str) -> bool:
        return self.counts.get(rule_id, 0) >= self.strikes


@dataclass(frozen=True, slots=True)
class RuleSet:
    """Rules compiled once and kept in evaluation order."""

    compiled: tuple[CompiledRule, ...]

    @classmethod
    def build(cls, rules: Iterable[Rule]) -> RuleSet:
        return cls(tuple(CompiledRule.build(r) for r in evaluation_order(list(rules))))

    @property
    def rules(self) -> list[Rule]:
        return [c.rule for c in self.compiled]


def reply_language(rule: Rule, preferred: str, facts: Facts) -> str | None:
    """`preferred` (the buyer's, see `language`) when the rule has it, else the shop's default."""
    for language in (preferred, facts.shop.default_language):
        if language in rule.templates:
            return language
    return None


@dataclass
class _Outcome:
    reasons: list[Reason] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    note: str | None = None
    effect_rule: Rule | None = None


def _render_note(rule: Rule, facts: Facts, language: str, reasons: list[Reason]) -> str | None:
    if not rule.order_note:
        return None
    note = render(rule.order_note, facts.placeholder_values(language))
    if note.text is None:
        reasons.append(Reason(rule_id=rule.id, matched=True, condition="order_note",
                              why="order note skipped: no data for " + ", ".join(note.missing)))
    return note.text


def _reply(rule: Rule, msg: Message) -> tuple[str | None, str | None]:
    """(reply, fallback reason): a complete, checked reply or None with why."""
    if msg.language is None:
        preferred = msg.used.get("reply_language") or msg.understanding.language
        return None, (f"no template in {preferred} or the shop default "
                      f"{msg.facts.shop.default_language}")
    rendered = render(rule.templates[msg.language], msg.facts.placeholder_values(msg.language))
    msg.used["placeholders"] = rendered.used
    if rendered.text is None:
        names = ", ".join(f"{{{{{n}}}}}" for n in rendered.missing)
        return None, f"missing data for {names}"
    if len(rendered.text) > MAX_TEMPLATE_CHARS:
        return None, f"reply would be {len(rendered.text)} characters (limit 600)"
    if not rule.allow_urls and _URL_RE.search(rendered.text):
        return None, "reply would contain a link and the rule does not allow links"
    return rendered.text, None


def _decide(rule: Rule, msg: Message, out: _Outcome) -> Decision:
    reply, fallback = (None, None)
    action: DecisionAction = rule.action
    if rule.templates:
        reply, fallback = _reply(rule, msg)
    if fallback and rule.action != "escalate":
        action = rule.on_missing_data
    note = _render_note(rule, msg.facts, msg.language or msg.facts.shop.default_language,
                        out.reasons)
    return Decision(
        action=action, rule_id=rule.id, reply=reply, language=msg.language,
        fallback_reason=fallback, order_note=note or out.note,
        tags=list(dict.fromkeys([*out.tags, *rule.add_tags])), shadow=rule.shadow,
        reasons=out.reasons,
    )


def evaluate(
    rules: RuleSet | Sequence[Rule],
    understanding: Understanding,
    text: str,
    facts: Facts,
    *,
    budget_ms: float = DEFAULT_BUDGET_MS,
    breaker: Breaker | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> Decision:
    """Decide for one message; every rule gets a `Reason`, in evaluation order."""
    ruleset = rules if isinstance(rules, RuleSet) else RuleSet.build(rules)
    out = _Outcome()
    reasons = out.reasons
    used: dict[str, Any] = {
        "language": understanding.language, "intent": understanding.intent,
        "has_order": facts.order is not None,
        "order_status": facts.order.status if facts.order else None,
    }
    choice = choose_reply_language(understanding.language, text, facts.shop)
    if choice.why != "detected":  # the market (or an unknown script) changed the reply language
        used["reply_language"], used["reply_language_why"] = choice.language, choice.why
    if facts.listing is not None:  # what the listing said, and how old that knowledge is
        used["listing"] = facts.listing.model_dump(
            mode="json", include={"status", "kind", "item_id", "item_source", "gaps",
                                  "candidates", "item_card_ids", "knowledge_age_s", "note"})
    msg = Message(text, understanding, facts, None, used)  # folds the text once, lazily
    decision: Decision | None = None
    for compiled in ruleset.compiled:
        rule = compiled.rule
        if decision is not None:
            reasons.append(Reason(rule_id=rule.id, matched=False, condition="order",
                                  why=f"not reached: {decision.rule_id} fired first"))
            continue
        skip = _skip_reason(rule, breaker)
        if skip:
            reasons.append(Reason(rule_id=rule.id, matched=False, why=skip, condition="enabled"))
            continue
        msg.language = reply_language(rule, choice.language, facts)
        started = clock()
        failure = first_failure(compiled, msg)
        elapsed_ms = (clock() - started) * 1000
        if elapsed_ms > budget_ms:
            _slow(rule, elapsed_ms, budget_ms, breaker, reasons)
            continue
        if failure is not None:
            reasons.append(Reason(rule_id=rule.id, matched=False, condition=failure[0],
                                  why=failure[1]))
            continue
        names = condition_names(rule.when) or ["no conditions"]
        reasons.append(Reason(rule_id=rule.id, matched=True, why="all hold: " + ", ".join(names)))
        if rule.terminal:
            decision = _decide(rule, msg, out)
        elif not rule.shadow:
            _add_effect(rule, msg, out)
    decision = decision or _no_terminal(out, understanding)
    decision.language_supported = choice.supported
    decision.reasons = list(reasons)
    decision.data_used = {**used, **({"notes": list(facts.notes)} if facts.notes else {})}
    return decision


def _skip_reason(rule: Rule, breaker: Breaker | None) -> str | None:
    if not rule.enabled:
        return "disabled"
    if breaker is not None and breaker.tripped(rule.id):
        return "disabled by the breaker: matching was too slow repeatedly"
    return None


def _slow(rule: Rule, elapsed: float, budget: float, breaker: Breaker | None,
          reasons: list[Reason]) -> None:
    log.warning("rule %s took %.1f ms to match (budget %.0f ms); skipped", rule.id, elapsed, budget)
    if breaker is not None:
        breaker.record(rule.id)
    reasons.append(Reason(rule_id=rule.id, matched=False, condition="time_budget",
                          why=f"skipped: matching took {elapsed:.1f} ms > {budget:.0f} ms"))


def _add_effect(rule: Rule, msg: Message, out: _Outcome) -> None:
    out.tags.extend(t for t in rule.add_tags if t not in out.tags)
    note = _render_note(rule, msg.facts, msg.language or msg.facts.shop.default_language,
                        out.reasons)
    if note and out.note is None:
        out.note = note
    if out.effect_rule is None:
        out.effect_rule = rule


def _no_terminal(out: _Outcome, understanding: Understanding) -> Decision:
    reasons = out.reasons
    if out.effect_rule is not None:
        return Decision(action=out.effect_rule.action, rule_id=out.effect_rule.id,
                        order_note=out.note, tags=out.tags, reasons=reasons,
                        fallback_reason="no reply rule matched")
    return Decision(action="none", reasons=reasons, language=understanding.language,
                    fallback_reason="no rule matched")
