"""The end-to-end benchmark's arithmetic: lost vs backlog, duplicates, overhead = latency - API."""

from __future__ import annotations

import json

from companion.bench.e2e_figures import CompanionRows, figures
from companion.bench.pipeline_bench import PHRASES, message_plan

NS = 1_000_000_000
T0 = 1_000.0


def _buyer_msg(mid: str, conv: str, at: float) -> dict[str, object]:
    return {"message_id": mid, "conversation_id": conv, "direction": "buyer",
            "created_timestamp_nano": str(int(at * NS))}


def _reply(mid: str, conv: str, at: float) -> dict[str, object]:
    return {"message_id": mid, "conversation_id": conv, "direction": "shop",
            "sent_via": "send_autoreply_message", "created_timestamp_nano": str(int(at * NS))}


def test_lost_counts_only_messages_without_decision_or_reply_and_backlog_apart() -> None:
    sent = {m: _buyer_msg(m, f"c{m}", T0 + 0.1) for m in ("a", "b", "c", "d")}
    timing = {"listed_at": T0 + 0.105, "fetch_ms": 2.0, "facts_ms": 3.0, "call_at": T0 + 0.125}
    rows = CompanionRows(
        messages={"a": ("processed", T0 + 0.13), "b": ("processed", T0 + 0.2),
                  "c": ("pending", None)},
        decisions={"a": "auto_reply", "b": "suggest"},
        outbox=[("a", "sent", "r1", json.dumps(timing))],
    )
    sandbox = {**sent, "r1": _reply("r1", "ca", T0 + 0.127),
               "r2": _reply("r2", "ca", T0 + 0.128)}  # one reply too many in conversation ca
    result = figures(sent, rows, sandbox, T0)
    assert result["lost"] == 2  # c (still pending) and d (never stored)
    assert result["backlog"] == 1 and result["stored"] == 3
    assert result["duplicated"] == 1
    # latency 27 ms = pickup 5 + fetch 2 + facts 3 + send 2 -> overhead 15 ms
    assert result["p50_ms"] == 27.0
    assert abs(result["overhead_p50_ms"] - 15.0) < 0.01
    assert result["pickup_p50_ms"] == 5.0


def test_a_buyer_asks_a_different_question_each_round() -> None:
    buyers = 10
    asked: dict[int, list[str]] = {}
    for i in range(buyers * len(PHRASES)):
        buyer, text = message_plan(i, buyers)
        asked.setdefault(buyer, []).append(text)
    for texts in asked.values():
        intents = {next(n for n, group in enumerate(PHRASES) if t in group) for t in texts}
        assert len(intents) == len(PHRASES)
