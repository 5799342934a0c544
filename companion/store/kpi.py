"""KPIs as Shopee counts them: chats, chat response rate (CRR), first response time, at-risk chats.

Pure functions over rows (no I/O), so hand-worked fixtures test them exactly.
Source: shopee-open-platform.md section 12 (reposts of Shopee announcements;
TW CRR FAQ 2022-03, PH 2021, TH 2024 notice). Market rules vary; treat
`get_shop_performance` (metric 11) as the ground truth when it is available.

How we count (each choice is Shopee's where a source says so, ours otherwise):
- A *chat* starts with a buyer message when the conversation has no open chat
  or the buyer writes more than 12 h after the conversation's last counted
  message. Counted messages are the buyer's and the shop's *manual* ones:
  auto-replies and system notices are invisible to CRR (source: auto-replies
  are excluded), so they neither answer a chat nor keep one open (ours).
- A chat is *responded* when its first manual shop reply comes within 12 h of
  the chat's first buyer message. Later back-and-forth does not matter.
- A chat still inside its 12 h with no reply yet is *open*: not yet counted
  either way (ours; Shopee cannot know its outcome yet either).
- Window: chats started in the last 90 days. CRR = 0.5 x rate over all of
  them + 0.5 x rate over the latest 25 % of them (TH 2024 notice), the latest
  25 % being the ceil(n / 4) most recently started chats (ours: rounding up
  so a small shop's newest chat always weighs in).
- Fewer than 2 counted chats: Shopee shows a preset 57 % for new shops;
  `preset` says so and `crr` is that preset.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from companion.store.models import Escalation, KpiMessage

HOUR = 3600.0
DAY = 86400.0
CHAT_GAP_S = 12 * HOUR
DEADLINE_S = 12 * HOUR
WINDOW_S = 90 * DAY
LATEST_SHARE = 0.25
NEW_SHOP_PRESET = 0.57
COUNTED_SENDERS = frozenset({"buyer", "shop_manual"})


@dataclass(frozen=True, slots=True)
class Chat:
    """One chat as Shopee counts it; `first_reply_at` is the first manual reply, if any."""

    conversation_id: str
    started_at: float
    first_reply_at: float | None
    auto_replied: bool = False

    @property
    def deadline(self) -> float:
        return self.started_at + DEADLINE_S

    @property
    def response_time(self) -> float | None:
        return None if self.first_reply_at is None else self.first_reply_at - self.started_at

    def responded(self) -> bool:
        """Answered by a person within 12 h."""
        return self.first_reply_at is not None and self.first_reply_at <= self.deadline

    def is_open(self, now: float) -> bool:
        """No manual reply yet, but the deadline has not passed: outcome still undecided."""
        return self.first_reply_at is None and now <= self.deadline


def split_chats(messages: Iterable[KpiMessage]) -> list[Chat]:
    """Cut each conversation's messages into chats (rules in the module docstring)."""
    return split_sorted_chats(sorted(messages, key=lambda m: (m.conversation_id, m.created_at)))


def split_sorted_chats(messages: Iterable[KpiMessage]) -> list[Chat]:
    """`split_chats` for input already grouped by conversation in time order (streams)."""
    chats: list[Chat] = []
    conv = ""
    last_at: float | None = None
    start: float | None = None
    reply: float | None = None
    auto = False
    for m in messages:
        if m.conversation_id != conv:
            if start is not None:
                chats.append(Chat(conv, start, reply, auto))
            conv, last_at, start, reply, auto = m.conversation_id, None, None, None, False
        if m.sender == "shop_auto" and start is not None:
            auto = True
        if m.sender not in COUNTED_SENDERS:
            continue
        if m.sender == "buyer":
            if start is None or last_at is None or m.created_at - last_at > CHAT_GAP_S:
                if start is not None:
                    chats.append(Chat(conv, start, reply, auto))
                start, reply, auto = m.created_at, None, False
        elif start is not None and reply is None:
            reply = m.created_at
        last_at = m.created_at
    if start is not None:
        chats.append(Chat(conv, start, reply, auto))
    return chats


def in_window(chats: Iterable[Chat], now: float, window_s: float = WINDOW_S) -> list[Chat]:
    """Chats started in (now - window, now], oldest first."""
    return sorted((c for c in chats if now - window_s < c.started_at <= now),
                  key=lambda c: c.started_at)


@dataclass(frozen=True, slots=True)
class ResponseRate:
    """CRR and its two parts; rates are fractions 0..1, None when there is nothing to count."""

    chats: int
    responded: int
    open_chats: int
    rate_window: float | None
    latest_chats: int
    latest_responded: int
    rate_latest: float | None
    crr: float | None
    preset: bool


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def chat_response_rate(chats: Iterable[Chat], now: float,
                       window_s: float = WINDOW_S) -> ResponseRate:
    """CRR = 0.5 x window rate + 0.5 x rate over the latest 25 % of counted chats."""
    windowed = in_window(chats, now, window_s)
    counted = [c for c in windowed if not c.is_open(now)]
    responded = sum(c.responded() for c in counted)
    n_latest = math.ceil(len(counted) * LATEST_SHARE)
    latest = counted[len(counted) - n_latest:] if n_latest else []
    latest_responded = sum(c.responded() for c in latest)
    rate_window = _rate(responded, len(counted))
    rate_latest = _rate(latest_responded, len(latest))
    preset = len(counted) < 2
    if preset:
        crr: float | None = NEW_SHOP_PRESET
    else:
        assert rate_window is not None and rate_latest is not None
        crr = 0.5 * rate_window + 0.5 * rate_latest
    return ResponseRate(len(counted), responded, len(windowed) - len(counted), rate_window,
                        len(latest), latest_responded, rate_latest, crr, preset)


@dataclass(frozen=True, slots=True)
class ResponseTimes:
    """First manual response time over the chats that got one (late ones included), seconds."""

    replied: int
    median_s: float | None
    mean_s: float | None


def first_response_times(chats: Iterable[Chat], now: float,
                         window_s: float = WINDOW_S) -> ResponseTimes:
    times = [c.response_time for c in in_window(chats, now, window_s)
             if c.response_time is not None]
    if not times:
        return ResponseTimes(0, None, None)
    return ResponseTimes(len(times), statistics.median(times), statistics.fmean(times))


@dataclass(frozen=True, slots=True)
class AtRisk:
    """A chat with no manual reply yet whose 12 h deadline is still ahead."""

    conversation_id: str
    started_at: float
    deadline: float
    seconds_left: float
    auto_replied: bool


def at_risk(chats: Iterable[Chat], now: float, horizon_s: float = DEADLINE_S) -> list[AtRisk]:
    """Open chats due within `horizon_s`, most urgent first (an auto-reply does not save them)."""
    found = [AtRisk(c.conversation_id, c.started_at, c.deadline, c.deadline - now, c.auto_replied)
             for c in chats if c.is_open(now) and c.deadline - now <= horizon_s]
    return sorted(found, key=lambda r: r.seconds_left)


@dataclass(frozen=True, slots=True)
class Automation:
    """How much the bot did: decisions by action, and auto-replies' share of shop replies."""

    decided: int
    by_action: dict[str, int]
    rate: float | None
    auto_replies: int
    manual_replies: int
    auto_share_of_replies: float | None


def automation(decision_actions: Iterable[str], senders: Mapping[str, int]) -> Automation:
    """`rate` = buyer messages answered automatically / buyer messages decided.

    `senders` counts the window's messages by sender (e.g. a `Counter`).
    """
    by_action = Counter(decision_actions)
    decided = sum(by_action.values())
    auto, manual = senders.get("shop_auto", 0), senders.get("shop_manual", 0)
    return Automation(decided, dict(by_action), _rate(by_action["auto_reply"], decided), auto,
                      manual, _rate(auto, auto + manual))


def escalations_by_reason(escalations: Iterable[Escalation]) -> dict[str, int]:
    return dict(Counter(e.reason for e in escalations).most_common())


@dataclass(frozen=True, slots=True)
class DayCount:
    day: str
    pillar: str
    intent: str
    count: int


def by_day(rows: Iterable[tuple[float, str | None, str | None]],
           utc_offset_s: float = 0.0) -> list[DayCount]:
    """Count (at, pillar, intent) rows per day, pillar and intent; days in the shop's zone."""
    tz_shift = timedelta(seconds=utc_offset_s)
    counts: Counter[tuple[str, str, str]] = Counter()
    for at, pillar, intent in rows:
        day = (datetime.fromtimestamp(at, UTC) + tz_shift).date().isoformat()
        counts[(day, pillar or "unknown", intent or "unknown")] += 1
    return [DayCount(d, p, i, n) for (d, p, i), n in sorted(counts.items())]
