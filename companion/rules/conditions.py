"""Condition checks: one small function per condition, each saying why it failed.

`CompiledRule` pre-folds keywords and pre-compiles the RE2 regex once per rule
set, so per-message work is scanning, not building matchers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from companion.nlu.types import Understanding
from companion.rules.facts import Facts
from companion.rules.matching import TermMatcher, compile_regex, fold
from companion.rules.models import WEEKDAYS, Conditions, Rule

_ENTITY_FIELDS = {
    "order_sn": "order_sns", "item_id": "item_ids", "size": "sizes", "height": "height_cm",
    "weight": "weight_kg", "foot_length": "foot_length_cm", "quantity": "quantities",
}


@dataclass(slots=True)
class Message:
    """One message under evaluation: the raw text folded once, plus what is known about it."""

    text: str
    understanding: Understanding
    facts: Facts
    language: str | None  # the reply language chosen for the rule being checked
    used: dict[str, Any] = field(default_factory=dict)
    _folded: str | None = None

    @property
    def folded(self) -> str:
        if self._folded is None:
            self._folded = fold(self.text)
        return self._folded


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A rule with its keywords folded and its regex compiled."""

    rule: Rule
    all_groups: tuple[tuple[TermMatcher, ...], ...]
    any_terms: tuple[TermMatcher, ...]
    none_terms: tuple[TermMatcher, ...]
    regex: Any

    @classmethod
    def build(cls, rule: Rule) -> CompiledRule:
        when = rule.when
        return cls(
            rule=rule,
            all_groups=tuple(tuple(TermMatcher.build(t) for t in g) for g in when.keywords_all),
            any_terms=tuple(TermMatcher.build(t) for t in when.keywords_any),
            none_terms=tuple(TermMatcher.build(t) for t in when.keywords_none),
            regex=compile_regex(when.regex) if when.regex else None,
        )


Failure = tuple[str, str]  # (condition name, why)
Check = Callable[[CompiledRule, Message], Failure | None]


def _intents(rule: CompiledRule, msg: Message) -> Failure | None:
    wanted = rule.rule.when.intents
    intent = msg.understanding.intent
    msg.used["intent"] = intent
    if wanted and intent not in wanted:
        return "intents", f"intent {intent} is not one of {', '.join(wanted)}"
    return None


def _languages(rule: CompiledRule, msg: Message) -> Failure | None:
    wanted = rule.rule.when.languages
    language = msg.understanding.language
    if wanted and language not in wanted:
        return "languages", f"language {language} is not one of {', '.join(wanted)}"
    return None


def _flags(rule: CompiledRule, msg: Message) -> Failure | None:
    when, u = rule.rule.when, msg.understanding
    if when.min_confidence is not None and u.confidence < when.min_confidence:
        return "min_confidence", f"confidence {u.confidence:.2f} < {when.min_confidence:.2f}"
    for name in ("negative", "wants_human", "understood"):
        wanted = getattr(when, name)
        if wanted is not None and getattr(u, name) != wanted:
            return name, f"{name} is {getattr(u, name)}, rule wants {wanted}"
    return None


def _entities(rule: CompiledRule, msg: Message) -> Failure | None:
    for name in rule.rule.when.entities:
        value = getattr(msg.understanding.entities, _ENTITY_FIELDS[name])
        if value in (None, ()):
            return "entities", f"the message has no {name}"
    return None


def _order(rule: CompiledRule, msg: Message) -> Failure | None:
    when, order = rule.rule.when, msg.facts.order
    status = order.status if order else None
    msg.used["has_order"] = order is not None
    if when.has_order is not None and (order is not None) != when.has_order:
        return "has_order", "an order is known" if order else "no order is known"
    if not (when.order_status_in or when.order_status_not_in):
        return None
    msg.used["order_status"] = status
    if status is None:
        return "order_status_in", "no order status known (status conditions need the order)"
    if when.order_status_in and status not in when.order_status_in:
        return "order_status_in", f"order status {status} is not one of " + ", ".join(
            when.order_status_in)
    if status in when.order_status_not_in:
        return "order_status_not_in", f"order status {status} is excluded"
    return None


def _buyer_and_tags(rule: CompiledRule, msg: Message) -> Failure | None:
    when, facts = rule.rule.when, msg.facts
    if when.repeat_buyer is not None:
        msg.used["repeat_buyer"] = facts.buyer.is_repeat
        if facts.buyer.is_repeat is None:
            return "repeat_buyer", "unknown whether the buyer ordered before"
        if facts.buyer.is_repeat != when.repeat_buyer:
            return "repeat_buyer", f"repeat buyer is {facts.buyer.is_repeat}"
    if when.tags_all or when.tags_none:
        msg.used["tags"] = sorted(facts.tags)
    missing = [t for t in when.tags_all if t not in facts.tags]
    if missing:
        return "tags_all", f"conversation lacks tag {missing[0]}"
    present = [t for t in when.tags_none if t in facts.tags]
    if present:
        return "tags_none", f"conversation has tag {present[0]}"
    return None


def _stock(rule: CompiledRule, msg: Message) -> Failure | None:
    limit = rule.rule.when.stock_at_most
    if limit is None:
        return None
    stock = msg.facts.item.variant_stock if msg.facts.item else None
    msg.used["variant_stock"] = stock
    if stock is None:
        return "stock_at_most", "no variant stock known"
    if stock > limit:
        return "stock_at_most", f"variant stock {stock} > {limit}"
    return None


def _in_window(minutes: int, start: int, end: int) -> bool:
    return start <= minutes < end if start < end else minutes >= start or minutes < end


def _hours(rule: CompiledRule, msg: Message) -> Failure | None:
    hours = rule.rule.when.business_hours
    if hours is None:
        return None
    local = msg.facts.local_now()
    msg.used["shop_local_time"] = local.strftime("%a %H:%M")
    start = int(hours.start[:2]) * 60 + int(hours.start[3:])
    end = int(hours.end[:2]) * 60 + int(hours.end[3:])
    inside = WEEKDAYS[local.weekday()] in hours.days and _in_window(
        local.hour * 60 + local.minute, start, end)
    if inside != hours.inside:
        where = "inside" if inside else "outside"
        return "business_hours", f"shop time {local:%a %H:%M} is {where} business hours"
    return None


def _data(rule: CompiledRule, msg: Message) -> Failure | None:
    names = rule.rule.when.data_present
    if not names:
        return None
    values = msg.facts.placeholder_values(msg.language or msg.facts.shop.default_language)
    for name in names:
        if not values.get(name):
            return "data_present", f"no data for {{{{{name}}}}}"
    return None


def _listing(rule: CompiledRule, msg: Message) -> Failure | None:
    wanted = rule.rule.when.listing_status
    if not wanted:
        return None
    listing = msg.facts.listing
    status = listing.status if listing is not None else "none"
    msg.used["listing_status"] = status
    if status not in wanted:
        return "listing_status", f"listing status {status} is not one of {', '.join(wanted)}"
    return None


def _keywords(rule: CompiledRule, msg: Message) -> Failure | None:
    for group in rule.all_groups:
        if not any(term.matches(msg.folded) for term in group):
            return "keywords_all", "no keyword of " + " / ".join(t.source for t in group)
    if rule.any_terms and not any(term.matches(msg.folded) for term in rule.any_terms):
        return "keywords_any", "none of the keywords_any appear"
    hit = next((t for t in rule.none_terms if t.matches(msg.folded)), None)
    if hit is not None:
        return "keywords_none", f"excluded keyword {hit.source!r} appears"
    return None


def _regex(rule: CompiledRule, msg: Message) -> Failure | None:
    if rule.regex is not None and rule.regex.search(msg.folded) is None:
        return "regex", "the regex does not match"
    return None


# Cheap checks on known facts first, text scanning last.
CHECKS: tuple[Check, ...] = (
    _intents, _languages, _flags, _entities, _order, _buyer_and_tags, _stock, _listing, _hours,
    _data, _keywords, _regex,
)


def first_failure(rule: CompiledRule, msg: Message) -> Failure | None:
    """The first condition of `rule` that does not hold for `msg`, or None when all hold."""
    for check in CHECKS:
        failure = check(rule, msg)
        if failure is not None:
            return failure
    return None


def condition_names(conditions: Conditions) -> list[str]:
    """The conditions a rule actually sets, for "why it matched" explanations."""
    return [name for name, value in conditions if value not in (None, [], ())]
