"""A synthetic 90-day chat log of a large shop, streamed so it costs no memory.

Deterministic for a seed. Messages are in time order, spread over many
conversations, with a plausible mix of senders and texts in several
languages; ids are big numeric strings as Shopee's are.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from companion.store.models import NewMessage, Sender

DAY = 86400.0
SHOP_ID = "830000001"
MESSAGES_PER_CONVERSATION = 25
ACTIVE = 200
SENDER_WEIGHTS: tuple[tuple[Sender, float], ...] = (
    ("buyer", 0.55), ("shop_manual", 0.25), ("shop_auto", 0.18), ("system", 0.02))
TEXTS = (
    "Hi, when will my order {n} be shipped?",
    "請問什麼時候出貨? 訂單 {n}",
    "请问还有M码吗? 我想买两件",
    "Kak, barang {n} sudah dikirim belum?",
    "Chị ơi, đơn {n} khi nào giao vậy ạ?",
    "ของยังมีไหมคะ สีดำ ไซส์ L",
    "Boleh tahu kos penghantaran ke Sabah?",
    "Thank you! Received the parcel today, very fast.",
    "Your order {n} has been shipped with J&T, tracking number SPX{n}.",
)


def history(n: int, now: float, *, seed: int = 7, days: float = 90.0) -> Iterator[NewMessage]:
    """`n` messages of one shop over the `days` before `now`, oldest first."""
    rng = random.Random(seed)
    # Conversations are bursts: each message goes to one of ACTIVE open ones, and
    # about every MESSAGES_PER_CONVERSATION-th message one of them ends and a new
    # one starts, so a conversation lives hours, not the whole 90 days.
    active = list(range(ACTIVE))
    next_conv = ACTIVE
    senders = [s for s, _ in SENDER_WEIGHTS]
    weights = [w for _, w in SENDER_WEIGHTS]
    start = now - days * DAY
    step = days * DAY / max(n, 1)
    for i in range(n):
        slot = rng.randrange(ACTIVE)
        conv = active[slot]
        if rng.random() < ACTIVE / (MESSAGES_PER_CONVERSATION * ACTIVE):
            active[slot], next_conv = next_conv, next_conv + 1
        sender = rng.choices(senders, weights)[0]
        text = rng.choice(TEXTS).format(n=240000000 + i)
        yield NewMessage(
            shop_id=SHOP_ID,
            conversation_id=str(10**17 + conv),
            message_id=str(2**60 + i),
            sender=sender,
            created_at=float(int(start + i * step + rng.random() * step)),
            text=text,
            buyer_id=str(10**9 + conv),
            source="poll",
        )


def as_document(msg: NewMessage, state: str = "processed") -> dict[str, Any]:
    """The same message as a TinyDB document (the fields the SQLite row has)."""
    return {
        "shop_id": msg.shop_id, "conversation_id": msg.conversation_id,
        "message_id": msg.message_id, "buyer_id": msg.buyer_id, "sender": msg.sender,
        "text": msg.text, "message_type": msg.message_type, "item_id": msg.item_id,
        "order_sn": msg.order_sn, "created_at": msg.created_at, "source": msg.source,
        "verified": msg.verified, "state": state,
    }
