"""Escalations: raised with a reason, resolved by a person (issue 5 item 4)."""

from __future__ import annotations

import sqlite3
import time

from companion.store.db import Database
from companion.store.models import Escalation

_COLUMNS = (
    "id, shop_id, conversation_id, message_id, reason, detail, raised_at, resolved_at,"
    " resolved_by, resolution"
)


class Escalations:
    """The `escalations` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def raise_(self, shop_id: str, conversation_id: str, reason: str, *,
               message_id: str | None = None, detail: str | None = None,
               at: float | None = None) -> Escalation:
        """Record a new escalation (`raise` is a keyword, hence the underscore)."""
        at = time.time() if at is None else at
        with self._db.tx() as conn:
            cur = conn.execute(
                "INSERT INTO escalations (shop_id, conversation_id, message_id, reason, detail,"
                " raised_at) VALUES (?,?,?,?,?,?)",
                (shop_id, conversation_id, message_id, reason, detail, at),
            )
        assert cur.lastrowid is not None
        return Escalation(cur.lastrowid, shop_id, conversation_id, message_id, reason, detail, at,
                          None, None, None)

    def resolve(self, shop_id: str, conversation_id: str, *, by: str,
                resolution: str = "released", at: float | None = None) -> list[Escalation]:
        """Close every open escalation of a conversation; returns those closed."""
        at = time.time() if at is None else at
        with self._db.tx() as conn:
            open_ = self._open(conn, shop_id, conversation_id)
            conn.execute(
                "UPDATE escalations SET resolved_at = ?, resolved_by = ?, resolution = ?"
                " WHERE shop_id = ? AND conversation_id = ? AND resolved_at IS NULL",
                (at, by, resolution, shop_id, conversation_id),
            )
        return [Escalation(*e[:7], at, by, resolution) for e in open_]

    @staticmethod
    def _open(conn: sqlite3.Connection, shop_id: str, conversation_id: str) -> list[tuple]:
        return conn.execute(
            f"SELECT {_COLUMNS} FROM escalations WHERE shop_id = ? AND conversation_id = ?"
            " AND resolved_at IS NULL ORDER BY id",
            (shop_id, conversation_id),
        ).fetchall()

    def open_for(self, shop_id: str, conversation_id: str) -> list[Escalation]:
        with self._db.locked() as conn:
            return [Escalation(*r) for r in self._open(conn, shop_id, conversation_id)]

    def list_open(self, shop_id: str | None = None) -> list[Escalation]:
        """Every unresolved escalation, oldest first."""
        where, args = ("AND shop_id = ?", (shop_id,)) if shop_id else ("", ())
        with self._db.locked() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM escalations WHERE resolved_at IS NULL {where}"
                " ORDER BY raised_at", args,
            ).fetchall()
        return [Escalation(*r) for r in rows]

    def since(self, since: float, shop_id: str | None = None) -> list[Escalation]:
        """Escalations raised since `since` (open or not), for KPIs."""
        where, args = ("AND shop_id = ?", (shop_id,)) if shop_id else ("", ())
        with self._db.locked() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM escalations WHERE raised_at >= ? {where}"
                " ORDER BY raised_at", (since, *args),
            ).fetchall()
        return [Escalation(*r) for r in rows]
