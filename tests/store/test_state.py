"""Conversation state, escalations, decisions with corrections, cursors, retention."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

from companion.store import NewDecision, NewMessage, NewOutboxEntry, Store

DAY = 86400.0


def test_conversation_state_round_trips_and_defaults(store_path: Path) -> None:
    with Store.open(store_path) as store:
        fresh = store.conversations.get("s1", "c1")
        assert not fresh.held and fresh.paused_until is None and fresh.fingerprints == ()
        store.conversations.put(dataclasses.replace(
            fresh, held=True, held_reason="negative_mood", held_since=50.0, language="zh-Hant",
            not_understood_streak=2, fingerprints=(("order_status|O1", 10.0),),
            tags=("vip",), paused_until=99.5))
    with Store.open(store_path) as store:
        got = store.conversations.get("s1", "c1")
        assert got.held and got.held_reason == "negative_mood" and got.held_since == 50.0
        assert got.fingerprints == (("order_status|O1", 10.0),) and got.tags == ("vip",)
        assert got.language == "zh-Hant" and got.not_understood_streak == 2
        assert got.paused_until == 99.5
        assert [c.conversation_id for c in store.conversations.held()] == ["c1"]


def test_escalations_open_and_resolve_per_conversation(store: Store) -> None:
    store.escalations.raise_("s1", "c1", "wants_human", message_id="m1", at=10.0)
    store.escalations.raise_("s1", "c1", "negative_mood", message_id="m2", at=20.0)
    store.escalations.raise_("s1", "c2", "risky_content", at=30.0)
    assert [e.reason for e in store.escalations.open_for("s1", "c1")] == [
        "wants_human", "negative_mood"]
    closed = store.escalations.resolve("s1", "c1", by="seller", resolution="answered", at=40.0)
    assert [(e.reason, e.resolved_by, e.resolved_at) for e in closed] == [
        ("wants_human", "seller", 40.0), ("negative_mood", "seller", 40.0)]
    assert store.escalations.open_for("s1", "c1") == []
    assert [e.conversation_id for e in store.escalations.list_open()] == ["c2"]
    assert len(store.escalations.since(0.0, "s1")) == 3


def test_a_decision_is_replaced_not_duplicated_and_keeps_its_reasons(store: Store) -> None:
    first = NewDecision("s1", "c1", "m1", "suggest", intent="stock", pillar="pre_sale",
                        confidence=0.61, reasons=["low_confidence"],
                        entities={"order_sns": ["2401"]}, data_used={"stock": {"M": 3}})
    store.decisions.record(first)
    again = store.decisions.record(dataclasses.replace(first, action="auto_reply", rule_id="r7"))
    assert again.action == "auto_reply" and again.rule_id == "r7"
    assert again.entities == {"order_sns": ["2401"]} and again.data_used == {"stock": {"M": 3}}
    assert [d.message_id for d in store.decisions.recent("s1")] == ["m1"]


def test_the_latest_decision_of_a_conversation_is_found(store: Store) -> None:
    assert store.decisions.latest_in_conversation("s1", "c1") is None
    for mid, conv in (("m1", "c1"), ("m2", "c1"), ("m3", "c2")):
        store.decisions.record(NewDecision("s1", conv, mid, "suggest"))
    assert store.decisions.latest_in_conversation("s1", "c1").message_id == "m2"  # type: ignore[union-attr]


def test_a_correction_keeps_the_old_intent_and_the_text(store: Store) -> None:
    store.messages.add(NewMessage("s1", "c1", "m1", "buyer", 1.0, text="ada warna merah?"))
    store.decisions.record(NewDecision("s1", "c1", "m1", "suggest", intent="order_status"))
    fixed = store.decisions.correct("s1", "m1", "stock", by="seller", at=5.0)
    assert (fixed.old_intent, fixed.new_intent, fixed.text) == (
        "order_status", "stock", "ada warna merah?")
    assert store.decisions.corrections() == [fixed]


def test_cursors_persist(store_path: Path) -> None:
    with Store.open(store_path) as store:
        store.kv.set("cursor:s1", {"next_timestamp_nano": "1732500000123456789"})
    with Store.open(store_path) as store:
        assert store.kv.get("cursor:s1") == {"next_timestamp_nano": "1732500000123456789"}
        assert store.kv.delete("cursor:s1") and store.kv.get("cursor:s1", 0) == 0


def test_retention_drops_old_handled_rows_and_keeps_unfinished_work(store: Store) -> None:
    now = 200 * DAY
    old, recent = now - 100 * DAY, now - 10 * DAY
    for mid, at in (("old1", old), ("old2", old), ("new1", recent)):
        store.messages.add(NewMessage("s1", "c1", mid, "buyer", at, text="x"))
        store.decisions.record(NewDecision("s1", "c1", mid, "none", created_at=at))
    store.messages.mark_processed("s1", "old1")
    store.messages.mark_processed("s1", "new1")
    result = store.prune(now=now)
    assert result.deleted["messages"] == 1 and result.deleted["decisions"] == 2
    left = {m.message_id for m in store.messages.pending()}
    assert left == {"old2"}  # still pending: never pruned
    assert store.messages.exists("s1", "new1") and not store.messages.exists("s1", "old1")


def test_retention_keeps_sends_that_wait_for_a_person(store: Store) -> None:
    for key in ("k-sent", "k-unknown"):
        store.outbox.enqueue(NewOutboxEntry(key, "s1", "c1", "b1", "t"))
        store.outbox.claim(key)
    store.outbox.mark_sent("k-sent")
    store.outbox.mark_unknown("k-unknown", "timeout")
    store.prune(now=time.time() + 200 * DAY)
    assert store.outbox.get("k-sent") is None
    assert store.outbox.get("k-unknown") is not None
