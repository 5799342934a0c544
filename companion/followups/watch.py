"""Order watching: which orders changed status, and when, persisted across restarts.

Polls `get_order_list` by `update_time` from a stored watermark up to now, in
windows of at most 15 days (the API's limit), with a small overlap so an
order updated during the previous poll is not missed. Only orders whose
status differs from what we stored are fetched in detail (buyer, times).
An order-status push is only a hint: it makes the next poll happen sooner,
or names orders to re-fetch; nothing is taken from the push body itself.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from companion.followups.db import Clock, FollowupDB
from companion.shopee.client import ShopeeClient
from companion.shopee.models import Order

MAX_WINDOW_S = 15 * 86400 - 60
OVERLAP_S = 600
PAGE_SIZE = 100
DETAIL_CHUNK = 50
DETAIL_FIELDS = ("buyer_user_id", "item_list")


@dataclass(frozen=True, slots=True)
class Transition:
    """An order seen in a new status (`previous` None when first seen)."""

    shop_id: str
    order_sn: str
    buyer_id: str
    previous: str | None
    status: str
    at: int
    create_time: int


@dataclass(frozen=True, slots=True)
class WatchedOrder:
    shop_id: str
    order_sn: str
    buyer_id: str
    status: str
    create_time: int
    update_time: int


class OrderWatcher:
    """Follows one or more shops' orders; state in the `orders` and `watch_cursor` tables."""

    def __init__(self, client: ShopeeClient, db: FollowupDB, clock: Clock, *,
                 first_lookback_s: float = 31 * 86400) -> None:
        self._client = client
        self._db = db
        self._clock = clock
        self._first_lookback_s = first_lookback_s

    def watermark(self, shop_id: str) -> int | None:
        row = self._db.conn.execute("SELECT watermark FROM watch_cursor WHERE shop_id = ?",
                                    (shop_id,)).fetchone()
        return int(row[0]) if row else None

    def _set_watermark(self, shop_id: str, value: int) -> None:
        with self._db.tx() as conn:
            conn.execute("INSERT OR REPLACE INTO watch_cursor (shop_id, watermark, updated_at)"
                         " VALUES (?,?,?)", (shop_id, value, self._clock()))

    def order(self, shop_id: str, order_sn: str) -> WatchedOrder | None:
        row = self._db.conn.execute(
            "SELECT shop_id, order_sn, buyer_id, status, create_time, update_time FROM orders"
            " WHERE shop_id = ? AND order_sn = ?", (shop_id, order_sn)).fetchone()
        return WatchedOrder(*row) if row else None

    def buyer_orders(self, shop_id: str, buyer_id: str) -> list[WatchedOrder]:
        rows = self._db.conn.execute(
            "SELECT shop_id, order_sn, buyer_id, status, create_time, update_time FROM orders"
            " WHERE shop_id = ? AND buyer_id = ? ORDER BY create_time", (shop_id, buyer_id)
        ).fetchall()
        return [WatchedOrder(*r) for r in rows]

    async def poll(self, shop_id: str) -> list[Transition]:
        """Everything that changed since the watermark; the watermark advances per window."""
        now = int(self._clock())
        mark = self.watermark(shop_id)
        start = now - int(self._first_lookback_s) if mark is None else mark - OVERLAP_S
        changes: list[Transition] = []
        while start < now:
            end = min(start + MAX_WINDOW_S, now)
            listed = await self._list(shop_id, start, end)
            changes += await self._apply(shop_id, listed)
            self._set_watermark(shop_id, end)
            start = end
        return changes

    async def refresh(self, shop_id: str, order_sns: Sequence[str]) -> list[Transition]:
        """Re-fetch named orders now (an order-status push named them)."""
        return await self._apply(shop_id, {sn: None for sn in order_sns})

    async def _list(self, shop_id: str, start: int, end: int) -> dict[str, str | None]:
        found: dict[str, str | None] = {}
        cursor = ""
        while True:
            page = await self._client.get_order_list(
                shop_id, time_from=start, time_to=end, page_size=PAGE_SIZE, cursor=cursor)
            for ref in page.order_list:
                found[ref.order_sn] = ref.order_status
            if not page.more or not page.next_cursor:
                return found
            cursor = page.next_cursor

    async def _apply(self, shop_id: str, listed: dict[str, str | None]) -> list[Transition]:
        stale = [sn for sn, status in listed.items()
                 if status is None or (self.order(shop_id, sn) or _NONE).status != status]
        changes: list[Transition] = []
        for i in range(0, len(stale), DETAIL_CHUNK):
            details = await self._client.get_order_detail(shop_id, stale[i:i + DETAIL_CHUNK],
                                                          DETAIL_FIELDS)
            with self._db.tx() as conn:  # one durable commit per chunk, not per order
                for order in details:
                    change = self._store(conn, shop_id, order)
                    if change is not None:
                        changes.append(change)
        return changes

    def _store(self, conn: sqlite3.Connection, shop_id: str, order: Order) -> Transition | None:
        """Upsert one order inside the caller's transaction; a Transition when its status is new."""
        before = self.order(shop_id, order.order_sn)
        if before is not None and before.status == order.order_status:
            return None
        at = order.update_time or int(self._clock())
        column = {"SHIPPED": "shipped_at", "TO_CONFIRM_RECEIVE": "delivered_at",
                  "COMPLETED": "completed_at"}.get(order.order_status)
        buyer = order.buyer_user_id or (before.buyer_id if before else "")
        conn.execute(
            "INSERT INTO orders (shop_id, order_sn, buyer_id, status, create_time,"
            " update_time, seen_at) VALUES (?,?,?,?,?,?,?) ON CONFLICT (shop_id, order_sn)"
            " DO UPDATE SET buyer_id = excluded.buyer_id, status = excluded.status,"
            " update_time = excluded.update_time, seen_at = excluded.seen_at",
            (shop_id, order.order_sn, buyer, order.order_status, order.create_time, at,
             self._clock()),
        )
        if column is not None:
            conn.execute(f"UPDATE orders SET {column} = ? WHERE shop_id = ? AND order_sn = ?",
                         (at, shop_id, order.order_sn))
        return Transition(shop_id, order.order_sn, buyer, before.status if before else None,
                          order.order_status, at, order.create_time)


_NONE = WatchedOrder("", "", "", "", 0, 0)
