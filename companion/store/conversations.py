"""Per-conversation state the pipeline keeps between messages (holds, pauses, streaks).

The pipeline reads a `ConversationState`, derives a new one with
`dataclasses.replace`, and `put`s it back, inside `Store.transaction()` when
it must change together with a decision or an escalation.
"""

from __future__ import annotations

import dataclasses
import json
import time

from companion.store.db import Database
from companion.store.models import ConversationState

_COLUMNS = (
    "shop_id, conversation_id, buyer_id, language, held, held_reason, held_since,"
    " holding_replies_sent, paused_until, not_understood_streak, fingerprints, tags, updated_at"
)


def _row(r: tuple) -> ConversationState:
    fingerprints = tuple((str(fp), float(at)) for fp, at in json.loads(r[10]))
    return ConversationState(r[0], r[1], r[2], r[3], bool(r[4]), r[5], r[6], r[7], r[8], r[9],
                             fingerprints, tuple(json.loads(r[11])), r[12])


class Conversations:
    """The `conversations` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, shop_id: str, conversation_id: str) -> ConversationState:
        """The stored state, or a fresh default one (nothing held, no pause)."""
        with self._db.locked() as conn:
            row = conn.execute(
                f"SELECT {_COLUMNS} FROM conversations WHERE shop_id = ? AND conversation_id = ?",
                (shop_id, conversation_id),
            ).fetchone()
        return _row(row) if row else ConversationState(shop_id, conversation_id)

    def put(self, state: ConversationState) -> ConversationState:
        """Save the whole state (stamping `updated_at`); returns what was saved."""
        now = time.time()
        with self._db.tx() as conn:
            conn.execute(
                f"INSERT OR REPLACE INTO conversations ({_COLUMNS})"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (state.shop_id, state.conversation_id, state.buyer_id, state.language,
                 int(state.held), state.held_reason, state.held_since,
                 state.holding_replies_sent, state.paused_until, state.not_understood_streak,
                 json.dumps([list(f) for f in state.fingerprints]),
                 json.dumps(list(state.tags), ensure_ascii=False), now),
            )
        return dataclasses.replace(state, updated_at=now)

    def held(self, shop_id: str | None = None) -> list[ConversationState]:
        """Conversations waiting for a person, longest-held first."""
        where, args = ("AND shop_id = ?", (shop_id,)) if shop_id else ("", ())
        with self._db.locked() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM conversations WHERE held = 1 {where} ORDER BY held_since",
                args,
            ).fetchall()
        return [_row(r) for r in rows]
