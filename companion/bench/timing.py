"""Small timing helpers shared by the benchmark sides."""

from __future__ import annotations

import os
import resource
import statistics
import sys
import time
from collections.abc import Callable


def percentiles_us(samples: list[float]) -> dict[str, float]:
    """p50 / p99 / mean of durations in seconds, reported in microseconds."""
    if not samples:
        return {"p50_us": 0.0, "p99_us": 0.0, "mean_us": 0.0}
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {
        "p50_us": statistics.median(ordered) * 1e6,
        "p99_us": p99 * 1e6,
        "mean_us": statistics.fmean(ordered) * 1e6,
    }


def time_each(calls: int, fn: Callable[[int], object]) -> list[float]:
    """Run `fn(i)` `calls` times; the duration of each call in seconds."""
    out = []
    for i in range(calls):
        t0 = time.perf_counter()
        fn(i)
        out.append(time.perf_counter() - t0)
    return out


def peak_rss_mib() -> float:
    """This process's peak resident set size."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def files_size(*paths: str) -> int:
    return sum(os.path.getsize(p) for p in paths if os.path.exists(p))
