"""The outbox: a key is claimed (and so sent) at most once, across threads and restarts."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from companion.store import NewOutboxEntry, Store, StoreError


def entry(key: str = "reply:shop1:m1", text: str = "Your order shipped") -> NewOutboxEntry:
    return NewOutboxEntry(key, "shop1", "c1", "b1", text, reply_to="m1")


def test_a_key_is_claimed_once(store: Store) -> None:
    store.outbox.enqueue(entry())
    first = store.outbox.claim("reply:shop1:m1")
    assert first is not None and first.state == "sending" and first.attempts == 1
    assert store.outbox.claim("reply:shop1:m1") is None
    store.outbox.mark_sent("reply:shop1:m1", "sent-9")
    assert store.outbox.claim("reply:shop1:m1") is None
    assert store.outbox.get("reply:shop1:m1").sent_message_id == "sent-9"  # type: ignore[union-attr]


def test_enqueueing_an_existing_key_changes_nothing(store: Store) -> None:
    store.outbox.enqueue(entry())
    store.outbox.claim("reply:shop1:m1")
    store.outbox.mark_sent("reply:shop1:m1")
    again, created = store.outbox.enqueue(entry(text="a different text"))
    assert not created
    assert again.state == "sent" and again.text == "Your order shipped"


def test_an_unknown_key_cannot_be_claimed(store: Store) -> None:
    assert store.outbox.claim("reply:shop1:never") is None


def test_racing_threads_get_one_claim_between_them(store: Store) -> None:
    keys = [f"reply:shop1:m{i}" for i in range(50)]
    for key in keys:
        store.outbox.enqueue(entry(key))
    wins: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def worker() -> None:
        start.wait()
        for key in keys:
            if store.outbox.claim(key) is not None:
                with lock:
                    wins.append(key)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(wins) == sorted(keys)


def test_a_send_interrupted_by_a_crash_becomes_unknown_and_is_not_resent(
        store_path: Path) -> None:
    first = Store.open(store_path)
    first.outbox.enqueue(entry())
    assert first.outbox.claim("reply:shop1:m1") is not None
    first.db.close()  # the process "dies" between claim and the API's answer
    second = Store.open(store_path)
    try:
        assert [e.key for e in second.interrupted_sends] == ["reply:shop1:m1"]
        assert second.outbox.get("reply:shop1:m1").state == "unknown"  # type: ignore[union-attr]
        assert second.outbox.claim("reply:shop1:m1") is None
        assert second.outbox.by_state("pending") == []
    finally:
        second.close()


def test_a_pending_entry_survives_a_restart_and_is_claimable(store_path: Path) -> None:
    with Store.open(store_path) as first:
        first.outbox.enqueue(entry())
    with Store.open(store_path) as second:
        assert [e.key for e in second.outbox.by_state("pending")] == ["reply:shop1:m1"]
        assert second.outbox.claim("reply:shop1:m1") is not None


def test_a_refused_send_may_be_retried_but_an_unknown_one_waits_for_a_person(
        store: Store) -> None:
    store.outbox.enqueue(entry("k1"))
    store.outbox.claim("k1")
    retried = store.outbox.mark_failed("k1", "error_rate_limit", retry=True)
    assert retried.state == "pending" and retried.error == "error_rate_limit"
    assert store.outbox.claim("k1").attempts == 2  # type: ignore[union-attr]
    store.outbox.mark_unknown("k1", "timeout")
    assert store.outbox.claim("k1") is None
    resolved = store.outbox.resolve("k1", landed=False, by="seller")
    assert resolved.state == "pending"


def test_a_person_can_confirm_an_unknown_send_landed(store: Store) -> None:
    store.outbox.enqueue(entry("k1"))
    store.outbox.claim("k1")
    store.outbox.mark_unknown("k1", "connection reset")
    assert store.outbox.resolve("k1", landed=True, by="seller").state == "sent"
    assert store.outbox.counts()["sent"] == 1


def test_illegal_moves_are_refused(store: Store) -> None:
    store.outbox.enqueue(entry("k1"))
    with pytest.raises(StoreError):
        store.outbox.mark_sent("k1")  # never claimed
    store.outbox.claim("k1")
    store.outbox.mark_failed("k1", "message_too_long")
    with pytest.raises(StoreError):
        store.outbox.mark_sent("k1")
    with pytest.raises(StoreError):
        store.outbox.resolve("k1", landed=True, by="seller")  # only unknown can have landed
