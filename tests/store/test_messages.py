"""Messages: dedupe, durability across reopen, pending order, page claims."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

from companion.store import NewMessage, Store


def buyer(mid: str, conv: str = "c1", at: float = 1000.0, **kw: Any) -> NewMessage:
    fields: dict[str, Any] = {"text": f"text {mid}", "buyer_id": "b1", **kw}
    return NewMessage("shop1", conv, mid, "buyer", at, **fields)


def test_the_same_message_is_stored_once(store: Store) -> None:
    first = store.messages.add(buyer("m1"))
    again = store.messages.add(buyer("m1", at=2000.0))
    assert first.created and not again.created
    assert again.message.seq == first.message.seq
    assert again.message.created_at == 1000.0
    assert store.messages.count() == 1


def test_the_same_message_id_in_another_shop_is_another_message(store: Store) -> None:
    store.messages.add(buyer("m1"))
    other = store.messages.add(NewMessage("shop2", "c1", "m1", "buyer", 1000.0, text="x"))
    assert other.created
    assert store.messages.count() == 2
    assert store.messages.exists("shop2", "m1") and not store.messages.exists("shop3", "m1")


def test_big_ids_keep_every_digit(store: Store) -> None:
    big = str(2**63 - 7)
    store.messages.add(NewMessage("shop1", big, big, "buyer", 1.0, order_sn="2401017ABCDEF"))
    got = store.messages.get("shop1", big)
    assert got is not None and got.conversation_id == big and got.message_id == big


def test_stored_messages_survive_reopening(store_path: Path) -> None:
    with Store.open(store_path) as first:
        first.messages.add(buyer("m1"))
        first.messages.add(buyer("m2", at=1001.0))
        first.messages.mark_processed("shop1", "m1")
    with Store.open(store_path) as second:
        assert second.messages.count() == 2
        assert [m.message_id for m in second.messages.pending()] == ["m2"]


def test_the_store_files_are_private(store: Store) -> None:
    store.messages.add(buyer("m1"))
    wal = store.path.with_name(store.path.name + "-wal")
    assert wal.exists()
    assert stat.S_IMODE(wal.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.path.parent.stat().st_mode) == 0o700


def test_pending_messages_come_back_in_conversation_order(store: Store) -> None:
    store.messages.add(buyer("b2", conv="c2", at=1005.0))
    store.messages.add(buyer("a2", conv="c1", at=1003.0))
    store.messages.add(buyer("a1", conv="c1", at=1001.0))
    store.messages.add(buyer("a3", conv="c1", at=1003.0))  # same second: arrival order
    store.messages.add(buyer("b1", conv="c2", at=1002.0))
    order = [m.message_id for m in store.messages.pending()]
    assert order == ["a1", "b1", "a2", "a3", "b2"]
    per_conv = [m.message_id for m in store.messages.pending() if m.conversation_id == "c1"]
    assert per_conv == ["a1", "a2", "a3"]


def test_marking_processed_happens_once(store: Store) -> None:
    store.messages.add(buyer("m1"))
    assert store.messages.mark_processed("shop1", "m1")
    assert not store.messages.mark_processed("shop1", "m1")
    assert not store.messages.mark_processed("shop1", "nope")
    assert store.messages.pending() == []


def test_our_own_sent_replies_are_stored_as_handled(store: Store) -> None:
    sent = NewMessage("shop1", "c1", "s1", "shop_auto", 1001.0, text="hi", source="outbox")
    store.messages.add(sent, pending=False)
    assert store.messages.pending() == []
    assert store.messages.get("shop1", "s1").state == "processed"  # type: ignore[union-attr]


def test_a_page_claim_is_confirmed_by_the_api_copy(store: Store) -> None:
    claim = store.messages.add(buyer("m1", source="page", verified=False, buyer_id=""))
    assert not claim.message.verified
    confirmed = store.messages.add(buyer("m1", source="poll", order_sn="ORD1"))
    assert not confirmed.created and confirmed.verified_now
    assert confirmed.message.verified and confirmed.message.order_sn == "ORD1"
    assert confirmed.message.source == "page"
    assert not store.messages.add(buyer("m1")).verified_now


def test_recent_returns_the_tail_oldest_first(store: Store) -> None:
    for i in range(10):
        store.messages.add(buyer(f"m{i}", at=1000.0 + i))
    store.messages.add(buyer("other", conv="c9", at=2000.0))
    assert [m.message_id for m in store.messages.recent("shop1", "c1", 3)] == ["m7", "m8", "m9"]


def test_a_failed_transaction_leaves_nothing_behind(store: Store) -> None:
    try:
        with store.transaction():
            store.messages.add(buyer("m1"))
            store.kv.set("cursor:shop1", "123")
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert store.messages.count() == 0
    assert store.kv.get("cursor:shop1") is None


def test_known_tells_which_ids_of_a_page_are_stored_in_that_shop(store: Store) -> None:
    store.messages.add(buyer("m1"))
    store.messages.add(buyer("m3"))
    store.messages.add(NewMessage("shop2", "c1", "m4", "buyer", 1000.0, text="x"))
    assert store.messages.known("shop1", ["m1", "m2", "m3", "m4"]) == {"m1", "m3"}
    assert store.messages.known("shop1", []) == set()


def test_lines_are_the_tail_as_sender_text_and_time_oldest_first(store: Store) -> None:
    for i in range(5):
        store.messages.add(buyer(f"m{i}", at=1000.0 + i, text=f"t{i}"))
    store.messages.add(buyer("other", conv="c2", at=2000.0))
    assert store.messages.lines("shop1", "c1", 2) == [("buyer", "t3", 1003.0),
                                                      ("buyer", "t4", 1004.0)]
