"""The WebSocket events log: strictly increasing seq, resume without gaps or repeats."""

from __future__ import annotations

from pathlib import Path

from companion.store import Store


def test_seqs_increase_and_since_resumes_exactly(store: Store) -> None:
    seqs = [store.events.append("message.received", {"n": i}) for i in range(10)]
    assert seqs == sorted(set(seqs))
    first = store.events.since(0, limit=4)
    rest = store.events.since(first[-1].seq, limit=100)
    assert [e.data["n"] for e in first + rest] == list(range(10))
    assert store.events.since(seqs[-1]) == []


def test_seq_keeps_growing_after_pruning_and_reopening(store_path: Path) -> None:
    with Store.open(store_path) as first:
        for i in range(5):
            first.events.append("reply.sent", {"n": i})
        assert first.events.prune(now=0.0, keep_count=2) == 3
        assert first.events.oldest_seq() == 4
    with Store.open(store_path) as second:
        assert second.events.latest_seq() == 5
        assert second.events.append("reply.sent", {"n": 5}) == 6
        assert [e.seq for e in second.events.since(0)] == [4, 5, 6]


def test_old_events_are_pruned_by_age(store: Store) -> None:
    store.events.append("mode.changed", {"auto": True})
    latest = store.events.append("mode.changed", {"auto": False})
    assert store.events.prune(now=store.events.since(0)[0].at + 10, keep_s=5) == 2
    assert store.events.since(0) == []
    assert store.events.latest_seq() == latest


def test_event_data_round_trips_unicode_and_big_ids(store: Store) -> None:
    data = {"text": "請問什麼時候出貨?", "conversation_id": str(2**64 + 1)}
    seq = store.events.append("message.received", data)
    (event,) = store.events.since(seq - 1)
    assert event.type == "message.received" and event.data == data
