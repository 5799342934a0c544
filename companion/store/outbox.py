"""The outbox: a reply is sent at most once per idempotency key, across crashes (issue 5 item 5).

Protocol for the sender (security.md A3/A7: the key is persisted before the call):

    entry, _ = outbox.enqueue(NewOutboxEntry(key=f"reply:{shop}:{message_id}", ...))
    claimed = outbox.claim(key)          # durable pending -> sending; None = not yours
    if claimed: call the API, then mark_sent / mark_failed / mark_unknown

States: pending -> sending -> sent | failed | unknown.
- `failed` means the API answered with an error: nothing landed. `retry=True`
  puts it back to pending (it is safe to send again).
- `unknown` means the request may have landed (timeout, connection lost after
  writing). It is never resent automatically; a person decides (`resolve`).
- A row found in `sending` when the store opens was interrupted by a crash
  mid-call, so it becomes `unknown` (`recover_interrupted`).
Only `claim` moves a row to `sending`, with a conditional UPDATE in a durable
transaction, so two claimers (or a claimer before and after a crash) can never
both get the same key.
"""

from __future__ import annotations

import json
import sqlite3
import time
from typing import Any

from companion.store.db import Database, StoreError
from companion.store.models import OUTBOX_STATES, NewOutboxEntry, OutboxEntry

_COLUMNS = (
    "key, shop_id, conversation_id, buyer_id, text, kind, reply_to, payload, state, attempts,"
    " created_at, updated_at, sent_message_id, error"
)


def _row(r: tuple) -> OutboxEntry:
    return OutboxEntry(r[0], r[1], r[2], r[3], r[4], r[5], r[6], json.loads(r[7]), r[8], r[9],
                       r[10], r[11], r[12], r[13])


class Outbox:
    """The `outbox` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def enqueue(self, entry: NewOutboxEntry, *, durable: bool = True) -> tuple[OutboxEntry, bool]:
        """Persist the intent to send (durably); an existing key is returned untouched, `False`.

        `durable=False` only with a `Store.sync()` before the API call (group commit).
        """
        if entry.kind not in ("auto", "manual"):
            raise ValueError(f"unknown outbox kind {entry.kind!r}")
        now = time.time()
        with self._db.tx(durable=durable) as conn:
            cur = conn.execute(
                "INSERT OR IGNORE INTO outbox (key, shop_id, conversation_id, buyer_id, text, kind,"
                " reply_to, payload, state, attempts, created_at, updated_at)"
                " VALUES (?,?,?,?,?,?,?,?,'pending',0,?,?)",
                (entry.key, entry.shop_id, entry.conversation_id, entry.buyer_id, entry.text,
                 entry.kind, entry.reply_to,
                 json.dumps(entry.payload, ensure_ascii=False, default=str), now, now),
            )
            stored = self._get(conn, entry.key)
        assert stored is not None
        return stored, cur.rowcount == 1

    @staticmethod
    def _get(conn: sqlite3.Connection, key: str) -> OutboxEntry | None:
        row = conn.execute(f"SELECT {_COLUMNS} FROM outbox WHERE key = ?", (key,)).fetchone()
        return _row(row) if row else None

    def get(self, key: str) -> OutboxEntry | None:
        with self._db.locked() as conn:
            return self._get(conn, key)

    def claim(self, key: str, *, durable: bool = True) -> OutboxEntry | None:
        """pending -> sending, durably, before the API call; None when the key is not pending.

        `durable=False` only with a `Store.sync()` before the API call (group commit).
        """
        with self._db.tx(durable=durable) as conn:
            cur = conn.execute(
                "UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = ?"
                " WHERE key = ? AND state = 'pending'",
                (time.time(), key),
            )
            return self._get(conn, key) if cur.rowcount == 1 else None

    def _move(
        self, key: str, to: str, *, sent_message_id: str | None = None,
        error: str | None = None, allowed_from: tuple[str, ...] = ("sending",),
        note: dict[str, Any] | None = None,
    ) -> OutboxEntry:
        marks = ",".join("?" * len(allowed_from))
        patch = json.dumps(note, default=str) if note else None
        with self._db.tx() as conn:
            cur = conn.execute(
                "UPDATE outbox SET state = ?, updated_at = ?,"
                " sent_message_id = COALESCE(?, sent_message_id), error = ?,"
                " payload = CASE WHEN ? IS NULL THEN payload ELSE json_patch(payload, ?) END"
                f" WHERE key = ? AND state IN ({marks})",
                (to, time.time(), sent_message_id, error, patch, patch, key, *allowed_from),
            )
            entry = self._get(conn, key)
        if cur.rowcount != 1 or entry is None:
            state = entry.state if entry else "missing"
            raise StoreError(f"outbox {key!r}: cannot go {state} -> {to}")
        return entry

    def mark_sent(self, key: str, sent_message_id: str | None = None, *,
                  note: dict[str, Any] | None = None) -> OutboxEntry:
        """The API confirmed the send; `note` is merged into the payload (e.g. call timing)."""
        return self._move(key, "sent", sent_message_id=sent_message_id, note=note)

    def mark_failed(self, key: str, error: str, *, retry: bool = False) -> OutboxEntry:
        """The API refused (nothing landed); `retry=True` makes it pending again."""
        return self._move(key, "pending" if retry else "failed", error=error)

    def mark_unknown(self, key: str, error: str) -> OutboxEntry:
        """The request may have landed: park it for a person, never resend automatically."""
        return self._move(key, "unknown", error=error)

    def resolve(self, key: str, *, landed: bool, by: str) -> OutboxEntry:
        """A person settled an `unknown` (or `failed`) entry: it landed, or send it again."""
        note = f"resolved by {by}"
        if landed:
            return self._move(key, "sent", error=note, allowed_from=("unknown",))
        return self._move(key, "pending", error=note, allowed_from=("unknown", "failed"))

    def recover_interrupted(self) -> list[OutboxEntry]:
        """At start-up: rows left in `sending` by a crash become `unknown`; returns them."""
        with self._db.tx(durable=True) as conn:
            keys = [r[0] for r in conn.execute("SELECT key FROM outbox WHERE state = 'sending'")]
            conn.execute(
                "UPDATE outbox SET state = 'unknown', updated_at = ?,"
                " error = 'interrupted while sending (process ended)' WHERE state = 'sending'",
                (time.time(),),
            )
            return [e for e in (self._get(conn, k) for k in keys) if e is not None]

    def by_state(self, state: str, limit: int = 1000) -> list[OutboxEntry]:
        """Entries in one state, oldest first (`pending` = work to resume after a restart)."""
        if state not in OUTBOX_STATES:
            raise ValueError(f"unknown outbox state {state!r}")
        with self._db.locked() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM outbox WHERE state = ? ORDER BY created_at LIMIT ?",
                (state, limit),
            ).fetchall()
        return [_row(r) for r in rows]

    def counts(self) -> dict[str, Any]:
        with self._db.locked() as conn:
            rows = conn.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state").fetchall()
        return {state: 0 for state in OUTBOX_STATES} | dict(rows)
