"""The persisted events log behind the WebSocket protocol (issue 9).

`append` gives each event a `seq` that is strictly increasing and never
reused, even after pruning (AUTOINCREMENT), so a reconnecting client that
sends `resume_from` gets exactly the events it missed, each once, via
`since`. It matches `companion.pipeline.events.EventLog`.
"""

from __future__ import annotations

import json
import time
from typing import Any

from companion.store.db import Database
from companion.store.models import EventRecord

DEFAULT_KEEP_S = 7 * 86400
DEFAULT_KEEP_COUNT = 100_000


class EventLog:
    """The `events` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def append(self, type: str, data: dict[str, Any]) -> int:
        """Persist one event; returns its seq."""
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
        with self._db.tx() as conn:
            cur = conn.execute(
                "INSERT INTO events (type, data, at) VALUES (?,?,?)", (type, payload, time.time())
            )
        assert cur.lastrowid is not None
        return cur.lastrowid

    def since(self, seq: int, limit: int = 500) -> list[EventRecord]:
        """Events after `seq`, in order, at most `limit` (call again from the last seq for more)."""
        with self._db.locked() as conn:
            rows = conn.execute(
                "SELECT seq, type, data, at FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
                (seq, limit),
            ).fetchall()
        return [EventRecord(s, t, json.loads(d), at) for s, t, d, at in rows]

    def latest_seq(self) -> int:
        """The last seq handed out (0 when none), also after pruning."""
        with self._db.locked() as conn:
            row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'events'").fetchone()
        return int(row[0]) if row else 0

    def oldest_seq(self) -> int:
        """The oldest seq still kept (0 when empty): a client behind it missed pruned events."""
        with self._db.locked() as conn:
            row = conn.execute("SELECT MIN(seq) FROM events").fetchone()
        return int(row[0] or 0)

    def prune(self, *, now: float | None = None, keep_s: float = DEFAULT_KEEP_S,
              keep_count: int = DEFAULT_KEEP_COUNT) -> int:
        """Drop events older than `keep_s` and beyond the newest `keep_count`; returns how many."""
        now = time.time() if now is None else now
        with self._db.tx() as conn:
            by_age = conn.execute("DELETE FROM events WHERE at < ?", (now - keep_s,)).rowcount
            by_count = conn.execute(
                "DELETE FROM events WHERE seq <= (SELECT seq FROM events ORDER BY seq DESC"
                " LIMIT 1 OFFSET ?)", (keep_count,),
            ).rowcount
        return by_age + by_count
