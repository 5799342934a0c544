"""The dashboard's KPI report for one shop: reads rows, hands them to `companion.store.kpi`.

Runs on a read-only connection, so the web layer can call it in a worker
thread (`await asyncio.to_thread(kpi_report, store, shop_id)`) while the
pipeline keeps writing.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass

from companion.store import kpi
from companion.store.decisions import kpi_decisions
from companion.store.messages import kpi_rows, sender_counts
from companion.store.models import Escalation
from companion.store.store import Store

# Read a day more than the window so a chat that began just before it is not
# mistaken for one beginning inside it.
LOOKBACK_S = kpi.WINDOW_S + kpi.DAY


@dataclass(frozen=True, slots=True)
class KpiReport:
    shop_id: str
    now: float
    chats: int
    response_rate: kpi.ResponseRate
    response_times: kpi.ResponseTimes
    at_risk: list[kpi.AtRisk]
    automation: kpi.Automation
    escalations_by_reason: dict[str, int]
    by_day: list[kpi.DayCount]


def _escalations(conn: sqlite3.Connection, shop_id: str, since: float) -> list[Escalation]:
    rows = conn.execute(
        "SELECT id, shop_id, conversation_id, message_id, reason, detail, raised_at, resolved_at,"
        " resolved_by, resolution FROM escalations WHERE shop_id = ? AND raised_at >= ?",
        (shop_id, since),
    ).fetchall()
    return [Escalation(*r) for r in rows]


def report_from(conn: sqlite3.Connection, shop_id: str, now: float, *,
                utc_offset_s: float = 0.0) -> KpiReport:
    """Every KPI of one shop at `now` from a connection (any thread)."""
    chats = kpi.split_sorted_chats(kpi_rows(conn, shop_id, now - LOOKBACK_S))
    window_start = now - kpi.WINDOW_S
    senders = sender_counts(conn, shop_id, window_start)
    decisions = list(kpi_decisions(conn, shop_id, window_start))
    return KpiReport(
        shop_id=shop_id,
        now=now,
        chats=len(kpi.in_window(chats, now)),
        response_rate=kpi.chat_response_rate(chats, now),
        response_times=kpi.first_response_times(chats, now),
        at_risk=kpi.at_risk(chats, now),
        automation=kpi.automation((d[1] for d in decisions), senders),
        escalations_by_reason=kpi.escalations_by_reason(
            _escalations(conn, shop_id, window_start)),
        by_day=kpi.by_day(((at, pillar, intent) for at, _, pillar, intent in decisions),
                          utc_offset_s),
    )


def kpi_report(store: Store, shop_id: str, now: float | None = None, *,
               utc_offset_s: float = 0.0) -> KpiReport:
    """`report_from` on a fresh read-only connection of `store`."""
    now = time.time() if now is None else now
    with store.reader() as conn:
        return report_from(conn, shop_id, now, utc_offset_s=utc_offset_s)
