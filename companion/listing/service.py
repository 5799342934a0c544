"""`ListingService`: each shop's product knowledge kept fresh in the background, plus gaps and pins.

Why a service: answering from the listing must cost no API call per message.
Knowledge is loaded from the disk cache at start (an old fact beats no answer;
its age travels with every answer), refreshed in the background when older
than `max_age_s`, and a message that arrives before the very first fetch
waits for it only briefly. The gap log and the seller's pinned picks live in
the data folder next to the cache.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol

from companion.listing.facts import LISTING_INTENTS, ListingFacts, listing_facts
from companion.listing.gaps import GapLog
from companion.listing.knowledge import KnowledgeStore, ShopKnowledge
from companion.listing.pins import PinStore
from companion.listing.resolve import ListingContext
from companion.nlu.types import Understanding
from companion.shopee import ShopeeClient

log = logging.getLogger(__name__)

REFRESH_EVERY_S = 3600.0  # stock in recommendations and size advice ages with the cache
RETRY_AFTER_S = 60.0
FIRST_FETCH_WAIT_S = 2.0


class ShopRef(Protocol):
    """What the service needs of a shop (companion.connection.Shop fits)."""

    shop_id: str
    region: str


class ListingService:
    """Per-shop `ShopKnowledge` in memory, refreshed by one background task per shop."""

    def __init__(self, client: ShopeeClient, shops: Iterable[ShopRef], data_dir: Path, *,
                 max_age_s: float = REFRESH_EVERY_S, retry_after_s: float = RETRY_AFTER_S,
                 clock: Callable[[], float] = time.time) -> None:
        self.client = client
        self.regions = {str(s.shop_id): s.region for s in shops}
        self.store = KnowledgeStore(data_dir)
        self.gaps = GapLog(data_dir)
        self.pins = PinStore(data_dir)
        self.max_age_s = max_age_s
        self.retry_after_s = retry_after_s
        self.clock = clock
        self._current: dict[str, ShopKnowledge] = {}
        self._fetching: dict[str, asyncio.Task[ShopKnowledge]] = {}
        self._loops: list[asyncio.Task[None]] = []

    # --- lifecycle ------------------------------------------------------------------------------

    async def start(self) -> None:
        """Load the disk caches, then keep every shop fresh in the background."""
        for shop_id in self.regions:
            cached = self.store.load(shop_id)
            if cached is not None:
                self._current[shop_id] = cached
            self._loops.append(asyncio.create_task(self._keep_fresh(shop_id)))

    async def stop(self) -> None:
        tasks = [*self._loops, *self._fetching.values()]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._loops.clear()
        self._fetching.clear()

    async def _keep_fresh(self, shop_id: str) -> None:
        while True:
            current = self._current.get(shop_id)
            age = current.age(self.clock()) if current is not None else float("inf")
            if age >= self.max_age_s:
                try:
                    current = await self.refresh(shop_id)
                except Exception as exc:  # a failed refresh only means older knowledge
                    log.warning("listing refresh for shop %s failed: %s", shop_id, exc)
                    await asyncio.sleep(self.retry_after_s)
                    continue
                age = current.age(self.clock())
            await asyncio.sleep(max(1.0, self.max_age_s - age))

    # --- knowledge ------------------------------------------------------------------------------

    def refresh(self, shop_id: str) -> asyncio.Task[ShopKnowledge]:
        """Fetch the shop now (one fetch at a time per shop; callers share it)."""
        shop_id = str(shop_id)
        running = self._fetching.get(shop_id)
        if running is not None and not running.done():
            return running
        task = asyncio.create_task(self._fetch(shop_id))
        self._fetching[shop_id] = task
        return task

    async def _fetch(self, shop_id: str) -> ShopKnowledge:
        try:
            shop = await self.store.refresh(self.client, shop_id,
                                            region=self.regions.get(shop_id, ""),
                                            now=self.clock())
            self._current[shop_id] = shop
            log.info("listing knowledge of shop %s: %d items", shop_id, len(shop.items))
            return shop
        finally:
            self._fetching.pop(shop_id, None)

    def current(self, shop_id: str) -> ShopKnowledge | None:
        return self._current.get(str(shop_id))

    async def knowledge(self, shop_id: str,
                        wait_s: float = FIRST_FETCH_WAIT_S) -> ShopKnowledge | None:
        """What we know now; before the first fetch ends, wait for it up to `wait_s`."""
        shop_id = str(shop_id)
        known = self._current.get(shop_id)
        if known is not None or shop_id not in self.regions:
            return known
        try:
            return await asyncio.wait_for(asyncio.shield(self.refresh(shop_id)), wait_s)
        except Exception as exc:  # no knowledge yet: the reply falls back to a suggestion
            log.info("no listing knowledge for shop %s yet: %s", shop_id, type(exc).__name__)
            return None

    # --- answers --------------------------------------------------------------------------------

    async def facts(self, understanding: Understanding, text: str, context: ListingContext, *,
                    record_gaps: bool = True) -> ListingFacts | None:
        """Listing facts for a listing question (None for other intents or without knowledge);
        gaps are recorded unless `record_gaps` is off (dry runs must not skew the counts)."""
        if understanding.intent not in LISTING_INTENTS:
            return None
        shop = await self.knowledge(context.shop_id)
        if shop is None:
            return None
        return listing_facts(shop, understanding, text, context,
                             gaps=self.gaps if record_gaps else None,
                             pinned=self.pins.get(shop.shop_id), now=self.clock())
