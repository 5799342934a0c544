"""The default rules never ask for an order number the message already carries, and a known
order whose live status is missing still gets a rule (a person checks), in every language."""

from __future__ import annotations

import pytest

from companion.nlu import Entities
from companion.nlu.taxonomy import LANGUAGES
from companion.rules.engine import RuleSet, evaluate
from companion.rules.facts import Facts, OrderFacts
from tests.rules.conftest import facts, said

SN = "261122V2RSXTY7"
INTENTS = ("order_status", "tracking_number", "cancel_order")
NO_ORDER = {"order_status": "status.no-order", "tracking_number": "tracking.no-order",
            "cancel_order": "cancel.no-order"}


def _with_number(intent: str, language: str = "en") -> object:
    return said(intent, language, entities=Entities(order_sns=(SN,)))


@pytest.mark.parametrize("intent", INTENTS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_an_order_number_without_data_gets_a_checking_suggestion(
        all_defaults: RuleSet, intent: str, language: str) -> None:
    missing = facts().model_copy(update={"notes": (f"order {SN}: HTTPStatusError",)})
    decision = evaluate(all_defaults, _with_number(intent, language), f"order {SN}", missing)
    assert (decision.rule_id, decision.action) == ("order.unavailable", "suggest")
    assert decision.reply and decision.data_used["notes"] == [f"order {SN}: HTTPStatusError"]
    asking = evaluate(all_defaults, said(intent, language), "my order?", facts())
    assert asking.rule_id == NO_ORDER[intent] and asking.reply != decision.reply


@pytest.mark.parametrize("intent", INTENTS)
def test_a_known_order_without_live_status_gets_a_rule(all_defaults: RuleSet,
                                                       intent: str) -> None:
    known: Facts = facts().model_copy(update={"order": OrderFacts(order_sn=SN)})
    decision = evaluate(all_defaults, said(intent), f"order {SN}", known)
    assert (decision.rule_id, decision.action) == ("order.status-unknown", "suggest")
    assert decision.reply and SN in decision.reply


def test_a_known_status_still_gets_its_own_answer(all_defaults: RuleSet) -> None:
    decision = evaluate(all_defaults, _with_number("order_status"), f"order {SN}",
                        facts("SHIPPED", order_sn=SN))
    assert decision.rule_id.startswith("status.shipped")
