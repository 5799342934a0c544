"""The SQLite side of the store benchmark: the real `Store` API on a 90-day log."""

from __future__ import annotations

import asyncio
import random
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from companion.bench.history import SHOP_ID, history
from companion.bench.timing import files_size, peak_rss_mib, percentiles_us, time_each
from companion.store import NewMessage, Store, kpi_report

BATCH = 10_000
SAMPLE = 2_000
PENDING_TAIL = 1_000


EXTRA_SHOP = "830000002"  # the latency samples go to another shop: same KPI data as TinyDB


def _extra(i: int, now: float, tag: str) -> NewMessage:
    return NewMessage(EXTRA_SHOP, str(10**17 + i % 500), f"{tag}-{i}", "buyer", now, text="hi?")


async def _via_worker_thread(store: Store, now: float, calls: int) -> list[float]:
    """The same add() hopped onto a single worker thread, as an asyncio caller would."""
    loop = asyncio.get_running_loop()
    samples = []
    with ThreadPoolExecutor(max_workers=1) as worker:
        for i in range(calls):
            t0 = time.perf_counter()
            msg = _extra(i, now, "thread")
            await loop.run_in_executor(worker, lambda m=msg: store.messages.add(m, durable=False))
            samples.append(time.perf_counter() - t0)
    return samples


def _bulk_load(store: Store, n: int, now: float) -> float:
    t0 = time.perf_counter()
    batch_end = 0
    source = history(n, now)
    while batch_end < n:
        with store.transaction():
            for i, msg in zip(range(batch_end, min(n, batch_end + BATCH)), source, strict=False):
                store.messages.add(msg, pending=i >= n - PENDING_TAIL, durable=False)
        batch_end += BATCH
    return time.perf_counter() - t0


def run(folder: Path, n: int, now: float) -> dict[str, Any]:
    """Every measurement of the SQLite side, as a flat dict."""
    path = folder / "chat.sqlite3"
    store = Store.open(path)
    load_s = _bulk_load(store, n, now)
    store.db.checkpoint()  # start the per-call samples from a folded WAL, as a running shop has
    calls = min(SAMPLE, max(100, n // 10))  # small runs (tests) stay quick
    normal = time_each(calls, lambda i: store.messages.add(_extra(i, now, "n"), durable=False))
    durable = time_each(calls, lambda i: store.messages.add(_extra(i, now, "d")))
    threaded = asyncio.run(_via_worker_thread(store, now, calls))
    rng = random.Random(3)
    ids = [str(2**60 + rng.randrange(n)) for _ in range(min(n, 10_000))]
    lookups = time_each(len(ids), lambda i: store.messages.exists(SHOP_ID, ids[i]))
    dup = history(min(n, 10_000), now)
    dupes = time_each(min(n, 10_000), lambda i: store.messages.add(next(dup), durable=False))
    t0 = time.perf_counter()
    pending = store.messages.pending(limit=PENDING_TAIL)
    pending_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    report = kpi_report(store, SHOP_ID, now)
    kpi_s = time.perf_counter() - t0
    store.close()
    t0 = time.perf_counter()
    with Store.open(path) as reopened:
        reopened.messages.count()
        open_s = time.perf_counter() - t0
    return {
        "engine": "sqlite",
        "messages": n,
        "load_s": load_s,
        "load_per_s": n / load_s,
        "add_normal": percentiles_us(normal),
        "add_durable": percentiles_us(durable),
        "add_thread": percentiles_us(threaded),
        "lookup": percentiles_us(lookups),
        "dedupe_add": percentiles_us(dupes),
        "pending_found": len(pending),
        "pending_s": pending_s,
        "kpi_s": kpi_s,
        "kpi_chats": report.chats,
        "kpi_crr": report.response_rate.crr,
        "kpi_frt_median_s": report.response_times.median_s,
        "open_s": open_s,
        "file_bytes": files_size(str(path), f"{path}-wal"),
        "rss_mib": peak_rss_mib(),
    }
