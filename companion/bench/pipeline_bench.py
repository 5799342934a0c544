"""End-to-end benchmark: sandbox and companion as real processes, buyer messages at a set rate.

Latency is measured at the sandbox: the reply's timestamp minus the buyer
message's (both the sandbox's own nanosecond clock). Internal overhead is the
time a message spent inside the companion, excluding the API calls it waited
for: from being stored by the poller to its reply being queued for sending,
minus the live-data calls (recorded per reply in the outbox payload). The
sandbox's round-trip for one signed API call is the floor.

Shopee's rules shape the load: the same text to the same buyer within 24 h is
refused, so each (order, question) pair can be auto-answered once; further
messages are still processed (decided and recorded) and count towards
throughput, and their replies stay suggestions. `lost` counts messages never
processed plus auto-reply decisions whose reply never reached the sandbox;
`duplicated` counts replies at the sandbox beyond one per outbox key.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from companion.bench.live import (
    free_port,
    prepare_data_dir,
    proc_stats,
    start_companion,
    start_sandbox,
)

QUESTIONS = ("Hi, when will my order arrive?", "what is the tracking number for my order?")
BENCH_PIPELINE = {
    "poll_fast_s": 0.02, "poll_slow_s": 0.5, "poll_active_for_s": 60,
    "sends_per_minute": 1_000_000, "replies_per_conversation": 100_000,
    "same_question_limit": 100_000, "not_understood_limit": 100_000, "max_concurrency": 256,
}


@dataclass(frozen=True, slots=True)
class BenchParams:
    rate: float = 200.0
    duration_s: float = 20.0
    drain_s: float = 30.0


def _pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def _api_rtt_ms(url: str, shop_id: str, workdir: Path) -> float:
    """Median time of one signed shop-level call to the sandbox (the floor)."""
    from companion.shopee import ShopeeClient, TokenStore
    from companion.shopee.models import TokenGrant
    from companion.shopee.tokens import ShopTokens

    async with httpx.AsyncClient(base_url=url, trust_env=False) as http:
        creds = (await http.get("/sandbox/v1/credentials")).json()
        pair = (await http.post("/sandbox/v1/tokens", json={"shop_id": shop_id})).json()
    store = TokenStore(workdir / "rtt")
    grant = TokenGrant(access_token=pair["access_token"], refresh_token=pair["refresh_token"],
                       expire_in=int(pair["expire_in"]))
    store.save(ShopTokens.from_grant(shop_id, grant, time.time()))
    client = ShopeeClient(partner_id=int(creds["partner_id"]),
                          partner_key=str(creds["partner_key"]), base_url=url, token_store=store)
    samples = []
    async with client:
        for _ in range(40):
            started = time.perf_counter()
            await client.get_order_list(shop_id, time_from=int(time.time()) - 86400,
                                        time_to=int(time.time()), page_size=1)
            samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples[5:])


async def _inject(url: str, shop_id: str, params: BenchParams) -> tuple[list[dict[str, Any]],
                                                                        float, float]:
    """Buyer messages at `rate` for `duration_s`, cycling over every (order, question) pair."""
    async with httpx.AsyncClient(base_url=url, trust_env=False, timeout=30,
                                 limits=httpx.Limits(max_connections=64)) as http:
        orders = (await http.get("/sandbox/v1/orders", params={"shop_id": shop_id})).json()
        pairs = [(o["order_sn"], q) for q in QUESTIONS for o in orders["orders"]]
        total = int(params.rate * params.duration_s)
        loop = asyncio.get_running_loop()
        started = loop.time()
        wall_start = time.time()
        sent: list[dict[str, Any]] = []
        tasks = []

        async def one(i: int) -> None:
            order_sn, text = pairs[i % len(pairs)]
            resp = await http.post("/sandbox/v1/buyer_messages",
                                   json={"text": text, "order_sn": order_sn, "shop_id": shop_id})
            sent.append(resp.json())

        for i in range(total):
            await asyncio.sleep(max(0.0, started + i / params.rate - loop.time()))
            tasks.append(asyncio.create_task(one(i)))
        await asyncio.gather(*tasks)
        return sent, wall_start, time.time()


def _read_companion(db: Path) -> tuple[dict[str, tuple[str, float | None]], list[tuple]]:
    """Buyer messages (state, processed_at) and outbox rows of the companion's store."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        messages = {mid: (state, processed) for mid, state, processed in conn.execute(
            "SELECT message_id, state, processed_at FROM messages WHERE sender = 'buyer'")}
        outbox = conn.execute(
            "SELECT key, reply_to, state, sent_message_id, payload FROM outbox").fetchall()
    finally:
        conn.close()
    return messages, outbox


def _decisions(db: Path) -> dict[str, str]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return dict(conn.execute("SELECT message_id, action FROM decisions").fetchall())
    finally:
        conn.close()


def _pending(db: Path, ids: set[str]) -> int:
    try:
        messages, _ = _read_companion(db)
    except sqlite3.Error:
        return len(ids)
    return sum(1 for i in ids if messages.get(i, ("pending", None))[0] != "processed")


async def _sandbox_messages(url: str, conversation_ids: set[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    async with httpx.AsyncClient(base_url=url, trust_env=False, timeout=30) as http:
        for cid in conversation_ids:
            body = (await http.get(f"/sandbox/v1/conversations/{cid}/messages")).json()
            for m in body["messages"]:
                out[m["message_id"]] = m
    return out


async def run_bench(params: BenchParams, workdir: Path | None = None) -> dict[str, Any]:
    """Start both processes, drive the load, measure, stop both; returns the figures."""
    with tempfile.TemporaryDirectory(prefix="yiwaiwai-bench-") as tmp:
        work = Path(workdir or tmp)
        work.mkdir(parents=True, exist_ok=True)
        sandbox, url = start_sandbox(work)
        companion = None
        try:
            data_dir = work / "home"
            setup = prepare_data_dir(data_dir, url, BENCH_PIPELINE)
            companion = start_companion(data_dir, free_port())
            await asyncio.sleep(1.5)  # first poll: backfill of the seeded history
            rtt = await _api_rtt_ms(url, setup.shop_id, work)
            cpu_before = proc_stats(companion.pid)["cpu_s"]
            sent, t0, _inject_end = await _inject(url, setup.shop_id, params)
            ids = {s["message_id"] for s in sent}
            db = data_dir / "chat.sqlite3"
            deadline = time.time() + params.drain_s
            while _pending(db, ids) and time.time() < deadline:
                await asyncio.sleep(0.1)
            stats = proc_stats(companion.pid)
            return await _measure(url, db, sent, t0, rtt, stats, cpu_before)
        finally:
            if companion is not None:
                companion.stop()
            sandbox.stop()


async def _measure(url: str, db: Path, sent: list[dict[str, Any]], t0: float, rtt: float,
                   stats: dict[str, float], cpu_before: float) -> dict[str, Any]:
    messages, outbox = _read_companion(db)
    decisions = _decisions(db)
    by_id = {s["message_id"]: s for s in sent}
    processed = [messages[i][1] for i in by_id if messages.get(i, ("", None))[0] == "processed"]
    sandbox = await _sandbox_messages(url, {s["conversation_id"] for s in sent})
    latencies, overheads = [], []
    sent_keys = 0
    for _key, reply_to, state, sent_id, payload in outbox:
        if reply_to not in by_id or state != "sent":
            continue
        sent_keys += 1
        reply = sandbox.get(sent_id or "")
        buyer = sandbox.get(reply_to)
        if reply and buyer:
            latencies.append((int(reply["created_timestamp_nano"])
                              - int(buyer["created_timestamp_nano"])) / 1e6)
        p = json.loads(payload or "{}")
        if "queued_at" in p:
            overheads.append((p["queued_at"] - p["received_at"]) * 1000 - p.get("facts_ms", 0))
    api_replies = [m for m in sandbox.values() if m["direction"] == "shop"
                   and m.get("sent_via") in ("send_autoreply_message", "send_message")
                   and int(m["created_timestamp_nano"]) >= int(t0 * 1e9)]
    auto_decided = [i for i in by_id if decisions.get(i) == "auto_reply"]
    replied = {r for _k, r, s, *_ in outbox if s == "sent"}
    lost = (len(by_id) - len(processed)) + sum(1 for i in auto_decided if i not in replied)
    span = (max(processed) - t0) if processed else 0.0
    return {
        "injected": len(by_id), "processed": len(processed), "auto_replies": sent_keys,
        "suggested": sum(1 for i in by_id if decisions.get(i) == "suggest"),
        "p50_ms": round(_pct(latencies, 50), 1), "p95_ms": round(_pct(latencies, 95), 1),
        "p99_ms": round(_pct(latencies, 99), 1),
        "overhead_p50_ms": round(_pct(overheads, 50), 2),
        "overhead_p99_ms": round(_pct(overheads, 99), 2), "api_rtt_ms": round(rtt, 2),
        "msgs_per_s": round(len(processed) / span, 1) if span > 0 else 0.0,
        "lost": lost, "duplicated": max(0, len(api_replies) - sent_keys),
        "cpu_s": round(stats["cpu_s"] - cpu_before, 2),
        "peak_rss_mb": round(stats["peak_rss_mb"], 1),
    }


def table(result: dict[str, Any], params: BenchParams) -> str:
    rows = [
        ("load", f"{params.rate:.0f} msg/s for {params.duration_s:.0f} s "
                 f"({result['injected']} messages)"),
        ("processed", f"{result['processed']} ({result['msgs_per_s']} msg/s sustained)"),
        ("auto replies / suggestions", f"{result['auto_replies']} / {result['suggested']}"),
        ("latency p50 / p95 / p99", f"{result['p50_ms']} / {result['p95_ms']} / "
                                    f"{result['p99_ms']} ms (message -> reply, at the sandbox)"),
        ("internal overhead p50 / p99", f"{result['overhead_p50_ms']} / "
                                        f"{result['overhead_p99_ms']} ms"),
        ("sandbox API RTT (floor)", f"{result['api_rtt_ms']} ms"),
        ("lost / duplicated", f"{result['lost']} / {result['duplicated']}"),
        ("companion CPU", f"{result['cpu_s']} s"),
        ("companion peak RSS", f"{result['peak_rss_mb']} MB"),
    ]
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{k.ljust(width)}  {v}" for k, v in rows)
