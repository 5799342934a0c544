"""The TinyDB side of the store benchmark, with the same data and the same KPI code.

Two regimes, because TinyDB cannot do both at once:
- durable: one `insert()` per message on the default JSONStorage (the only
  setup where a stored message survives kill -9; CachingMiddleware loses its
  unflushed writes). Each insert rewrites the whole file, so the cost grows
  with the table: it runs until the time budget is spent, then the total for
  n messages is extrapolated from a least-squares fit of per-insert cost
  against table size (cost = a + b*i, total = a*n + b*n^2/2).
- bulk: one `insert_multiple()` of all n (no durability at all), then the
  read-side measurements on the full table.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from companion.bench.history import SHOP_ID, as_document, history
from companion.bench.timing import files_size, peak_rss_mib, percentiles_us, time_each
from companion.store import KpiMessage, kpi

STEP = 50


def _fit(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Least squares cost = a + b*i over (i, cost) points."""
    if len(points) < 2:
        return (points[0][1] if points else 0.0), 0.0
    mx = sum(p[0] for p in points) / len(points)
    my = sum(p[1] for p in points) / len(points)
    sxx = sum((x - mx) ** 2 for x, _ in points)
    b = sum((x - mx) * (y - my) for x, y in points) / sxx if sxx else 0.0
    return my - b * mx, max(b, 0.0)


def _durable(folder: Path, n: int, now: float, budget_s: float) -> dict[str, Any]:
    from tinydb import TinyDB

    db = TinyDB(folder / "durable.json")
    table = db.table("messages")
    points: list[tuple[float, float]] = []
    started = time.perf_counter()
    done = 0
    source = history(n, now)
    while done < n and time.perf_counter() - started < budget_s:
        t0 = time.perf_counter()
        for msg in (next(source) for _ in range(min(STEP, n - done))):
            table.insert(as_document(msg))
        points.append((done + STEP / 2, (time.perf_counter() - t0) / STEP))
        done += min(STEP, n - done)
    spent = time.perf_counter() - started
    db.close()
    a, b = _fit(points)
    return {
        "durable_inserted": done,
        "durable_s": spent,
        "durable_complete": done >= n,
        "durable_last_insert_us": points[-1][1] * 1e6 if points else 0.0,
        "durable_total_s": spent if done >= n else a * n + b * n * n / 2,
    }


def _kpi(table: Any, now: float) -> tuple[float, int, float | None]:
    t0 = time.perf_counter()
    rows = [KpiMessage(d["conversation_id"], d["sender"], d["created_at"])
            for d in table.all() if d["shop_id"] == SHOP_ID and d["created_at"] >= now - 91 * 86400]
    chats = kpi.split_chats(rows)
    crr = kpi.chat_response_rate(chats, now).crr
    kpi.first_response_times(chats, now)
    return time.perf_counter() - t0, len(kpi.in_window(chats, now)), crr


def _bulk(folder: Path, n: int, now: float) -> dict[str, Any]:
    from tinydb import Query, TinyDB

    path = folder / "bulk.json"
    t0 = time.perf_counter()
    with TinyDB(path) as db:
        db.table("messages").insert_multiple(
            as_document(m, "pending" if i >= n - 1000 else "processed")
            for i, m in enumerate(history(n, now)))
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    db = TinyDB(path)
    table = db.table("messages")
    count = len(table)
    open_s = time.perf_counter() - t0
    q = Query()
    lookups = time_each(3, lambda i: table.contains(
        (q.shop_id == SHOP_ID) & (q.message_id == str(2**60 + (i * 7919) % n))))
    t0 = time.perf_counter()
    pending = table.search(q.state == "pending")
    pending_s = time.perf_counter() - t0
    kpi_s, chats, crr = _kpi(table, now)
    extra = next(history(1, now + 1, seed=99))
    t0 = time.perf_counter()
    table.insert({**as_document(extra), "message_id": "x-1"})
    one_more_s = time.perf_counter() - t0
    db.close()
    return {
        "bulk_load_s": load_s, "bulk_count": count, "open_s": open_s,
        "lookup": percentiles_us(lookups), "pending_found": len(pending),
        "pending_s": pending_s, "kpi_s": kpi_s, "kpi_chats": chats, "kpi_crr": crr,
        "one_more_insert_s": one_more_s, "file_bytes": files_size(str(path)),
    }


def run(folder: Path, n: int, now: float, budget_s: float) -> dict[str, Any]:
    """Every measurement of the TinyDB side, as a flat dict."""
    result: dict[str, Any] = {"engine": "tinydb", "messages": n}
    result.update(_durable(folder, n, now, budget_s))
    result.update(_bulk(folder, n, now))
    result["rss_mib"] = peak_rss_mib()
    return result
