"""End-to-end benchmark: sandbox and companion as real processes, buyer messages at a set rate.

The load spreads over many conversations: the sandbox makes `buyers` new
buyers, each with one shipped order, and message i goes to buyer i mod B
asking about that order, cycling over the factual intents the bench rules
answer automatically (order status, tracking number, shipping fee) and over
several phrasings. Shopee refuses the same text to the same buyer within
24 h, so a buyer only repeats a question (and gets a suggestion instead of
a reply) once the load outlasts B x 3 messages; B defaults to enough buyers
for that not to happen. Injection uses aiohttp (the bench shares the two
cores with what it measures, so its own client must be cheap).

Figures and their definitions: `companion.bench.e2e_figures`.
"""

from __future__ import annotations

import asyncio
import math
import sqlite3
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from companion.bench.e2e_figures import CompanionRows, figures
from companion.bench.live import (
    free_port,
    prepare_data_dir,
    proc_stats,
    start_companion,
    start_sandbox,
)

PHRASES = (
    ("Hi, what is the status of my order?", "has my order been shipped yet?",
     "can you check my order status please", "any update on my order?", "order status pls"),
    ("what is the tracking number for my order?", "can i get the tracking number?",
     "pls send me the tracking no", "tracking number please",
     "where can I find the tracking code?"),
    ("how much is the shipping fee?", "shipping fee for my order?",
     "what did I pay for shipping?", "why is the shipping cost so high?"),
)
MIN_BUYERS = 1000
BENCH_PIPELINE = {
    # Poll back to back while buyers write (the wait is then one list call, i.e. API time).
    "poll_fast_s": 0.005, "poll_slow_s": 0.5, "poll_active_for_s": 60,
    "sends_per_minute": 1_000_000, "replies_per_conversation": 100_000,
    "same_question_limit": 100_000, "not_understood_limit": 100_000, "max_concurrency": 64,
}


@dataclass(frozen=True, slots=True)
class BenchParams:
    rate: float = 200.0
    duration_s: float = 20.0
    drain_s: float = 30.0
    buyers: int = 0  # 0: enough that no buyer asks the same question twice
    profile_dir: Path | None = None

    @property
    def total(self) -> int:
        return int(self.rate * self.duration_s)

    def buyer_count(self) -> int:
        return self.buyers or max(MIN_BUYERS, math.ceil(self.total / len(PHRASES)))


def message_plan(i: int, buyers: int) -> tuple[int, str]:
    """Which buyer sends message i, and the text: a new intent each round, phrasings rotating."""
    buyer, round_ = i % buyers, i // buyers
    intent = PHRASES[(round_ + buyer) % len(PHRASES)]
    return buyer, intent[(i // 7 + round_) % len(intent)]


async def _api_rtt_ms(url: str, shop_id: str, workdir: Path) -> float:
    """Median time of one signed shop-level call to the sandbox (the floor)."""
    from companion.shopee import ShopeeClient, TokenStore
    from companion.shopee.models import TokenGrant
    from companion.shopee.tokens import ShopTokens

    async with aiohttp.ClientSession(url) as http:
        creds = await (await http.get("/sandbox/v1/credentials")).json()
        pair = await (await http.post("/sandbox/v1/tokens", json={"shop_id": shop_id})).json()
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


async def _settle(pid: int, quiet_cpu_s: float = 0.05, limit_s: float = 30.0) -> None:
    """Wait until the companion is idle: its start-up work (history backfill, the follow-up
    watcher reading every order once) would otherwise be measured as overhead."""
    deadline = time.monotonic() + limit_s
    await asyncio.sleep(1.5)
    last = proc_stats(pid)["cpu_s"]
    while time.monotonic() < deadline:
        await asyncio.sleep(1.0)
        now = proc_stats(pid)["cpu_s"]
        if now - last < quiet_cpu_s:
            return
        last = now


async def _make_buyers(url: str, shop_id: str, count: int) -> list[dict[str, Any]]:
    async with aiohttp.ClientSession(url) as http:
        made: list[dict[str, Any]] = []
        while len(made) < count:
            batch = min(5000, count - len(made))
            async with http.post("/sandbox/v1/buyers",
                                 json={"shop_id": shop_id, "count": batch}) as resp:
                resp.raise_for_status()
                made += (await resp.json())["buyers"]
        return made


async def _inject(url: str, shop_id: str, buyers: list[dict[str, Any]],
                  params: BenchParams) -> tuple[dict[str, dict[str, Any]], float]:
    """`rate` messages a second for `duration_s`; returns them by message id and the start."""
    sent: dict[str, dict[str, Any]] = {}
    connector = aiohttp.TCPConnector(limit=32)
    async with aiohttp.ClientSession(url, connector=connector) as http:
        loop = asyncio.get_running_loop()
        started, wall_start = loop.time(), time.time()
        tasks = []

        async def one(i: int) -> None:
            b, text = message_plan(i, len(buyers))
            body = {"text": text, "order_sn": buyers[b]["order_sn"], "shop_id": shop_id,
                    "buyer_id": buyers[b]["buyer_id"]}
            async with http.post("/sandbox/v1/buyer_messages", json=body) as resp:
                reply = await resp.json()
            sent[reply["message_id"]] = reply

        for i in range(params.total):
            await asyncio.sleep(max(0.0, started + i / params.rate - loop.time()))
            tasks.append(asyncio.create_task(one(i)))
        await asyncio.gather(*tasks)
    return sent, wall_start


def _read_companion(db: Path) -> CompanionRows:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        messages = {mid: (state, processed) for mid, state, processed in conn.execute(
            "SELECT message_id, state, processed_at FROM messages WHERE sender = 'buyer'")}
        decisions = dict(conn.execute("SELECT message_id, action FROM decisions").fetchall())
        outbox = conn.execute(
            "SELECT reply_to, state, sent_message_id, payload FROM outbox").fetchall()
    finally:
        conn.close()
    return CompanionRows(messages, decisions, outbox)


def _open(db: Path, ids: set[str]) -> int:
    """Injected messages with neither a decision nor a reply yet."""
    try:
        rows = _read_companion(db)
    except sqlite3.Error:
        return len(ids)
    done = set(rows.decisions) | {r for r, state, *_ in rows.outbox if state == "sent"}
    return len(ids - done)


async def _sandbox_messages(url: str, conversation_ids: set[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    gate = asyncio.Semaphore(16)
    async with aiohttp.ClientSession(url) as http:
        async def one(cid: str) -> None:
            async with gate, http.get(f"/sandbox/v1/conversations/{cid}/messages") as resp:
                body = await resp.json()
            out.update((m["message_id"], m) for m in body["messages"])

        await asyncio.gather(*(one(c) for c in conversation_ids))
    return out


async def run_bench(params: BenchParams, workdir: Path | None = None) -> dict[str, Any]:
    """Start both processes, drive the load, measure, stop both; returns the figures."""
    with tempfile.TemporaryDirectory(prefix="yiwaiwai-bench-") as tmp:
        work = Path(workdir or tmp)
        work.mkdir(parents=True, exist_ok=True)
        prof = params.profile_dir
        if prof is not None:
            prof.mkdir(parents=True, exist_ok=True)
        sandbox, url = start_sandbox(work, profile=prof / "sandbox.prof" if prof else None)
        companion = None
        try:
            data_dir = work / "home"
            setup = prepare_data_dir(data_dir, url, BENCH_PIPELINE)
            buyers = await _make_buyers(url, setup.shop_id, params.buyer_count())
            companion = start_companion(data_dir, free_port(),
                                        profile=prof / "run.prof" if prof else None)
            await _settle(companion.pid)  # start-up work (backfill, order watch) before load
            rtt = await _api_rtt_ms(url, setup.shop_id, work)
            cpu0 = proc_stats(companion.pid)["cpu_s"], proc_stats(sandbox.popen.pid)["cpu_s"]
            sent, t0 = await _inject(url, setup.shop_id, buyers, params)
            inject_s = time.time() - t0
            db = data_dir / "chat.sqlite3"
            deadline = time.time() + params.drain_s
            while _open(db, set(sent)) and time.time() < deadline:
                await asyncio.sleep(0.2)
            own, shop = proc_stats(companion.pid), proc_stats(sandbox.popen.pid)
            at_sandbox = await _sandbox_messages(url, {s["conversation_id"]
                                                       for s in sent.values()})
            result = figures(sent, _read_companion(db), at_sandbox, t0)
            return {**result, "buyers": len(buyers), "inject_s": round(inject_s, 2),
                    "api_rtt_ms": round(rtt, 2),
                    "cpu_s": round(own["cpu_s"] - cpu0[0], 2),
                    "peak_rss_mb": round(own["peak_rss_mb"], 1),
                    "sandbox_cpu_s": round(shop["cpu_s"] - cpu0[1], 2),
                    "sandbox_peak_rss_mb": round(shop["peak_rss_mb"], 1)}
        finally:
            if companion is not None:
                companion.stop()
            sandbox.stop()


def table(result: dict[str, Any], params: BenchParams) -> str:
    r = result
    rows = [
        ("load", f"{params.rate:.0f} msg/s for {params.duration_s:.0f} s ({r['injected']}"
                 f" messages over {r['buyers']} buyers, injected in {r['inject_s']} s)"),
        ("processed", f"{r['processed']} ({r['msgs_per_s']} msg/s sustained),"
                      f" backlog after drain {r['backlog']}"),
        ("auto replies / suggestions / escalations",
         f"{r['auto_replies']} / {r['suggested']} / {r['escalated']}"
         f" (auto decided but unsent: {r['auto_unsent']})"),
        ("latency p50 / p95 / p99", f"{r['p50_ms']} / {r['p95_ms']} / {r['p99_ms']} ms"
                                    " (message -> reply, at the sandbox)"),
        ("decision latency p50 / p99", f"{r['decision_p50_ms']} / {r['decision_p99_ms']} ms"
                                       " (every message: injected -> processed)"),
        ("pickup p50 / p99", f"{r['pickup_p50_ms']} / {r['pickup_p99_ms']} ms"
                             " (until the list call returned it)"),
        ("API time p50", f"{r['api_p50_ms']} ms (pickup + fetch + live data + send)"),
        ("internal overhead p50 / p95 / p99",
         f"{r['overhead_p50_ms']} / {r['overhead_p95_ms']} / {r['overhead_p99_ms']} ms"
         " (latency - API time)"),
        ("sandbox API RTT (floor)", f"{r['api_rtt_ms']} ms"),
        ("lost / duplicated", f"{r['lost']} / {r['duplicated']}"),
        ("companion CPU / peak RSS", f"{r['cpu_s']} s / {r['peak_rss_mb']} MB"),
        ("sandbox CPU / peak RSS", f"{r['sandbox_cpu_s']} s / {r['sandbox_peak_rss_mb']} MB"),
    ]
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{k.ljust(width)}  {v}" for k, v in rows)
