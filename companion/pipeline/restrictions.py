"""Shopee's chat send restrictions, checked before every send so we never trip them.

Rules (shopee-open-platform.md 0.4 and 7.4): text at most 600 characters; at
most 5 shop messages in a row without a buyer reply; no identical text to the
same buyer within 24 h; only buyers who chatted in the last 7 days (or ordered
in 30 days, or have an open return); a brand-new conversation must carry order
information. The pipeline only ever answers buyers, so it never opens a
conversation: an empty history is refused here rather than sent with an
order card.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

MAX_TEXT_CHARS = 600
MAX_SHOP_IN_A_ROW = 5
DUPLICATE_WINDOW_S = 24 * 3600
CHAT_WINDOW_S = 7 * 86400

TOO_LONG = "message_too_long"
EMPTY = "empty_text"
IN_A_ROW = "reach_5_message_limit"
DUPLICATE = "identical_text_within_24h"
OUTSIDE_WINDOW = "user_is_forbidden"
FIRST_MESSAGE = "first_chat_without_order_info"


@dataclass(frozen=True, slots=True)
class ChatLine:
    """One message of a conversation as the checks see it (`at` in Unix seconds)."""

    from_buyer: bool
    text: str | None
    at: float


@dataclass(frozen=True, slots=True)
class SendCheck:
    """The verdict: `ok`, or the name of the first restriction a send would break."""

    ok: bool
    reason: str = ""


def shop_messages_in_a_row(lines: list[ChatLine]) -> int:
    """Shop messages since the buyer last wrote (the history is oldest first)."""
    count = 0
    for line in reversed(lines):
        if line.from_buyer:
            break
        count += 1
    return count


def _same_text(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def check_send(
    text: str,
    history: Iterable[ChatLine],
    now: float,
    *,
    open_contact: bool = False,
    max_in_a_row: int = MAX_SHOP_IN_A_ROW,
) -> SendCheck:
    """Would Shopee accept `text` now? `open_contact`: recent order or open return known."""
    lines = sorted(history, key=lambda line: line.at)
    if not text.strip():
        return SendCheck(False, EMPTY)
    if len(text) > MAX_TEXT_CHARS:
        return SendCheck(False, TOO_LONG)
    if not lines:
        return SendCheck(False, FIRST_MESSAGE)
    buyer_recent = any(ln.from_buyer and now - ln.at <= CHAT_WINDOW_S for ln in lines)
    if not (buyer_recent or open_contact):
        return SendCheck(False, OUTSIDE_WINDOW)
    if shop_messages_in_a_row(lines) >= max_in_a_row:
        return SendCheck(False, IN_A_ROW)
    cutoff = now - DUPLICATE_WINDOW_S
    if any(
        not ln.from_buyer and ln.text is not None and ln.at >= cutoff and _same_text(ln.text, text)
        for ln in lines
    ):
        return SendCheck(False, DUPLICATE)
    return SendCheck(True)
