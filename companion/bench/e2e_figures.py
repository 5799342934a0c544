"""The end-to-end benchmark's figures, from what the sandbox and the companion's store hold.

Pure functions over plain rows, so the arithmetic is testable without
processes. Definitions (issue 5 item 8):

- latency: reply stored at the sandbox minus the buyer message stored there
  (both the sandbox's clock);
- API time of a replied message: the wait until the companion's list call
  returned with it ("pickup": the poll cadence plus the list call), the
  get_message call of its conversation, the live-data calls, and the send
  call up to the moment the sandbox stored the reply; all measured by the
  companion around the calls (outbox payload `timing`);
- overhead = latency - API time: what the companion itself added (storing,
  queueing, deciding, group fsyncs, the event loop's other work);
- lost: neither a reply nor a recorded decision after the drain window;
  backlog: stored but still pending then (reported apart, may overlap lost);
- duplicated: shop replies at the sandbox beyond the outbox rows sent per
  conversation during the run.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

NS = 1_000_000_000


def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


@dataclass
class CompanionRows:
    """What the companion stored: buyer messages, decisions and outbox rows."""

    messages: dict[str, tuple[str, float | None]]  # message_id -> (state, processed_at)
    decisions: dict[str, str]  # message_id -> action
    outbox: list[tuple[str, str, str | None, str]]  # reply_to, state, sent_message_id, payload


@dataclass
class Split:
    """Per replied message: latency and how it divides into API time and overhead (ms)."""

    latency: list[float] = field(default_factory=list)
    pickup: list[float] = field(default_factory=list)
    api: list[float] = field(default_factory=list)
    overhead: list[float] = field(default_factory=list)


def split_latency(sent: dict[str, dict[str, Any]], rows: CompanionRows,
                  sandbox: dict[str, dict[str, Any]]) -> Split:
    out = Split()
    for reply_to, state, sent_id, payload in rows.outbox:
        buyer, reply = sandbox.get(reply_to), sandbox.get(sent_id or "")
        if reply_to not in sent or state != "sent" or buyer is None or reply is None:
            continue
        born = int(buyer["created_timestamp_nano"]) / NS
        answered = int(reply["created_timestamp_nano"]) / NS
        t = json.loads(payload or "{}")
        if "listed_at" not in t or "call_at" not in t:
            continue  # not a polled auto reply (recovered after a restart, or a manual send)
        pickup = max(0.0, t["listed_at"] - born) * 1000
        send = max(0.0, answered - t["call_at"]) * 1000
        api = pickup + t.get("fetch_ms", 0.0) + t.get("facts_ms", 0.0) + send
        latency = (answered - born) * 1000
        out.latency.append(latency)
        out.pickup.append(pickup)
        out.api.append(api)
        out.overhead.append(latency - api)
    return out


def figures(sent: dict[str, dict[str, Any]], rows: CompanionRows,
            sandbox: dict[str, dict[str, Any]], t0: float) -> dict[str, Any]:
    """Every count and percentile of the report except CPU, memory and the RTT floor."""
    replied = {r for r, state, *_ in rows.outbox if state == "sent" and r in sent}
    decided = {m for m in sent if m in rows.decisions}
    processed = [rows.messages[m][1] for m in sent
                 if rows.messages.get(m, ("", None))[0] == "processed"]
    processed_at = [p for p in processed if p is not None]
    backlog = sum(1 for m in sent if rows.messages.get(m, ("", None))[0] == "pending")
    actions = Counter(rows.decisions[m] for m in decided)
    auto_unsent = sum(1 for m in sent if rows.decisions.get(m) == "auto_reply"
                      and m not in replied)
    decision_ms = [(p - int(sent[m]["created_timestamp_nano"]) / NS) * 1000
                   for m in sent if (p := rows.messages.get(m, ("", None))[1]) is not None]
    split = split_latency(sent, rows, sandbox)
    span = (max(processed_at) - t0) if processed_at else 0.0
    return {
        "injected": len(sent), "stored": sum(1 for m in sent if m in rows.messages),
        "processed": len(processed), "backlog": backlog,
        "lost": sum(1 for m in sent if m not in replied and m not in decided),
        "duplicated": _duplicates(sent, rows, sandbox, t0),
        "auto_replies": len(replied), "auto_unsent": auto_unsent,
        "suggested": actions.get("suggest", 0), "escalated": actions.get("escalate", 0),
        "msgs_per_s": round(len(processed) / span, 1) if span > 0 else 0.0,
        "p50_ms": round(pct(split.latency, 50), 1), "p95_ms": round(pct(split.latency, 95), 1),
        "p99_ms": round(pct(split.latency, 99), 1),
        "decision_p50_ms": round(pct(decision_ms, 50), 1),
        "decision_p99_ms": round(pct(decision_ms, 99), 1),
        "pickup_p50_ms": round(pct(split.pickup, 50), 1),
        "pickup_p99_ms": round(pct(split.pickup, 99), 1),
        "api_p50_ms": round(pct(split.api, 50), 1),
        "overhead_p50_ms": round(pct(split.overhead, 50), 2),
        "overhead_p95_ms": round(pct(split.overhead, 95), 2),
        "overhead_p99_ms": round(pct(split.overhead, 99), 2),
    }


def _duplicates(sent: dict[str, dict[str, Any]], rows: CompanionRows,
                sandbox: dict[str, dict[str, Any]], t0: float) -> int:
    """Replies the sandbox got beyond the outbox rows sent, per conversation."""
    at_sandbox: Counter[str] = Counter(
        m["conversation_id"] for m in sandbox.values()
        if m["direction"] == "shop" and m.get("sent_via") in ("send_autoreply_message",
                                                              "send_message")
        and int(m["created_timestamp_nano"]) >= int(t0 * NS))
    conversation_of = {m: s["conversation_id"] for m, s in sent.items()}
    in_outbox: Counter[str] = Counter(conversation_of[r] for r, state, *_ in rows.outbox
                                      if state == "sent" and r in conversation_of)
    return sum(max(0, n - in_outbox[c]) for c, n in at_sandbox.items())
