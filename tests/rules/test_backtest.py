"""Backtest counts on a fixture history: per rule, with samples, and the uncovered by intent."""

from __future__ import annotations

from companion.rules.backtest import HistoryRecord, backtest
from companion.rules.engine import RuleSet
from tests.rules.conftest import rule

HISTORY = [
    {"text": "where is my order", "intent": "order_status", "language": "en",
     "order_status": "SHIPPED", "order_sn": "231124QW8E7R2K"},
    {"text": "still not here??", "intent": "order_status", "language": "en",
     "order_status": "SHIPPED"},
    {"text": "is it shipped", "intent": "order_status", "language": "en"},
    {"text": "hi", "intent": "greeting", "language": "en"},
    {"text": "berapa ongkir", "intent": "shipping_fee", "language": "ms"},
    {"text": "ongkir ke jb?", "intent": "shipping_fee", "language": "ms"},
    {"text": "size chart?", "intent": "size_advice", "language": "en"},
]
RULES = RuleSet.build([
    rule(id="shipped", when={"intents": ["order_status"], "order_status_in": ["SHIPPED"]},
         templates={"en": "Order {{order_sn}} is {{order_status}}."}),
    rule(id="greeting", when={"intents": ["greeting"]}, templates={"en": "Hello!"}),
    rule(id="never", when={"intents": ["warranty"]}),
])


def run(**kwargs):
    return backtest(RULES, [HistoryRecord.model_validate(h) for h in HISTORY], **kwargs)


def test_counts_per_rule_with_fallbacks_and_samples():
    result = run()
    assert (result["total"], result["covered"]) == (7, 3)
    rules = {r["rule_id"]: r for r in result["rules"]}
    assert rules["shipped"]["answered"] == 2
    assert rules["shipped"]["fell_back"] == 0
    assert rules["shipped"]["samples"][0] == {"text": "where is my order",
                                             "reply": "Order 231124QW8E7R2K is on the way.",
                                             "fallback_reason": None}
    assert rules["greeting"]["answered"] == 1
    assert rules["never"]["answered"] == 0


def test_uncovered_messages_are_grouped_by_intent_most_common_first():
    uncovered = run(samples=1)["uncovered"]
    assert list(uncovered) == ["shipping_fee", "order_status", "size_advice"]
    assert uncovered["shipping_fee"] == {"count": 2, "samples": ["berapa ongkir"]}
    assert uncovered["order_status"]["count"] == 1


def test_records_without_an_intent_are_classified(understander):
    records = [HistoryRecord(text="hello there!"), HistoryRecord(text="where is my order?")]
    result = backtest(RULES, records, understand=understander.understand)
    assert {r["rule_id"]: r["answered"] for r in result["rules"]}["greeting"] == 1
    assert "order_status" in result["uncovered"]


async def test_the_backtest_endpoint_runs_a_draft_or_the_saved_rules(companion, auth):
    draft = [r.model_dump(mode="json") for r in RULES.rules]
    response = await companion.post("/api/v1/rules/backtest", headers=auth,
                                    json={"messages": HISTORY, "rules": draft})
    assert response.status == 200, await response.text()
    body = await response.json()
    assert (body["source"], body["total"], body["covered"]) == ("request", 7, 3)
    saved = await (await companion.post("/api/v1/rules/backtest", headers=auth,
                                        json={"messages": HISTORY})).json()
    per_rule = {r["rule_id"]: r["answered"] for r in saved["rules"]}
    assert per_rule["greeting"] == 1 and per_rule["shipping-fee.general"] == 2
    assert per_rule["status.no-order"] == 1
    bad = await companion.post("/api/v1/rules/backtest", headers=auth,
                               json={"messages": [{"text": "x", "intent": "nope"}]})
    assert bad.status == 422


async def test_without_messages_the_backtest_reads_the_stored_chat_history(companion, auth):
    from companion.store import NewDecision, NewMessage
    from companion.web.routes_pipeline import pipeline_key

    store = companion.app[pipeline_key].store
    shop_id = (await (await companion.get("/api/v1/health")).json())["shops"][0]["shop_id"]
    history = [("hello", "greeting"), ("berapa ongkir", "shipping_fee"),
               ("warranty berapa lama?", "warranty")]
    for index, (text, intent) in enumerate(history):
        message_id = f"backtest-{index}"
        store.messages.add(NewMessage(shop_id=shop_id, conversation_id="c1", message_id=message_id,
                                      sender="buyer", created_at=1_760_000_000.0 + index,
                                      text=text, buyer_id="42"), pending=False)
        store.decisions.record(NewDecision(shop_id=shop_id, conversation_id="c1",
                                           message_id=message_id, action="suggest",
                                           intent=intent, language="ms", confidence=0.99))
    body = await (await companion.post("/api/v1/rules/backtest", headers=auth,
                                       json={"shop_id": shop_id})).json()
    assert body["source"] == "store"
    per_rule = {r["rule_id"]: r["answered"] for r in body["rules"]}
    assert body["total"] >= 3
    assert per_rule["greeting"] >= 1 and per_rule["warranty.general"] >= 1
