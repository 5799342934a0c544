"""Fixtures for the rules tests: the shipped NLU model, message builders, the default packs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from companion.nlu import Entities, Understander, Understanding
from companion.nlu.taxonomy import INTENTS, LANGUAGES
from companion.rules.engine import RuleSet
from companion.rules.facts import Facts, OrderFacts, ShopFacts
from companion.rules.models import Rule
from companion.rules.packs import default_rules

# A Wednesday, 10:00 in Kuala Lumpur (02:00 UTC).
WEDNESDAY_10_MYT = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def understander() -> Understander:
    return Understander.load()


def said(intent: str = "other", language: str = "en", confidence: float = 0.95,
         **flags: Any) -> Understanding:
    """An Understanding built by hand, for condition tests that must not depend on the model."""
    entities = flags.pop("entities", Entities())
    return Understanding(intent=intent, pillar=INTENTS[intent], confidence=confidence,
                         language=language, negative=flags.pop("negative", False),
                         wants_human=flags.pop("wants_human", False),
                         understood=flags.pop("understood", confidence >= 0.5),
                         entities=entities)


def facts(status: str | None = None, **order: Any) -> Facts:
    """Facts for the MY demo shop at a fixed time, with an order in `status` when given."""
    shop = ShopFacts.for_region("1", "MY", "Demo Shop")
    extra = order.pop("facts", {})
    the_order = OrderFacts(order_sn=order.pop("order_sn", "231124QW8E7R2K"), status=status,
                           **order) if status else None
    return Facts(**{"order": the_order, "shop": shop, "now": WEDNESDAY_10_MYT, **extra})


def rule(**fields: Any) -> Rule:
    """A rule with the required fields defaulted, so a test states only what it is about."""
    base: dict[str, Any] = {"id": "r", "name": "r", "action": "auto_reply",
                            "templates": {"en": "ok"}}
    return Rule.model_validate({**base, **fields})


@pytest.fixture(scope="session")
def all_defaults() -> RuleSet:
    """The professional default rules in all ten languages, merged."""
    return RuleSet.build(default_rules(LANGUAGES))


Said = Callable[..., Understanding]
