"""Retention: keep 90 days (Shopee's CRR window) plus a margin, then delete.

Deletes in small batches, each its own short transaction, so the pipeline's
writes interleave with a large prune instead of waiting behind it. Pending
messages and outbox rows that still need a decision (pending, sending,
unknown) are never pruned.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from companion.store.db import Database

CRR_WINDOW_DAYS = 90
MARGIN_DAYS = 7
KEEP_DAYS = CRR_WINDOW_DAYS + MARGIN_DAYS
BATCH = 5000

# (table, time column, extra condition): what may go once older than the cutoff.
_TARGETS = (
    ("messages", "created_at", "state = 'processed'"),
    ("decisions", "created_at", "1"),
    ("corrections", "created_at", "1"),
    ("outbox", "updated_at", "state IN ('sent', 'failed')"),
    ("escalations", "raised_at", "resolved_at IS NOT NULL"),
)


@dataclass(frozen=True, slots=True)
class PruneResult:
    cutoff: float
    deleted: dict[str, int]


def prune(db: Database, *, now: float | None = None, keep_days: float = KEEP_DAYS,
          batch: int = BATCH) -> PruneResult:
    """Delete rows older than `keep_days`; returns the cutoff and counts per table."""
    now = time.time() if now is None else now
    cutoff = now - keep_days * 86400
    deleted: dict[str, int] = {}
    for table, column, condition in _TARGETS:
        total = 0
        while True:
            with db.tx() as conn:
                n = conn.execute(
                    f"DELETE FROM {table} WHERE rowid IN (SELECT rowid FROM {table}"
                    f" WHERE {column} < ? AND {condition} LIMIT ?)",
                    (cutoff, batch),
                ).rowcount
            total += n
            if n < batch:
                break
        deleted[table] = total
    return PruneResult(cutoff, deleted)
