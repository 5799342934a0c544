"""A buyer's chat with the shop, read live from Shopee at the moment a follow-up is due.

The conversation id of a buyer is found by scanning `get_conversation_list`
once (every conversation seen is remembered in the follow-ups file, so later
look-ups are free) and re-scanning at most every few minutes for buyers not
found yet. The history (newest page of `get_message`) feeds the send
restrictions, the stop-word check and the reply-rate outcome.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from companion.followups.db import Clock, FollowupDB
from companion.pipeline.restrictions import ChatLine
from companion.shopee.client import ShopeeClient

PAGE_SIZE = 60
MAX_PAGES = 20
RESCAN_AFTER_S = 300.0
HISTORY_PAGE = 100


@dataclass(frozen=True, slots=True)
class Thread:
    """One buyer's conversation as the checks see it; `lines` oldest first."""

    conversation_id: str | None
    lines: list[ChatLine] = field(default_factory=list)

    def buyer_texts(self) -> list[str]:
        return [ln.text for ln in self.lines if ln.from_buyer and ln.text]

    def buyer_wrote_after(self, at: float) -> float | None:
        """When the buyer first wrote after `at` (a reply to our follow-up), else None."""
        return next((ln.at for ln in self.lines if ln.from_buyer and ln.at >= at), None)


class BuyerChat:
    """Finds buyers' conversations and reads their recent messages."""

    def __init__(self, client: ShopeeClient, db: FollowupDB, clock: Clock) -> None:
        self._client = client
        self._db = db
        self._clock = clock
        self._scanned_at: dict[str, float] = {}

    def remember(self, shop_id: str, buyer_id: str, conversation_id: str) -> None:
        with self._db.tx() as conn:
            conn.execute("INSERT OR REPLACE INTO buyer_conversations (shop_id, buyer_id,"
                         " conversation_id) VALUES (?,?,?)", (shop_id, buyer_id, conversation_id))

    def _known(self, shop_id: str, buyer_id: str) -> str | None:
        row = self._db.conn.execute(
            "SELECT conversation_id FROM buyer_conversations WHERE shop_id = ? AND buyer_id = ?",
            (shop_id, buyer_id)).fetchone()
        return str(row[0]) if row else None

    async def conversation_id(self, shop_id: str, buyer_id: str) -> str | None:
        known = self._known(shop_id, buyer_id)
        if known is not None:
            return known
        last = self._scanned_at.get(shop_id)
        if last is not None and self._clock() - last < RESCAN_AFTER_S:
            return None
        await self._scan(shop_id)
        return self._known(shop_id, buyer_id)

    async def _scan(self, shop_id: str) -> None:
        cursor: str | None = None
        found: dict[str, str] = {}
        for _ in range(MAX_PAGES):
            page = await self._client.get_conversation_list(
                shop_id, direction="older", next_timestamp_nano=cursor, page_size=PAGE_SIZE)
            for conv in page.conversations:
                if conv.to_id and conv.conversation_id:
                    found.setdefault(str(conv.to_id), str(conv.conversation_id))
            cursor = page.next_cursor_nano
            if not cursor:
                break
        with self._db.tx() as conn:
            conn.executemany("INSERT OR REPLACE INTO buyer_conversations (shop_id, buyer_id,"
                             " conversation_id) VALUES (?,?,?)",
                             [(shop_id, b, c) for b, c in found.items()])
        self._scanned_at[shop_id] = self._clock()

    async def thread(self, shop_id: str, buyer_id: str) -> Thread:
        conversation_id = await self.conversation_id(shop_id, buyer_id)
        if conversation_id is None:
            return Thread(None)
        page = await self._client.get_message(shop_id, conversation_id, page_size=HISTORY_PAGE)
        lines = sorted(
            (ChatLine(from_buyer=str(m.from_id) == buyer_id,
                      text=m.text, at=float(m.created_timestamp))
             for m in page.messages),
            key=lambda ln: ln.at,
        )
        return Thread(conversation_id, lines)
