"""Chat Response Rate and response time computed from the sandbox's own chat log (doc section 12).

A chat starts with a buyer message (or one sent more than 12 h after the
thread's previous message) and counts as answered when a manual shop message
follows within 12 h. Auto-replies do not count. Chats still inside their 12 h
window are left out until they resolve. New shops (< 2 chats) show 57%.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from companion.sandbox.state import Conversation, SandboxState

NS = 1_000_000_000
REPLY_WINDOW_NS = 12 * 3600 * NS
DAY_NS = 86400 * NS
NEW_SHOP_CRR = 57.0


@dataclass(slots=True)
class Chat:
    start_ns: int
    reply_ns: int | None = None


def chats_of(conv: Conversation) -> list[Chat]:
    chats: list[Chat] = []
    current: Chat | None = None
    previous_ns: int | None = None
    for message in conv.messages:
        if message.from_buyer:
            gap = previous_ns is not None and message.created_ns - previous_ns > REPLY_WINDOW_NS
            if current is None or gap:
                current = Chat(message.created_ns)
                chats.append(current)
        elif message.status == "normal" and current is not None and current.reply_ns is None:
            current.reply_ns = message.created_ns
        previous_ns = message.created_ns
    return chats


@dataclass(frozen=True, slots=True)
class ChatStats:
    """CRR in percent, average first-response seconds, and chats left unanswered."""

    rate: float
    avg_response_s: float
    non_responded: int


def chat_stats(state: SandboxState, shop_id: int, from_days: int, to_days: int) -> ChatStats:
    now_ns = state.now() * NS
    answered, missed, delays = 0, 0, []
    for conv in state.conversations.values():
        if conv.shop_id != shop_id:
            continue
        for chat in chats_of(conv):
            age = now_ns - chat.start_ns
            if not from_days * DAY_NS <= age < to_days * DAY_NS:
                continue
            if chat.reply_ns is not None and chat.reply_ns - chat.start_ns <= REPLY_WINDOW_NS:
                answered += 1
                delays.append((chat.reply_ns - chat.start_ns) / NS)
            elif chat.reply_ns is not None or age > REPLY_WINDOW_NS:
                missed += 1
    total = answered + missed
    rate = round(100 * answered / total, 2) if total >= 2 else NEW_SHOP_CRR
    avg = round(sum(delays) / len(delays), 1) if delays else 0.0
    return ChatStats(rate, avg, missed)


def metric(metric_id: int, name: str, current: float, last: float, unit: int, target: float,
           comparator: str) -> dict[str, Any]:
    return {"metric_type": 3, "metric_id": metric_id, "parent_metric_id": 0, "metric_name": name,
            "current_period": current, "last_period": last, "unit": unit,
            "target": {"value": target, "comparator": comparator}}


def shop_performance(state: SandboxState, shop_id: int) -> dict[str, Any]:
    """get_shop_performance: 11 CRR %, 21 response time (days), 23 non-responded, 29 avg s."""
    now, before = chat_stats(state, shop_id, 0, 90), chat_stats(state, shop_id, 30, 120)
    return {
        "overall_performance": {"rating": 3 if now.rate >= 70 else 2, "fulfillment_failed": 0,
                                "listing_failed": 0, "custom_service_failed": int(now.rate < 70)},
        "metric_list": [
            metric(11, "response_rate", now.rate, before.rate, 2, 70, ">="),
            metric(21, "response_time", round(now.avg_response_s / 86400, 3),
                   round(before.avg_response_s / 86400, 3), 4, 1, "<"),
            metric(23, "non_responded_chats", now.non_responded, before.non_responded, 1, 0, "<="),
            metric(29, "average_response_time", now.avg_response_s, before.avg_response_s, 3,
                   43200, "<"),
        ],
    }
