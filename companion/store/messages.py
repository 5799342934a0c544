"""Every chat message both ways, stored before anything else happens (issue 5 items 1 and 5).

`add` is idempotent on (shop_id, message_id) and durable when it returns, so
a source may be acknowledged right after it. Messages from outside start
`pending` and stay so until the pipeline has looked at them: after kill -9,
`pending()` hands back exactly the work that was not finished.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator

from companion.store.db import Database
from companion.store.models import (
    SENDERS,
    SOURCES,
    AddResult,
    KpiMessage,
    NewMessage,
    StoredMessage,
)

_COLUMNS = (
    "seq, shop_id, conversation_id, message_id, sender, created_at, text, buyer_id,"
    " message_type, item_id, order_sn, source, verified, state, received_at, processed_at"
)


def _row(row: tuple) -> StoredMessage:
    (seq, shop, conv, mid, sender, created, text, buyer, mtype, item, order, source, verified,
     state, received, processed) = row
    return StoredMessage(seq, shop, conv, mid, sender, created, text, buyer, mtype, item, order,
                         source, bool(verified), state, received, processed)


def _check(msg: NewMessage) -> None:
    if msg.sender not in SENDERS:
        raise ValueError(f"unknown sender {msg.sender!r}")
    if msg.source not in SOURCES:
        raise ValueError(f"unknown source {msg.source!r}")
    if not (msg.shop_id and msg.conversation_id and msg.message_id):
        raise ValueError("shop_id, conversation_id and message_id are required")


class MessageLog:
    """The `messages` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, msg: NewMessage, *, pending: bool = True, durable: bool = True) -> AddResult:
        """Store `msg` once; a repeat returns the stored row with `created=False`.

        A verified copy of an unverified page claim marks the stored row
        verified (`verified_now=True`) and fills fields the page could not see.
        `pending=False` stores it as already handled (our own sent replies).
        """
        _check(msg)
        now = time.time()
        with self._db.tx(durable=durable) as conn:
            cur = conn.execute(
                "INSERT OR IGNORE INTO messages (shop_id, conversation_id, message_id, buyer_id,"
                " sender, text, message_type, item_id, order_sn, created_at, received_at, source,"
                " verified, state, processed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (msg.shop_id, msg.conversation_id, msg.message_id, msg.buyer_id, msg.sender,
                 msg.text, msg.message_type, msg.item_id, msg.order_sn, msg.created_at, now,
                 msg.source, int(msg.verified), "pending" if pending else "processed",
                 None if pending else now),
            )
            created = cur.rowcount == 1
            verified_now = False
            if not created and msg.verified:
                verified_now = self._confirm(conn, msg)
            stored = self._get(conn, msg.shop_id, msg.message_id)
        assert stored is not None
        return AddResult(stored, created, verified_now)

    @staticmethod
    def _confirm(conn: sqlite3.Connection, msg: NewMessage) -> bool:
        cur = conn.execute(
            "UPDATE messages SET verified = 1, buyer_id = COALESCE(NULLIF(buyer_id, ''), ?),"
            " item_id = COALESCE(item_id, ?), order_sn = COALESCE(order_sn, ?)"
            " WHERE shop_id = ? AND message_id = ? AND verified = 0",
            (msg.buyer_id, msg.item_id, msg.order_sn, msg.shop_id, msg.message_id),
        )
        return cur.rowcount == 1

    @staticmethod
    def _get(conn: sqlite3.Connection, shop_id: str, message_id: str) -> StoredMessage | None:
        row = conn.execute(
            f"SELECT {_COLUMNS} FROM messages WHERE shop_id = ? AND message_id = ?",
            (shop_id, message_id),
        ).fetchone()
        return _row(row) if row else None

    def get(self, shop_id: str, message_id: str) -> StoredMessage | None:
        with self._db.locked() as conn:
            return self._get(conn, shop_id, message_id)

    def exists(self, shop_id: str, message_id: str) -> bool:
        """The dedupe lookup, without building a record."""
        with self._db.locked() as conn:
            return conn.execute(
                "SELECT 1 FROM messages WHERE shop_id = ? AND message_id = ?", (shop_id, message_id)
            ).fetchone() is not None

    def known(self, shop_id: str, message_ids: list[str]) -> set[str]:
        """Which of `message_ids` are stored already: the dedupe lookup for a page, one query."""
        if not message_ids:
            return set()
        marks = ",".join("?" * len(message_ids))
        with self._db.locked() as conn:
            rows = conn.execute(
                f"SELECT message_id FROM messages WHERE shop_id = ? AND message_id IN ({marks})",
                (shop_id, *message_ids),
            ).fetchall()
        return {r[0] for r in rows}

    def pending(self, limit: int = 1000) -> list[StoredMessage]:
        """Unprocessed messages, oldest first (so each conversation's are in order)."""
        with self._db.locked() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM messages WHERE state = 'pending'"
                " ORDER BY created_at, seq LIMIT ?",
                (limit,),
            ).fetchall()
        return [_row(r) for r in rows]

    def mark_processed(self, shop_id: str, message_id: str) -> bool:
        """Done with this message; False when it was not pending (already done or unknown)."""
        with self._db.tx() as conn:
            cur = conn.execute(
                "UPDATE messages SET state = 'processed', processed_at = ?"
                " WHERE shop_id = ? AND message_id = ? AND state = 'pending'",
                (time.time(), shop_id, message_id),
            )
            return cur.rowcount == 1

    def recent(self, shop_id: str, conversation_id: str, limit: int = 50) -> list[StoredMessage]:
        """The last `limit` messages of one conversation, oldest first (for send restrictions)."""
        with self._db.locked() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM messages WHERE shop_id = ? AND conversation_id = ?"
                " ORDER BY created_at DESC, seq DESC LIMIT ?",
                (shop_id, conversation_id, limit),
            ).fetchall()
        return [_row(r) for r in reversed(rows)]

    def lines(self, shop_id: str, conversation_id: str,
              limit: int = 50) -> list[tuple[str, str | None, float]]:
        """`recent` reduced to (sender, text, created_at), oldest first: what the send
        restrictions read for every reply, without building whole records."""
        with self._db.locked() as conn:
            rows = conn.execute(
                "SELECT sender, text, created_at FROM messages WHERE shop_id = ?"
                " AND conversation_id = ? ORDER BY created_at DESC, seq DESC LIMIT ?",
                (shop_id, conversation_id, limit),
            ).fetchall()
        rows.reverse()
        return rows

    def count(self, shop_id: str | None = None) -> int:
        with self._db.locked() as conn:
            if shop_id is None:
                return int(conn.execute("SELECT COUNT(*) FROM messages").fetchone()[0])
            return int(conn.execute(
                "SELECT COUNT(*) FROM messages WHERE shop_id = ?", (shop_id,)
            ).fetchone()[0])


def kpi_rows(conn: sqlite3.Connection, shop_id: str, since: float) -> Iterator[KpiMessage]:
    """Messages of one shop since `since`, grouped by conversation and in time order.

    Takes a connection so it can run on `Database.reader()` in a worker thread;
    served from the covering index `messages_conversation` alone. System
    notices are left out (they never count).
    """
    cur = conn.execute(
        "SELECT conversation_id, sender, created_at FROM messages"
        " WHERE shop_id = ? AND created_at >= ? AND sender != 'system'"
        " ORDER BY conversation_id, created_at",
        (shop_id, since),
    )
    for conv, sender, created in cur:
        yield KpiMessage(conv, sender, created)


def sender_counts(conn: sqlite3.Connection, shop_id: str, since: float) -> dict[str, int]:
    """How many messages of one shop since `since` each kind of sender wrote."""
    return dict(conn.execute(
        "SELECT sender, COUNT(*) FROM messages WHERE shop_id = ? AND created_at >= ?"
        " GROUP BY sender", (shop_id, since)).fetchall())
