"""`yiwaiwai bench --store`: TinyDB against SQLite for a 90-day log of a large shop.

Each engine runs in its own child process (`python -m companion.bench.store_bench
--engine ...`) so peak RSS is that engine's alone; the parent prints a table.
Same synthetic history, same KPI code on both sides.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from companion.bench.timing import peak_rss_mib

DEFAULT_MESSAGES = 1_000_000
DEFAULT_TINYDB_BUDGET_S = 60.0


def _child(engine: str, folder: Path, n: int, now: float, budget_s: float) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "companion.bench.store_bench", "--engine", engine,
           "--dir", str(folder), "--messages", str(n), "--now", str(now),
           "--tinydb-budget", str(budget_s)]
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{engine} benchmark failed:\n{done.stderr[-2000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall_s"] = time.perf_counter() - t0
    return result


def _mb(n: float) -> str:
    return f"{n / 1e6:.1f} MB"


def _us(d: dict[str, float]) -> str:
    return f"{d['p50_us']:.0f} / {d['p99_us']:.0f} µs"


def _dur(s: float) -> str:
    if s >= 3600:
        return f"{s / 3600:.1f} h"
    return f"{s:.2f} s" if s >= 0.01 else f"{s * 1e3:.2f} ms"


def table(sq: dict[str, Any], tn: dict[str, Any], base_rss: float) -> str:
    """The comparison as aligned text rows."""
    n = sq["messages"]
    durable = ("" if tn["durable_complete"] else
               f"  (stopped after {tn['durable_inserted']:,} in {tn['durable_s']:.0f} s;"
               f" extrapolated, last insert {tn['durable_last_insert_us'] / 1e3:.1f} ms)")
    rows = [
        ("measure", "SQLite (WAL)", "TinyDB 4.9"),
        (f"load {n:,} messages, crash-safe per message",
         f"{_dur(n / 1e6 * sq['add_durable']['mean_us'])} (durable add x n, from mean)",
         f"{_dur(tn['durable_total_s'])}{durable}"),
        ("bulk load (no per-message durability)",
         f"{_dur(sq['load_s'])} ({sq['load_per_s']:,.0f}/s, add() in 10k txns)",
         f"{_dur(tn['bulk_load_s'])} (insert_multiple)"),
        ("add() one message, NORMAL  p50/p99", _us(sq["add_normal"]), "-"),
        ("add() one message, durable p50/p99", _us(sq["add_durable"]),
         f"{tn['one_more_insert_s'] * 1e3:,.0f} ms (one insert at {n:,})"),
        ("add() via 1 worker thread  p50/p99", _us(sq["add_thread"]), "-"),
        ("dedupe lookup p50/p99", _us(sq["lookup"]), _us(tn["lookup"])),
        ("duplicate add() p50/p99", _us(sq["dedupe_add"]), "-"),
        ("pending scan (1,000 pending)", _dur(sq["pending_s"]), _dur(tn["pending_s"])),
        ("KPI (CRR+FRT, 90 days)", f"{_dur(sq['kpi_s'])} (full report)",
         f"{_dur(tn['kpi_s'])} (CRR+FRT only)"),
        ("open + count", _dur(sq["open_s"]), _dur(tn["open_s"])),
        ("file size", _mb(sq["file_bytes"]), _mb(tn["file_bytes"])),
        ("peak RSS (process)", f"{sq['rss_mib']:.0f} MiB", f"{tn['rss_mib']:.0f} MiB"),
        ("wall time of the side", _dur(sq["wall_s"]), _dur(tn["wall_s"])),
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip()
             for r in rows]
    lines.insert(1, "-" * len(lines[0]))
    lines.append(f"(interpreter baseline RSS {base_rss:.0f} MiB; both sides computed"
                 f" {sq['kpi_chats']:,} / {tn['kpi_chats']:,} chats, CRR {sq['kpi_crr']:.4f} /"
                 f" {tn['kpi_crr']:.4f}; p50/p99 over up to 2,000 calls, 10,000 lookups)")
    return "\n".join(lines)


def run_comparison(n: int = DEFAULT_MESSAGES, budget_s: float = DEFAULT_TINYDB_BUDGET_S,
                   folder: Path | None = None) -> tuple[dict[str, Any], dict[str, Any], str]:
    """Run both sides; returns their raw results and the printed table."""
    now = float(int(time.time()))
    with tempfile.TemporaryDirectory(prefix="yiwaiwai-bench-") as tmp:
        base = folder or Path(tmp)
        for side in ("sqlite", "tinydb", "baseline"):
            (base / side).mkdir(parents=True, exist_ok=True)
        base_rss = _child("baseline", base / "baseline", 0, now, 0)["rss_mib"]
        sq = _child("sqlite", base / "sqlite", n, now, budget_s)
        tn = _child("tinydb", base / "tinydb", n, now, budget_s)
    return sq, tn, table(sq, tn, base_rss)


def _child_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="store_bench")
    parser.add_argument("--engine", choices=("sqlite", "tinydb", "baseline"), required=True)
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--messages", type=int, required=True)
    parser.add_argument("--now", type=float, required=True)
    parser.add_argument("--tinydb-budget", type=float, default=DEFAULT_TINYDB_BUDGET_S)
    args = parser.parse_args(argv)
    if args.engine == "sqlite":
        from companion.bench import sqlite_side

        result = sqlite_side.run(args.dir, args.messages, args.now)
    elif args.engine == "tinydb":
        from companion.bench import tinydb_side

        result = tinydb_side.run(args.dir, args.messages, args.now, args.tinydb_budget)
    else:
        import companion.store  # noqa: F401  (the baseline includes our imports)

        result = {"engine": "baseline", "rss_mib": peak_rss_mib()}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(_child_main(sys.argv[1:]))
