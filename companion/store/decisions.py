"""Decisions with their reasons (issue 5 item 2) and the seller's intent corrections.

One decision per buyer message: recording again (after a restart re-decided
a message whose first decision was stored but not marked processed) replaces
it, so the overlay always explains what was actually done last.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from typing import Any

from companion.store.db import Database
from companion.store.models import ACTIONS, Correction, Decision, NewDecision

_COLUMNS = (
    "id, shop_id, conversation_id, message_id, action, intent, pillar, confidence, language,"
    " negative, wants_human, understood, entities, rule_id, reply_text, reasons, data_used,"
    " created_at"
)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def _row(r: tuple) -> Decision:
    return Decision(
        r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], bool(r[9]), bool(r[10]),
        bool(r[11]), json.loads(r[12]), r[13], r[14], json.loads(r[15]), json.loads(r[16]), r[17],
    )


class DecisionLog:
    """The `decisions` and `corrections` tables."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def record(self, d: NewDecision) -> Decision:
        """Store (or replace) the decision for `d.message_id`; returns it with its id."""
        if d.action not in ACTIONS:
            raise ValueError(f"unknown action {d.action!r}")
        at = time.time() if d.created_at is None else d.created_at
        with self._db.tx() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO decisions (shop_id, conversation_id, message_id, action,"
                " intent, pillar, confidence, language, negative, wants_human, understood,"
                " entities, rule_id, reply_text, reasons, data_used, created_at)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (d.shop_id, d.conversation_id, d.message_id, d.action, d.intent, d.pillar,
                 d.confidence, d.language, int(d.negative), int(d.wants_human),
                 int(d.understood), _dumps(d.entities), d.rule_id, d.reply_text,
                 _dumps(d.reasons), _dumps(d.data_used), at),
            )
            found = self._get(conn, d.shop_id, d.message_id)
        assert found is not None
        return found

    @staticmethod
    def _get(conn: sqlite3.Connection, shop_id: str, message_id: str) -> Decision | None:
        row = conn.execute(
            f"SELECT {_COLUMNS} FROM decisions WHERE shop_id = ? AND message_id = ?",
            (shop_id, message_id),
        ).fetchone()
        return _row(row) if row else None

    def for_message(self, shop_id: str, message_id: str) -> Decision | None:
        with self._db.locked() as conn:
            return self._get(conn, shop_id, message_id)

    def latest_in_conversation(self, shop_id: str, conversation_id: str) -> Decision | None:
        """The newest decision of one conversation (what the overlay shows for it)."""
        with self._db.locked() as conn:
            row = conn.execute(
                f"SELECT {_COLUMNS} FROM decisions WHERE shop_id = ? AND conversation_id = ?"
                " ORDER BY id DESC LIMIT 1",
                (shop_id, conversation_id),
            ).fetchone()
        return _row(row) if row else None

    def recent(self, shop_id: str | None = None, limit: int = 100) -> list[Decision]:
        """Newest first, for the dashboard."""
        where, args = ("WHERE shop_id = ?", (shop_id,)) if shop_id else ("", ())
        with self._db.locked() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM decisions {where} ORDER BY id DESC LIMIT ?",
                (*args, limit),
            ).fetchall()
        return [_row(r) for r in rows]

    def correct(self, shop_id: str, message_id: str, new_intent: str, *, by: str,
                at: float | None = None) -> Correction:
        """Remember that the seller relabelled a message (old intent and text kept for training)."""
        at = time.time() if at is None else at
        with self._db.tx() as conn:
            old = conn.execute(
                "SELECT intent FROM decisions WHERE shop_id = ? AND message_id = ?",
                (shop_id, message_id),
            ).fetchone()
            text = conn.execute(
                "SELECT text FROM messages WHERE shop_id = ? AND message_id = ?",
                (shop_id, message_id),
            ).fetchone()
            old_intent = old[0] if old else None
            msg_text = text[0] if text else None
            cur = conn.execute(
                "INSERT INTO corrections (shop_id, message_id, old_intent, new_intent, by, text,"
                " created_at) VALUES (?,?,?,?,?,?,?)",
                (shop_id, message_id, old_intent, new_intent, by, msg_text, at),
            )
            row_id = cur.lastrowid
        assert row_id is not None
        return Correction(row_id, shop_id, message_id, old_intent, new_intent, by, at, msg_text)

    def corrections(self, since: float = 0.0) -> list[Correction]:
        with self._db.locked() as conn:
            rows = conn.execute(
                "SELECT id, shop_id, message_id, old_intent, new_intent, by, created_at, text"
                " FROM corrections WHERE created_at >= ? ORDER BY id",
                (since,),
            ).fetchall()
        return [Correction(*r) for r in rows]


def kpi_decisions(conn: sqlite3.Connection, shop_id: str, since: float
                  ) -> Iterator[tuple[float, str, str | None, str | None]]:
    """(created_at, action, pillar, intent) of one shop's decisions since `since`."""
    yield from conn.execute(
        "SELECT created_at, action, pillar, intent FROM decisions"
        " WHERE shop_id = ? AND created_at >= ? ORDER BY created_at",
        (shop_id, since),
    )
