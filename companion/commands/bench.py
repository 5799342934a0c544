"""`yiwaiwai bench`: measurements. `--store` compares TinyDB and SQLite for the chat log."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

NAME = "bench"
HELP = "benchmarks: end to end (default) or --store (TinyDB vs SQLite for the chat log)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", action="store_true",
                        help="TinyDB vs SQLite for a large shop's 90-day message log")
    parser.add_argument("--messages", type=float, default=1e6,
                        help="messages in the synthetic log (default 1e6)")
    parser.add_argument("--tinydb-budget", type=float, default=60.0,
                        help="seconds TinyDB may spend on per-message inserts before the"
                             " rest is extrapolated (default 60)")
    parser.add_argument("--dir", type=Path, help="keep the benchmark files in this folder")
    parser.add_argument("--json", action="store_true", help="also print the raw results"
                        " (end to end: one JSON line last)")
    parser.add_argument("--rate", type=float, default=200.0,
                        help="end to end: buyer messages per second (default 200)")
    parser.add_argument("--duration", type=float, default=20.0,
                        help="end to end: seconds of load (default 20)")
    parser.add_argument("--buyers", type=int, default=0,
                        help="end to end: distinct buyers (default: enough that none repeats"
                             " a question, at least 1000)")
    parser.add_argument("--drain", type=float, default=30.0,
                        help="end to end: seconds to wait for the last messages (default 30)")
    parser.add_argument("--profile", type=Path,
                        help="end to end: run both processes under cProfile, stats in this"
                             " folder (sandbox.prof, run.prof)")


def run(args: argparse.Namespace) -> int:
    if not args.store:
        return _end_to_end(args)
    from companion.bench.store_bench import run_comparison

    n = int(args.messages)
    if n < 1:
        print("yiwaiwai bench: --messages must be at least 1")
        return 2
    print(f"store benchmark: {n:,} messages over 90 days, one shop"
          f" (TinyDB per-message budget {args.tinydb_budget:.0f} s) ...", flush=True)
    sqlite_result, tinydb_result, text = run_comparison(n, args.tinydb_budget, args.dir)
    print(text)
    if args.json:
        print(json.dumps({"sqlite": sqlite_result, "tinydb": tinydb_result}, indent=1))
    return 0


def _end_to_end(args: argparse.Namespace) -> int:
    """Sandbox and companion as real processes; latency, throughput, lost, duplicated."""
    import asyncio

    from companion.bench.pipeline_bench import BenchParams, run_bench, table

    params = BenchParams(rate=args.rate, duration_s=args.duration, drain_s=args.drain,
                         buyers=args.buyers, profile_dir=args.profile)
    print(f"end-to-end benchmark: {params.rate:.0f} msg/s for {params.duration_s:.0f} s ...",
          flush=True)
    result = asyncio.run(run_bench(params, args.dir))
    print(table(result, params))
    if args.json:
        print(json.dumps(result))
    return 0 if result["lost"] == 0 and result["duplicated"] == 0 else 1
