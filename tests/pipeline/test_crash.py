"""kill -9 while a reply is on the wire, then restart: every message is processed, none twice.

Real processes: the sandbox shop and the companion (configured as a live shop
pointed at the sandbox). The sandbox stalls the first auto-reply so the
companion is killed with the outbox row in `sending`.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from companion.bench.live import Proc, free_port, prepare_data_dir, start_companion, start_sandbox

FAST = {"poll_fast_s": 0.05, "poll_slow_s": 0.2, "poll_active_for_s": 30}


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[str]:
    proc, url = start_sandbox(tmp_path)
    try:
        yield url
    finally:
        proc.stop()


def _wait(check, timeout: float = 15.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("condition not reached in time")


def _outbox_states(db: Path) -> dict[str, str]:
    if not db.exists():
        return {}
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return dict(conn.execute("SELECT key, state FROM outbox").fetchall())
    except sqlite3.OperationalError:
        return {}
    finally:
        conn.close()


def test_kill_mid_send_then_restart_duplicates_nothing_and_loses_nothing(
    tmp_path: Path, sandbox: str
) -> None:
    data_dir = tmp_path / "home"
    setup = prepare_data_dir(data_dir, sandbox, FAST)
    http = httpx.Client(base_url=sandbox, trust_env=False, timeout=30)
    orders = http.get("/sandbox/v1/orders", params={"status": "READY_TO_SHIP",
                                                    "shop_id": setup.shop_id}).json()["orders"]
    port = free_port()
    companion: Proc = start_companion(data_dir, port)
    try:
        http.post("/sandbox/v1/faults", json={"path": "sellerchat/send_autoreply_message",
                                              "kind": "timeout", "count": 1, "seconds": 8})
        first = http.post("/sandbox/v1/buyer_messages", json={
            "text": "Hi, when will my order arrive?", "order_sn": orders[0]["order_sn"],
            "shop_id": setup.shop_id}).json()
        db = data_dir / "chat.sqlite3"
        _wait(lambda: "sending" in _outbox_states(db).values())
        second = http.post("/sandbox/v1/buyer_messages", json={
            "text": "Hi, when will my order arrive?", "order_sn": orders[1]["order_sn"],
            "shop_id": setup.shop_id}).json()
        time.sleep(0.3)
        companion.kill9()
        companion = start_companion(data_dir, port)

        def replies(injected: dict) -> list[dict]:  # type: ignore[type-arg]
            msgs = http.get(f"/sandbox/v1/conversations/{injected['conversation_id']}/messages"
                            ).json()["messages"]
            after = int(injected["created_timestamp_nano"])
            return [m for m in msgs if m["direction"] == "shop"
                    and int(m["created_timestamp_nano"]) > after]

        got_first = _wait(lambda: replies(first), timeout=25)
        got_second = _wait(lambda: replies(second), timeout=25)
        time.sleep(1.0)  # give a would-be duplicate time to show up
        texts = [m["content"]["text"] for m in replies(first) + replies(second)]
        assert orders[0]["order_sn"] in got_first[0]["content"]["text"]
        assert orders[1]["order_sn"] in got_second[0]["content"]["text"]
        assert len(texts) == len(set(texts)), texts
        assert sum(orders[0]["order_sn"] in t for t in texts) == 1
        assert sum(orders[1]["order_sn"] in t for t in texts) == 1
    finally:
        companion.stop()
        http.close()
