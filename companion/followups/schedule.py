"""The persisted schedule of follow-ups and their life cycle.

    scheduled -> queued (a person sends) -> sending -> sent
              -> sending (automatic)     -> sent | failed | unknown
              -> skipped (with the reason; also after the catch-up window)

One row per idempotency key (`plan:shop:order` or, for vouchers,
`plan:shop:buyer:window`), so a status seen twice schedules once. `sending`
is committed before the API call; a row still `sending` at start-up became
`unknown` (the send may have landed) and is never sent again automatically.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from companion.followups.db import Clock, FollowupDB
from companion.followups.plans import Planned

MISSED_WINDOW = "missed_window"
COUNTED_STATES = ("queued", "sending", "sent", "unknown")

_COLUMNS = (
    "id, key, shop_id, plan, order_sn, buyer_id, anchor_at, due_at, expires_at, next_check_at,"
    " state, reason, language, text, voucher_code, conversation_id, sent_by, sent_via, sent_at,"
    " sent_message_id, replied_at, repurchase_order_sn, created_at, updated_at"
)


@dataclass(frozen=True, slots=True)
class Followup:
    id: int
    key: str
    shop_id: str
    plan: str
    order_sn: str
    buyer_id: str
    anchor_at: float
    due_at: float
    expires_at: float
    next_check_at: float
    state: str
    reason: str
    language: str | None
    text: str | None
    voucher_code: str | None
    conversation_id: str | None
    sent_by: str | None
    sent_via: str | None
    sent_at: float | None
    sent_message_id: str | None
    replied_at: float | None
    repurchase_order_sn: str | None
    created_at: float
    updated_at: float

    def public(self) -> dict[str, Any]:
        """The dashboard's view (no internal key)."""
        data = dataclasses.asdict(self)
        del data["key"]
        return data


class Schedule:
    """The `followups` table."""

    def __init__(self, db: FollowupDB, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def _fetch(self, where: str, args: tuple = ()) -> list[Followup]:
        rows = self._db.conn.execute(f"SELECT {_COLUMNS} FROM followups {where}", args).fetchall()
        return [Followup(*r) for r in rows]

    def get(self, followup_id: int) -> Followup | None:
        found = self._fetch("WHERE id = ?", (followup_id,))
        return found[0] if found else None

    def by_key(self, key: str) -> Followup | None:
        found = self._fetch("WHERE key = ?", (key,))
        return found[0] if found else None

    def recover(self) -> list[Followup]:
        """After a crash: `sending` rows may have landed; mark them `unknown`, never resend."""
        stuck = self._fetch("WHERE state = 'sending'")
        if stuck:
            with self._db.tx() as conn:
                conn.execute("UPDATE followups SET state = 'unknown', reason ="
                             " 'interrupted_send_check_chat', updated_at = ?"
                             " WHERE state = 'sending'", (self._clock(),))
        return stuck

    def add(self, planned: Planned, catch_up_s: float) -> Followup | None:
        """Schedule once per key; returns the new row, or None when the key exists."""
        now = self._clock()
        with self._db.tx() as conn:
            cur = conn.execute(
                "INSERT OR IGNORE INTO followups (key, shop_id, plan, order_sn, buyer_id,"
                " anchor_at, due_at, expires_at, next_check_at, state, created_at, updated_at)"
                " VALUES (?,?,?,?,?,?,?,?,?,'scheduled',?,?)",
                (planned.key, planned.shop_id, planned.plan, planned.order_sn, planned.buyer_id,
                 planned.anchor_at, planned.due_at, planned.due_at + catch_up_s, planned.due_at,
                 now, now),
            )
        return self.get(int(cur.lastrowid)) if cur.rowcount == 1 and cur.lastrowid else None

    def due(self, limit: int = 200) -> list[Followup]:
        return self._fetch("WHERE state = 'scheduled' AND next_check_at <= ?"
                           " ORDER BY next_check_at, id LIMIT ?", (self._clock(), limit))

    def list(self, *, shop_id: str | None = None, state: str | None = None,
             plan: str | None = None, limit: int = 100) -> list[Followup]:
        clauses, args = [], []
        for column, value in (("shop_id", shop_id), ("state", state), ("plan", plan)):
            if value:
                clauses.append(f"{column} = ?")
                args.append(value)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        return self._fetch(f"{where} ORDER BY updated_at DESC, id DESC LIMIT ?",
                           (*args, limit))

    def _update(self, followup_id: int, only_from: tuple[str, ...], **values: Any) -> bool:
        values["updated_at"] = self._clock()
        sets = ", ".join(f"{k} = ?" for k in values)
        marks = ",".join("?" * len(only_from))
        with self._db.tx() as conn:
            cur = conn.execute(
                f"UPDATE followups SET {sets} WHERE id = ? AND state IN ({marks})",
                (*values.values(), followup_id, *only_from),
            )
        return cur.rowcount == 1

    def wait(self, followup_id: int, retry_at: float, reason: str) -> bool:
        return self._update(followup_id, ("scheduled",), next_check_at=retry_at, reason=reason)

    def move(self, followup_id: int, due_at: float, catch_up_s: float, reason: str) -> bool:
        """A new due time (tracking not stalled yet): the catch-up window moves with it."""
        return self._update(followup_id, ("scheduled",), due_at=due_at, next_check_at=due_at,
                            expires_at=due_at + catch_up_s, reason=reason)

    def skip(self, followup_id: int, reason: str,
             only_from: tuple[str, ...] = ("scheduled", "queued")) -> bool:
        return self._update(followup_id, only_from, state="skipped", reason=reason)

    def queue(self, followup_id: int, reason: str, *, text: str, language: str,
              voucher_code: str | None, conversation_id: str | None) -> bool:
        return self._update(followup_id, ("scheduled",), state="queued", reason=reason,
                            text=text, language=language, voucher_code=voucher_code,
                            conversation_id=conversation_id)

    def claim_send(self, followup_id: int, *, by: str, via: str, text: str, language: str,
                   voucher_code: str | None, conversation_id: str | None,
                   only_from: tuple[str, ...]) -> bool:
        """The idempotency step: committed `sending` before the API call."""
        return self._update(followup_id, only_from, state="sending", sent_by=by, sent_via=via,
                            text=text, language=language, voucher_code=voucher_code,
                            conversation_id=conversation_id)

    def sent(self, followup_id: int, message_id: str | None, conversation_id: str | None) -> bool:
        return self._update(followup_id, ("sending",), state="sent", reason="",
                            sent_at=self._clock(), sent_message_id=message_id,
                            conversation_id=conversation_id)

    def settle(self, followup_id: int, state: str, reason: str) -> bool:
        """A send that did not go out (`failed`, `unknown`) or goes back to the queue."""
        return self._update(followup_id, ("sending",), state=state, reason=reason)

    def skip_order(self, shop_id: str, order_sn: str, reason: str) -> int:
        """The order left the path (return, cancel): drop what was planned for it."""
        with self._db.tx() as conn:
            cur = conn.execute(
                "UPDATE followups SET state = 'skipped', reason = ?, updated_at = ?"
                " WHERE shop_id = ? AND order_sn = ? AND state IN ('scheduled','queued')",
                (reason, self._clock(), shop_id, order_sn))
        return cur.rowcount

    def reschedule_plan(self, shop_id: str, plan: str, delay_s: float, catch_up_s: float) -> int:
        """A seller edited a delay: waiting rows follow the new delay from their anchor."""
        with self._db.tx() as conn:
            cur = conn.execute(
                "UPDATE followups SET due_at = anchor_at + ?, next_check_at = anchor_at + ?,"
                " expires_at = anchor_at + ? + ?, updated_at = ? WHERE shop_id = ? AND plan = ?"
                " AND state = 'scheduled' AND reason = ''",
                (delay_s, delay_s, delay_s, catch_up_s, self._clock(), shop_id, plan))
        return cur.rowcount

    def cap_free_at(self, shop_id: str, buyer_id: str, exclude_id: int, cap: int,
                    window_s: float) -> float | None:
        """None when the buyer is under the cap, else when the oldest counted one ages out."""
        since = self._clock() - window_s
        marks = ",".join("?" * len(COUNTED_STATES))
        rows = self._db.conn.execute(
            f"SELECT COALESCE(sent_at, updated_at) AS at FROM followups WHERE shop_id = ?"
            f" AND buyer_id = ? AND id != ? AND state IN ({marks})"
            " AND COALESCE(sent_at, updated_at) >= ? ORDER BY at",
            (shop_id, buyer_id, exclude_id, *COUNTED_STATES, since),
        ).fetchall()
        if len(rows) < cap:
            return None
        return float(rows[len(rows) - cap][0]) + window_s

    def awaiting_reply(self, since: float) -> list[Followup]:
        return self._fetch("WHERE state = 'sent' AND replied_at IS NULL AND sent_at >= ?"
                           " ORDER BY sent_at", (since,))

    def mark_replied(self, followup_id: int, at: float) -> None:
        with self._db.tx() as conn:
            conn.execute("UPDATE followups SET replied_at = ? WHERE id = ?", (at, followup_id))

    def mark_repurchase(self, shop_id: str, buyer_id: str, order_sn: str, created: float,
                        window_s: float) -> int:
        """A new order after a sent follow-up (within `window_s`) counts as a repurchase."""
        with self._db.tx() as conn:
            cur = conn.execute(
                "UPDATE followups SET repurchase_order_sn = ? WHERE shop_id = ? AND buyer_id = ?"
                " AND state = 'sent' AND repurchase_order_sn IS NULL AND order_sn != ?"
                " AND sent_at <= ? AND sent_at >= ?",
                (order_sn, shop_id, buyer_id, order_sn, created, created - window_s))
        return cur.rowcount

    def counts(self, shop_id: str | None = None) -> dict[str, dict[str, int]]:
        where, args = ("WHERE shop_id = ?", (shop_id,)) if shop_id else ("", ())
        rows = self._db.conn.execute(
            f"SELECT plan, state, COUNT(*) FROM followups {where} GROUP BY plan, state", args
        ).fetchall()
        out: dict[str, dict[str, int]] = {}
        for plan, state, n in rows:
            out.setdefault(plan, {})[state] = n
        return out

    def outcomes(self, shop_id: str | None = None) -> dict[str, dict[str, Any]]:
        """Per plan: sent, buyer replies, repurchases, and the rates the seller judges by."""
        where, args = ("AND shop_id = ?", (shop_id,)) if shop_id else ("", ())
        rows = self._db.conn.execute(
            "SELECT plan, COUNT(*), COUNT(replied_at), COUNT(repurchase_order_sn) FROM followups"
            f" WHERE state = 'sent' {where} GROUP BY plan", args).fetchall()
        out: dict[str, dict[str, Any]] = {}
        for plan, sent, replied, bought in rows:
            out[plan] = {"sent": sent, "replied": replied, "repurchased": bought,
                         "reply_rate": round(replied / sent, 3) if sent else None,
                         "repurchase_rate": round(bought / sent, 3) if sent else None}
        return out
