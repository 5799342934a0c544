"""Evaluation order, effects that do not stop evaluation, and how a decision explains itself."""

from __future__ import annotations

from companion.rules.engine import RuleSet, evaluate
from companion.rules.models import Rule
from tests.rules.conftest import facts, rule, said


def test_higher_priority_is_evaluated_first_whatever_the_list_order():
    low = rule(id="low", priority=10, templates={"en": "low"})
    high = rule(id="high", priority=90, templates={"en": "high"})
    decision = evaluate([low, high], said(), "x", facts())
    assert decision.rule_id == "high"
    assert [r.rule_id for r in decision.reasons] == ["high", "low"]
    assert decision.reasons[1].why == "not reached: high fired first"


def test_within_a_priority_the_first_in_the_list_wins():
    first = rule(id="first", templates={"en": "1"})
    second = rule(id="second", templates={"en": "2"})
    assert evaluate([first, second], said(), "x", facts()).rule_id == "first"
    assert evaluate([second, first], said(), "x", facts()).rule_id == "second"


def test_tag_and_note_rules_add_their_effect_and_evaluation_goes_on():
    tag = rule(id="tag", priority=99, action="tag", add_tags=["vip"], templates={})
    note = rule(id="note", priority=98, action="set_order_note",
                order_note="asked about {{order_sn}}", templates={})
    reply = rule(id="reply", priority=1, add_tags=["answered"], templates={"en": "hi"})
    decision = evaluate([reply, note, tag], said(), "x", facts("SHIPPED"))
    assert (decision.rule_id, decision.action, decision.reply) == ("reply", "auto_reply", "hi")
    assert decision.tags == ["vip", "answered"]
    assert decision.order_note == "asked about 231124QW8E7R2K"


def test_only_effects_matching_gives_the_effect_action():
    tag = rule(id="tag", action="tag", add_tags=["after_hours"], templates={})
    other = rule(id="other", when={"intents": ["stock"]})
    decision = evaluate([tag, other], said("greeting"), "x", facts())
    assert (decision.action, decision.rule_id, decision.tags) == ("tag", "tag", ["after_hours"])


def test_no_rule_matching_gives_action_none_and_says_why_each_did_not_fire():
    rules = [rule(id="a", when={"intents": ["stock"]}),
             rule(id="b", when={"keywords_any": ["refund"]}), rule(id="c", enabled=False)]
    decision = evaluate(rules, said("greeting"), "hello", facts())
    assert (decision.action, decision.rule_id, decision.reply) == ("none", None, None)
    why = {r.rule_id: (r.matched, r.condition) for r in decision.reasons}
    assert why == {"a": (False, "intents"), "b": (False, "keywords_any"), "c": (False, "enabled")}


def test_shadow_rules_are_marked_so_the_pipeline_only_logs_them():
    decision = evaluate([rule(shadow=True)], said(), "x", facts())
    assert decision.shadow is True and decision.reply == "ok"


def test_escalate_keeps_its_action_when_its_holding_reply_cannot_be_filled():
    r = rule(action="escalate", templates={"en": "sorry {{buyer_name}}"})
    decision = evaluate([r], said(), "x", facts())
    assert (decision.action, decision.reply) == ("escalate", None)


def test_data_used_names_the_facts_and_placeholders_that_decided():
    r = rule(when={"order_status_in": ["SHIPPED"]}, templates={"en": "{{tracking_number}}"})
    decision = evaluate([r], said("order_status"), "x", facts("SHIPPED", tracking_number="T1"))
    assert decision.data_used["order_status"] == "SHIPPED"
    assert decision.data_used["placeholders"] == {"tracking_number": "T1"}
    assert decision.data_used["intent"] == "order_status"


def test_a_ruleset_compiles_once_and_evaluates_like_the_plain_list():
    rules = [rule(id="a", when={"regex": "re+fund"}), rule(id="b")]
    ruleset = RuleSet.build(rules)
    assert ruleset.rules == rules
    assert evaluate(ruleset, said(), "reeefund", facts()).rule_id == "a"
    assert evaluate(rules, said(), "refund", facts()).rule_id == "a"


def test_rule_schema_refuses_actions_without_what_they_need():
    import pytest
    from pydantic import ValidationError

    for bad in ({"action": "auto_reply", "templates": {}}, {"action": "tag", "templates": {}},
                {"action": "set_order_note", "templates": {}}):
        with pytest.raises(ValidationError):
            Rule.model_validate({"id": "x", "name": "x", **bad})


def test_schema_literals_follow_the_taxonomy_and_the_placeholder_allow_list():
    from companion.nlu.taxonomy import INTENTS, LANGUAGES
    from companion.rules.models import Intent, Language, Placeholder
    from companion.rules.templates import PLACEHOLDERS

    assert set(Intent.__args__) == set(INTENTS)
    assert set(Language.__args__) == set(LANGUAGES)
    assert Placeholder.__args__ == PLACEHOLDERS
