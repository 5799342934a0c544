"""Read-only questions the dashboard asks of the chat store.

Messages by pillar / intent over time, per-product question mining (which
intents and aspects the questions on an item fall on, and how buyers phrase
them), the messages no rule really answered grouped for a new rule (no rule, a
catch-all such as the default `other` acknowledgement, or a fallback because the
reply could not be built), and CSV rows for export (times as ISO 8601 UTC plus
the Unix seconds). Every function takes a read-only `sqlite3.Connection` (the store's
`reader()`), so long queries never hold the writer lock and nothing here writes.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from companion.insight_topics import aspects_of, fold, phrasing_key
from companion.nlu.taxonomy import INTENTS, PILLARS, pillar_of
from companion.rules.models import Rule

MAX_TEXT = 4096
ASPECT_HIGHLIGHT_SHARE = 0.15
ASPECT_HIGHLIGHT_MIN = 3
NOT_UNDERSTOOD = "not_understood"
_STOPWORDS = frozenset(
    {
        "the", "an", "is", "are", "do", "does", "can", "you", "your", "my", "me", "to", "of",
        "for", "and", "or", "in", "on", "it", "this", "that", "what", "how", "when", "where",
        "which", "with", "have", "has", "be", "will", "please", "pls", "ya", "yg", "ada", "ini",
        "itu", "saya", "kak", "ka", "boleh", "tak", "nak", "ke", "lah", "bisa", "apa",
    }
)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0e7f]+")


@dataclass(frozen=True, slots=True)
class Window:
    """Which shop (None = all) and which time span, in Unix seconds."""

    shop_id: str | None
    since: float
    until: float


_BUYER_ROWS = """
SELECT m.shop_id, m.conversation_id, m.message_id, m.text, m.created_at, m.item_id,
       d.intent, d.pillar, d.entities, d.rule_id, d.action, d.understood, d.language,
       d.confidence, d.reply_text, d.reasons,
       (SELECT c.new_intent FROM corrections c
        WHERE c.shop_id = m.shop_id AND c.message_id = m.message_id
        ORDER BY c.id DESC LIMIT 1) AS corrected
FROM messages m
LEFT JOIN decisions d ON d.shop_id = m.shop_id AND d.message_id = m.message_id
WHERE m.sender = 'buyer' AND m.created_at >= ? AND m.created_at < ?
  AND (? IS NULL OR m.shop_id = ?)
"""


def _buyer_rows(
    conn: sqlite3.Connection, window: Window, extra: str = "", page: tuple[int, int] | None = None
) -> list[dict[str, Any]]:
    """Buyer messages with their decision, newest first; a seller's correction wins.
    `page` is (offset, limit) when only one page of rows is wanted."""
    conn.row_factory = sqlite3.Row
    sql = _BUYER_ROWS + extra + " ORDER BY m.created_at DESC, m.seq DESC"
    params: tuple[Any, ...] = (window.since, window.until, window.shop_id, window.shop_id)
    if page is not None:
        sql += " LIMIT ? OFFSET ?"
        params += (page[1], page[0])
    rows = []
    for found in conn.execute(sql, params).fetchall():
        row = dict(found)
        if row["corrected"]:
            row["intent"], row["pillar"] = row["corrected"], pillar_of(row["corrected"])
            row["understood"] = 1
        rows.append(row)
    return rows


def _item_of(row: dict[str, Any]) -> str | None:
    """The item a question is about: the message's item card, else the entity NLU found."""
    if row["item_id"]:
        return str(row["item_id"])
    try:
        entities = json.loads(row["entities"] or "{}")
    except ValueError:
        return None
    value = entities.get("item_id") if isinstance(entities, dict) else None
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value) if value not in (None, "") else None


def timeseries(
    conn: sqlite3.Connection,
    window: Window,
    bucket_seconds: int,
    tz_offset_s: int,
    by: str,
    classify: Callable[[str], str] | None = None,
) -> dict[str, Any]:
    """Buyer messages per bucket, split by `pillar` or `intent`.

    Messages never decided (history from before the companion ran, or still queued) are
    `pending`, unless `classify` (text -> intent, read-only: no decision is stored, nothing
    is sent) sorts them for the chart; `estimated` counts those."""
    first = int((window.since + tz_offset_s) // bucket_seconds)
    last = int((window.until - 1 + tz_offset_s) // bucket_seconds)
    count = max(0, last - first + 1)
    series: dict[str, list[int]] = {}
    estimated = 0
    for row in _buyer_rows(conn, window):
        index = int((row["created_at"] + tz_offset_s) // bucket_seconds) - first
        if not 0 <= index < count:
            continue
        key = row[by]
        if key is None and classify is not None and row["text"]:
            intent = classify(row["text"][:MAX_TEXT])
            key = intent if by == "intent" else pillar_of(intent)
            estimated += 1
        series.setdefault(key or "pending", [0] * count)[index] += 1
    order = list(PILLARS if by == "pillar" else INTENTS)
    keys = sorted(series, key=lambda k: (order.index(k) if k in order else len(order), k))
    return {
        "by": by,
        "bucket_seconds": bucket_seconds,
        "buckets": [(first + i) * bucket_seconds - tz_offset_s for i in range(count)],
        "series": [{"key": k, "values": series[k]} for k in keys],
        "estimated": estimated,
    }


def _top_phrasings(texts: list[str], limit: int = 3) -> list[dict[str, Any]]:
    counts: Counter[str] = Counter()
    example: dict[str, str] = {}
    for text in texts:
        key = phrasing_key(text[:MAX_TEXT])
        if key:
            counts[key] += 1
            example.setdefault(key, text[:300])
    return [{"text": example[k], "count": n} for k, n in counts.most_common(limit)]


def product_questions(
    conn: sqlite3.Connection, window: Window, limit: int = 50
) -> dict[str, Any]:
    """Per item: questions by pillar and intent, aspects of pre-sale questions, top phrasings."""
    items: dict[str, dict[str, Any]] = {}
    texts: dict[str, list[str]] = defaultdict(list)
    for row in _buyer_rows(conn, window):
        item = _item_of(row)
        if item is None:
            continue
        entry = items.setdefault(
            item,
            {"item_id": item, "total": 0, "pillars": Counter(), "intents": Counter(),
             "aspects": Counter(), "pre_sale": 0},
        )
        intent = row["intent"] or "pending"
        entry["total"] += 1
        entry["pillars"][row["pillar"] or "pending"] += 1
        entry["intents"][intent] += 1
        if row["pillar"] == "pre_sale":
            entry["pre_sale"] += 1
            for aspect in aspects_of((row["text"] or "")[:MAX_TEXT]):
                entry["aspects"][aspect] += 1
        if row["text"]:
            texts[item].append(row["text"])
    ranked = sorted(items.values(), key=lambda e: (-e["total"], e["item_id"]))[:limit]
    result = [_item_summary(entry, texts[entry["item_id"]]) for entry in ranked]
    highlights = [h for entry in result for h in entry.pop("_highlights")]
    highlights.sort(key=lambda h: (-h["share"], -h["count"]))
    return {"items": result, "highlights": highlights[:10]}


def _item_summary(entry: dict[str, Any], texts: list[str]) -> dict[str, Any]:
    total, pre_sale = entry["total"], entry["pre_sale"]
    aspects = [
        {"aspect": a, "count": n, "share": n / pre_sale} for a, n in entry["aspects"].most_common()
    ]
    highlights = [
        {"item_id": entry["item_id"], "pillar": "pre_sale", **a, "of": pre_sale}
        for a in aspects
        if a["count"] >= ASPECT_HIGHLIGHT_MIN and a["share"] >= ASPECT_HIGHLIGHT_SHARE
    ]
    return {
        "item_id": entry["item_id"],
        "total": total,
        "pillars": [
            {"pillar": p, "count": n, "share": n / total} for p, n in entry["pillars"].most_common()
        ],
        "intents": [
            {"intent": i, "count": n, "share": n / total} for i, n in entry["intents"].most_common()
        ],
        "aspects": aspects,
        "top_phrasings": _top_phrasings(texts),
        "_highlights": highlights,
    }


def item_messages(
    conn: sqlite3.Connection,
    window: Window,
    item_id: str,
    intent: str | None = None,
    aspect: str | None = None,
    limit: int = 200,
) -> list[dict[str, Any]]:
    """The buyer messages behind one item's numbers (drill-down), newest first."""
    found = []
    for row in _buyer_rows(conn, window):
        if _item_of(row) != item_id or (intent and (row["intent"] or "pending") != intent):
            continue
        if aspect and aspect not in aspects_of((row["text"] or "")[:MAX_TEXT]):
            continue
        found.append(_message(row))
        if len(found) >= limit:
            break
    return found


def recent_messages(
    conn: sqlite3.Connection, window: Window, limit: int = 100, offset: int = 0
) -> dict[str, Any]:
    """One page of the latest buyer messages with what was understood (the correction
    view's list): `messages`, and `more` when older ones follow."""
    rows = _buyer_rows(conn, window, page=(offset, limit + 1))
    return {"messages": [_message(row) for row in rows[:limit]], "more": len(rows) > limit}


def _message(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "shop_id": row["shop_id"],
        "conversation_id": row["conversation_id"],
        "message_id": row["message_id"],
        "text": row["text"],
        "created_at": row["created_at"],
        "intent": row["intent"],
        "confidence": row["confidence"],
        "language": row["language"],
        "rule_id": row["rule_id"],
        "action": row["action"],
        "classified": row["intent"] is not None,
        "corrected": bool(row["corrected"]),
    }


def conversation_buyers(
    conn: sqlite3.Connection, shop_id: str, conversation_ids: list[str]
) -> dict[str, str]:
    """The buyer id each conversation's messages carry (for naming chats at risk)."""
    found: dict[str, str] = {}
    for conversation_id in conversation_ids[:200]:
        row = conn.execute(
            "SELECT buyer_id FROM messages WHERE shop_id = ? AND conversation_id = ?"
            " AND buyer_id != '' ORDER BY created_at DESC LIMIT 1",
            (shop_id, conversation_id),
        ).fetchone()
        if row is not None:
            found[conversation_id] = str(row[0])
    return found


def _terms(text: str) -> set[str]:
    """Candidate keywords: words of 3+ letters, or two-character runs of unspaced scripts."""
    folded = re.sub(r"[^\w\s]+", " ", fold(text[:MAX_TEXT]))
    terms: set[str] = set()
    for word in folded.split():
        if _CJK.fullmatch(word):
            terms.update(word[i : i + 2] for i in range(len(word) - 1))
        elif len(word) >= 3 and word not in _STOPWORDS and not word.isdigit():
            terms.add(word)
    return terms


_CATCH_ALL_INTENTS = frozenset({"other"})
_NEUTRAL_CONDITIONS = frozenset({"languages", "min_confidence"})


def catch_all_ids(rules: Iterable[Rule]) -> frozenset[str]:
    """Reply rules that answer whatever is left rather than a question: no condition, or
    only "intent is other" / "not understood" (plus language or confidence). Their
    reply is a holding answer ("we will get back to you"), so the seller still has to
    write the real one."""
    found = set()
    for rule in rules:
        if rule.action not in ("auto_reply", "suggest"):
            continue
        when = rule.when.model_dump(exclude_defaults=True)
        intents = set(when.pop("intents", []))
        not_understood = when.pop("understood", None) is False
        rest = set(when) - _NEUTRAL_CONDITIONS
        if not rest and (intents <= _CATCH_ALL_INTENTS or (not intents and not_understood)):
            found.add(rule.id)
    return frozenset(found)


def _fell_back(row: dict[str, Any]) -> bool:
    """The decision's rule could not build its reply (missing data, no reply rule)."""
    if row["action"] == "escalate" or not row["reasons"]:
        return False
    try:
        reasons = json.loads(row["reasons"])
    except ValueError:
        return False
    return isinstance(reasons, list) and any(
        isinstance(r, dict) and (r.get("fallback") or r.get("code") in ("data_missing",
                                                                          "no_reply_rule"))
        for r in reasons
    )


def unanswered(row: dict[str, Any], catch_all: frozenset[str]) -> bool:
    """No rule answered this decided message: no rule, a catch-all, or a fallback."""
    return row["rule_id"] is None or row["rule_id"] in catch_all or _fell_back(row)


def unanswered_groups(
    conn: sqlite3.Connection,
    window: Window,
    samples: int = 5,
    limit: int = 30,
    catch_all: frozenset[str] = frozenset(),
) -> list[dict[str, Any]]:
    """Buyer messages no rule answered (see `unanswered`), grouped by intent and language,
    biggest first, each with the words its messages share."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in _buyer_rows(conn, window, " AND d.id IS NOT NULL"):
        if not unanswered(row, catch_all):
            continue
        intent = row["intent"] if row["understood"] and row["intent"] else NOT_UNDERSTOOD
        groups[(intent, row["language"] or "")].append(row)
    result = []
    for (intent, language), rows in groups.items():
        terms: Counter[str] = Counter()
        for row in rows:
            terms.update(_terms(row["text"] or ""))
        keywords = [t for t, n in terms.most_common(8) if n >= 2 or len(rows) == 1][:5]
        result.append(
            {
                "intent": intent,
                "language": language or None,
                "count": len(rows),
                "keywords": keywords,
                "samples": [_message(row) for row in rows[:samples]],
            }
        )
    result.sort(key=lambda g: (-g["count"], g["intent"], g["language"] or ""))
    return result[:limit]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """A spreadsheet-safe cell: text that would start a formula is quoted with `'`."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def iso_time(seconds: float | None) -> str | None:
    """Unix seconds as ISO 8601 in UTC (what spreadsheets and people read)."""
    if seconds is None:
        return None
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds")


CONVERSATION_COLUMNS = (
    "shop_id", "conversation_id", "message_id", "buyer_id", "sender", "created_at", "text",
    "item_id", "order_sn", "intent", "action", "rule_id", "created_at_unix",
)
_DECISION_FIELDS = (
    "id", "shop_id", "conversation_id", "message_id", "action", "intent", "pillar",
    "confidence", "language", "negative", "wants_human", "understood", "rule_id",
    "reply_text", "reasons", "created_at",
)
DECISION_COLUMNS = (*_DECISION_FIELDS, "created_at_unix")


def conversation_rows(conn: sqlite3.Connection, window: Window) -> Iterator[list[Any]]:
    """Every message (buyer and shop) in the window with what was decided, oldest first."""
    sql = """
    SELECT m.shop_id, m.conversation_id, m.message_id, m.buyer_id, m.sender, m.created_at,
           m.text, m.item_id, m.order_sn, d.intent, d.action, d.rule_id
    FROM messages m
    LEFT JOIN decisions d ON d.shop_id = m.shop_id AND d.message_id = m.message_id
    WHERE m.created_at >= ? AND m.created_at < ? AND (? IS NULL OR m.shop_id = ?)
    ORDER BY m.shop_id, m.conversation_id, m.created_at, m.seq
    """
    params = (window.since, window.until, window.shop_id, window.shop_id)
    at = CONVERSATION_COLUMNS.index("created_at")
    for row in conn.execute(sql, params):
        cells = list(row)
        yield [*cells[:at], iso_time(cells[at]), *cells[at + 1:], cells[at]]


def decision_rows(conn: sqlite3.Connection, window: Window) -> Iterator[list[Any]]:
    """Every decision in the window, oldest first."""
    sql = f"""
    SELECT {", ".join(_DECISION_FIELDS)} FROM decisions
    WHERE created_at >= ? AND created_at < ? AND (? IS NULL OR shop_id = ?)
    ORDER BY created_at, id
    """
    params = (window.since, window.until, window.shop_id, window.shop_id)
    at = _DECISION_FIELDS.index("created_at")
    for row in conn.execute(sql, params):
        cells = list(row)
        yield [*cells[:at], iso_time(cells[at]), *cells[at + 1:], cells[at]]
