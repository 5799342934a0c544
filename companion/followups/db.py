"""The follow-ups' own SQLite file (`<data_dir>/followups.sqlite3`): schema and transactions.

The chat store offers no table that fits a schedule, so follow-ups keep their
own file. Every state change is committed before the action it guards (an
idempotency key is durable before a send or a voucher call), with
`synchronous=FULL` so a crash right after a commit cannot lose it.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

from companion.securefile import ensure_private_dir

Clock = Callable[[], float]
FILENAME = "followups.sqlite3"
SCHEMA_VERSION = 1

STATES = ("scheduled", "queued", "sending", "sent", "skipped", "failed", "unknown")

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS watch_cursor (
    shop_id    TEXT PRIMARY KEY,
    watermark  INTEGER NOT NULL,
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS orders (
    shop_id      TEXT NOT NULL,
    order_sn     TEXT NOT NULL,
    buyer_id     TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL,
    create_time  INTEGER NOT NULL DEFAULT 0,
    update_time  INTEGER NOT NULL DEFAULT 0,
    shipped_at   INTEGER,
    delivered_at INTEGER,
    completed_at INTEGER,
    seen_at      REAL NOT NULL,
    PRIMARY KEY (shop_id, order_sn)
);
CREATE INDEX IF NOT EXISTS orders_buyer ON orders (shop_id, buyer_id);
CREATE TABLE IF NOT EXISTS followups (
    id                 INTEGER PRIMARY KEY,
    key                TEXT NOT NULL UNIQUE,
    shop_id            TEXT NOT NULL,
    plan               TEXT NOT NULL,
    order_sn           TEXT NOT NULL,
    buyer_id           TEXT NOT NULL,
    anchor_at          REAL NOT NULL,
    due_at             REAL NOT NULL,
    expires_at         REAL NOT NULL,
    next_check_at      REAL NOT NULL,
    state              TEXT NOT NULL CHECK (state IN {STATES!r}),
    reason             TEXT NOT NULL DEFAULT '',
    language           TEXT,
    text               TEXT,
    voucher_code       TEXT,
    conversation_id    TEXT,
    sent_by            TEXT,
    sent_via           TEXT,
    sent_at            REAL,
    sent_message_id    TEXT,
    replied_at         REAL,
    repurchase_order_sn TEXT,
    created_at         REAL NOT NULL,
    updated_at         REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS followups_due ON followups (state, next_check_at);
CREATE INDEX IF NOT EXISTS followups_buyer ON followups (shop_id, buyer_id);
CREATE TABLE IF NOT EXISTS vouchers (
    key        TEXT PRIMARY KEY,
    shop_id    TEXT NOT NULL,
    buyer_id   TEXT NOT NULL,
    plan       TEXT NOT NULL,
    code       TEXT NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('pending','created','failed')),
    voucher_id TEXT,
    value      REAL NOT NULL DEFAULT 0,
    start_time INTEGER,
    end_time   INTEGER,
    error      TEXT,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS optouts (
    shop_id  TEXT NOT NULL,
    buyer_id TEXT NOT NULL,
    word     TEXT NOT NULL,
    at       REAL NOT NULL,
    PRIMARY KEY (shop_id, buyer_id)
);
CREATE TABLE IF NOT EXISTS buyer_conversations (
    shop_id         TEXT NOT NULL,
    buyer_id        TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    PRIMARY KEY (shop_id, buyer_id)
);
CREATE TABLE IF NOT EXISTS shop_settings (
    shop_id TEXT PRIMARY KEY,
    value   TEXT NOT NULL
);
"""


def _touch_private(path: Path) -> None:
    """Create the database file owner-only, so SQLite's WAL and shm files are born 0600 too."""
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


class FollowupDB:
    """One connection, used from the event loop thread only (every call is short)."""

    def __init__(self, path: Path) -> None:
        ensure_private_dir(path.parent)
        self.path = path
        _touch_private(path)  # before connecting: SQLite gives -wal/-shm the file's mode
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        with self.tx() as conn:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', ?)",
                         (str(SCHEMA_VERSION),))
        for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            if file.exists():
                file.chmod(0o600)  # buyer names and order numbers: owner only

    @classmethod
    def open(cls, data_dir: Path) -> FollowupDB:
        return cls(data_dir / FILENAME)

    @contextlib.contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """One atomic write transaction (BEGIN IMMEDIATE ... COMMIT, rollback on error)."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> FollowupDB:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
