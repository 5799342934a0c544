"""Tables and indexes of the chat store, created or upgraded in one transaction at open.

The version lives in `meta('schema')`; `migrate` applies the steps above the
stored version, so a newer companion upgrades an older file in place.
Ids are TEXT (they can exceed 2**53); times are REAL Unix seconds.
"""

from __future__ import annotations

import sqlite3

SCHEMA_VERSION = 1

_V1 = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE messages (
    seq             INTEGER PRIMARY KEY,
    shop_id         TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    message_id      TEXT NOT NULL,
    buyer_id        TEXT NOT NULL DEFAULT '',
    sender          TEXT NOT NULL CHECK (sender IN ('buyer','shop_manual','shop_auto','system')),
    text            TEXT,
    message_type    TEXT NOT NULL DEFAULT 'text',
    item_id         TEXT,
    order_sn        TEXT,
    created_at      REAL NOT NULL,
    received_at     REAL NOT NULL,
    source          TEXT NOT NULL CHECK (source IN ('poll','push','page','outbox')),
    verified        INTEGER NOT NULL CHECK (verified IN (0,1)),
    state           TEXT NOT NULL CHECK (state IN ('pending','processed')),
    processed_at    REAL,
    UNIQUE (shop_id, message_id)
);
CREATE INDEX messages_shop_time ON messages (shop_id, created_at);
CREATE INDEX messages_conversation ON messages (shop_id, conversation_id, created_at, sender);
CREATE INDEX messages_pending ON messages (created_at, seq) WHERE state = 'pending';

CREATE TABLE decisions (
    id              INTEGER PRIMARY KEY,
    shop_id         TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    message_id      TEXT NOT NULL,
    action          TEXT NOT NULL CHECK (action IN ('auto_reply','suggest','escalate','none')),
    intent          TEXT,
    pillar          TEXT,
    confidence      REAL,
    language        TEXT,
    negative        INTEGER NOT NULL,
    wants_human     INTEGER NOT NULL,
    understood      INTEGER NOT NULL,
    entities        TEXT NOT NULL,
    rule_id         TEXT,
    reply_text      TEXT,
    reasons         TEXT NOT NULL,
    data_used       TEXT NOT NULL,
    created_at      REAL NOT NULL,
    UNIQUE (shop_id, message_id)
);
CREATE INDEX decisions_shop_time ON decisions (shop_id, created_at);
CREATE INDEX decisions_conversation ON decisions (shop_id, conversation_id);

CREATE TABLE corrections (
    id          INTEGER PRIMARY KEY,
    shop_id     TEXT NOT NULL,
    message_id  TEXT NOT NULL,
    old_intent  TEXT,
    new_intent  TEXT NOT NULL,
    by          TEXT NOT NULL,
    text        TEXT,
    created_at  REAL NOT NULL
);
CREATE INDEX corrections_time ON corrections (created_at);

CREATE TABLE outbox (
    key             TEXT PRIMARY KEY,
    shop_id         TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    buyer_id        TEXT NOT NULL,
    text            TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('auto','manual')),
    reply_to        TEXT,
    payload         TEXT NOT NULL,
    state           TEXT NOT NULL
                    CHECK (state IN ('pending','sending','sent','failed','unknown')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at      REAL NOT NULL,
    updated_at      REAL NOT NULL,
    sent_message_id TEXT,
    error           TEXT
);
CREATE INDEX outbox_state ON outbox (state, created_at);

CREATE TABLE conversations (
    shop_id               TEXT NOT NULL,
    conversation_id       TEXT NOT NULL,
    buyer_id              TEXT NOT NULL DEFAULT '',
    language              TEXT,
    held                  INTEGER NOT NULL DEFAULT 0,
    held_reason           TEXT,
    held_since            REAL,
    holding_replies_sent  INTEGER NOT NULL DEFAULT 0,
    paused_until          REAL,
    not_understood_streak INTEGER NOT NULL DEFAULT 0,
    fingerprints          TEXT NOT NULL DEFAULT '[]',
    tags                  TEXT NOT NULL DEFAULT '[]',
    updated_at            REAL NOT NULL,
    PRIMARY KEY (shop_id, conversation_id)
);

CREATE TABLE escalations (
    id              INTEGER PRIMARY KEY,
    shop_id         TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    message_id      TEXT,
    reason          TEXT NOT NULL,
    detail          TEXT,
    raised_at       REAL NOT NULL,
    resolved_at     REAL,
    resolved_by     TEXT,
    resolution      TEXT
);
CREATE INDEX escalations_open ON escalations (shop_id, conversation_id) WHERE resolved_at IS NULL;
CREATE INDEX escalations_time ON escalations (raised_at);

CREATE TABLE events (
    seq   INTEGER PRIMARY KEY AUTOINCREMENT,
    type  TEXT NOT NULL,
    data  TEXT NOT NULL,
    at    REAL NOT NULL
);

CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at REAL NOT NULL);
"""


def _version(conn: sqlite3.Connection) -> int:
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
    ).fetchone()
    if not exists:
        return 0
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    return int(row[0]) if row else 0


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the schema to `SCHEMA_VERSION` inside the caller's transaction; returns it."""
    version = _version(conn)
    if version > SCHEMA_VERSION:
        raise RuntimeError(f"store schema {version} is newer than this companion's")
    if version < 1:
        for statement in _V1.split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', '1')")
    return SCHEMA_VERSION
