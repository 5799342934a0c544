"""Ingest: every source of buyer messages into one durable queue, stored before anything else.

Sources (issue 5 item 1):
- `ChatPoller`: one per shop, polls `get_conversation_list` newest first down
  to the persisted cursor (ns), fetches new messages of each changed
  conversation, stores each one (idempotent by message id) and only then
  hands new buyer messages to the processor. Adaptive pace (`pacing.Pacer`).
- push hints (`push.py`) and page-mode claims only wake the poller for one
  conversation: the API is the source of truth.
- `ingest_page_message`: a message the extension read from the Seller Centre
  page, stored as an unverified claim; with the chat API it is acted on once
  the poller has seen it too, without the API it is processed as a claim
  (suggestions only).

The shop's own messages are stored for the KPIs but never processed; one that
we did not send is a person answering (human takeover). System notices are
stored as `system` and ignored.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from companion.pipeline.names import BuyerNames
from companion.pipeline.pacing import Pacer, PollTiming
from companion.shopee import ShopeeClient
from companion.shopee.errors import (
    DailyLimitError,
    NotAuthorizedError,
    PermissionDeniedError,
    RateLimitError,
    ShopeeError,
)
from companion.shopee.models import ChatMessage, Conversation
from companion.store import NewMessage, Store, StoredMessage
from companion.store.models import Sender

log = logging.getLogger(__name__)

SYSTEM_TYPES = frozenset({"notification", "bundle_message"})
SELF_ECHO_WINDOW_S = 600.0
MAX_MESSAGE_PAGES = 4
MAX_CONVERSATION_PAGES = 100
CONVERSATION_PAGE = 60  # the API's largest page: fewer sequential list calls per pass
FIRST_PAGE_MIN = 15  # a pass's first page: sized to what the last pass found (see _first_page)
BACKFILL_PAGES = 2
FETCH_CONCURRENCY = 16

Sink = Callable[[StoredMessage], None]
ShopEvent = Callable[[str, str, StoredMessage], None]
Clock = Callable[[], float]


def cursor_key(shop_id: str) -> str:
    return f"poll:{shop_id}:cursor_ns"


def text_fingerprint(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).casefold().encode("utf-8")).hexdigest()[:20]


@dataclass(slots=True)
class OwnSends:
    """What we sent (or are sending) recently, so our own replies are never taken for a person's.

    Security.md A1: a shop message whose text we sent in this conversation in
    the last 10 minutes, or whose id the API gave back for our send, is ours.
    """

    window_s: float = SELF_ECHO_WINDOW_S
    _texts: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    _ids: dict[str, float] = field(default_factory=dict)

    def expect(self, conversation_id: str, text: str, now: float) -> None:
        """Call before the API call: the echo may be polled before the call returns."""
        entries = [e for e in self._texts.get(conversation_id, []) if now - e[1] < self.window_s]
        entries.append((text_fingerprint(text), now))
        self._texts[conversation_id] = entries

    def sent(self, message_id: str | None, now: float) -> None:
        if message_id:
            self._ids[message_id] = now
            if len(self._ids) > 50_000:
                self._ids = {k: t for k, t in self._ids.items() if now - t < self.window_s}

    def is_ours(self, conversation_id: str, message_id: str, text: str | None, now: float) -> bool:
        if message_id in self._ids:
            return True
        if text is None:
            return False
        fp = text_fingerprint(text)
        return any(
            f == fp and now - at < self.window_s for f, at in self._texts.get(conversation_id, [])
        )


def sender_of(message: ChatMessage, shop_id: str, buyer_id: str) -> Sender:
    """Who wrote it: buyer, the shop (a person or an auto-reply), or Shopee itself."""
    if message.message_type in SYSTEM_TYPES:
        return "system"
    from_shop = message.from_shop_id not in (None, "0") and message.from_shop_id == shop_id
    if from_shop or (message.from_id is not None and message.from_id != buyer_id):
        return "shop_auto" if message.is_automatic else "shop_manual"
    return "buyer"


def to_new_message(
    message: ChatMessage, shop_id: str, buyer_id: str, source: str = "poll"
) -> NewMessage:
    sender = sender_of(message, shop_id, buyer_id)
    item_id = message.source_content.get("item_id") or message.content.get("item_id")
    order_sn = message.source_content.get("order_sn") or message.content.get("order_sn")
    return NewMessage(
        shop_id=shop_id,
        conversation_id=message.conversation_id,
        message_id=message.message_id,
        sender=sender,
        created_at=float(message.created_timestamp),
        text=message.text,
        buyer_id=buyer_id,
        message_type=message.message_type or "text",
        item_id=str(item_id) if item_id else None,
        order_sn=str(order_sn) if order_sn else None,
        source=source,  # type: ignore[arg-type]
        verified=True,
    )


@dataclass(slots=True)
class Arrivals:
    """How each polled message reached us: when the list call returned, the API time it took.

    The processor adds its own figures and stores them with the reply (outbox
    payload `timing`), so the benchmark can subtract the API calls' own time
    from the latency measured at the sandbox. Bounded: entries are taken when
    the message is processed, and the oldest half is dropped past `limit`.
    """

    limit: int = 20_000
    _by_id: dict[tuple[str, str], dict[str, float]] = field(default_factory=dict)

    def note(self, shop_id: str, message_id: str, timing: dict[str, float]) -> None:
        if len(self._by_id) >= self.limit:
            for key in list(self._by_id)[: self.limit // 2]:
                del self._by_id[key]
        self._by_id[(shop_id, message_id)] = timing

    def take(self, shop_id: str, message_id: str) -> dict[str, float]:
        return self._by_id.pop((shop_id, message_id), {})


@dataclass(slots=True)
class PollerHooks:
    """What the poller tells the rest of the pipeline."""

    on_buyer_message: Sink
    on_human_reply: Callable[[StoredMessage], None]


class ChatPoller:
    """Polls one shop's chat list and stores what is new; see the module docstring."""

    def __init__(
        self,
        client: ShopeeClient,
        shop_id: str,
        store: Store,
        hooks: PollerHooks,
        own: OwnSends,
        *,
        timing: PollTiming | None = None,
        takeover_window_s: float = 3600.0,
        clock: Clock = time.time,
        arrivals: Arrivals | None = None,
    ) -> None:
        self.client = client
        self.arrivals = arrivals if arrivals is not None else Arrivals()
        self.shop_id = shop_id
        self.store = store
        self.hooks = hooks
        self.own = own
        self.pacer = Pacer(timing or PollTiming())
        self.takeover_window_s = takeover_window_s
        self.clock = clock
        self.chat_api = True
        self.names = BuyerNames()  # the pipeline shares one across its pollers
        self.polls = 0
        self.started_at = clock()
        self._wake = asyncio.Event()
        self._targets: set[str] = set()
        self._fetch_gate = asyncio.Semaphore(FETCH_CONCURRENCY)
        self._first_page = CONVERSATION_PAGE

    # --- control --------------------------------------------------------------------------------

    def wake(self, conversation_id: str | None = None) -> None:
        """Poll now (push hint, page claim); with an id, that conversation is fetched directly."""
        if conversation_id:
            self._targets.add(conversation_id)
        self._wake.set()

    async def run(self) -> None:
        """Poll until cancelled; errors slow the loop down but never end it."""
        while True:
            delay = await self._poll_guarded()
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), delay)

    async def _poll_guarded(self) -> float:
        try:
            await self.poll_once()
        except DailyLimitError as exc:
            wait = max(1.0, exc.resume_at.timestamp() - self.clock())
            log.warning("shop %s: daily API quota spent; polling resumes in %.0fs", self.shop_id,
                        wait)
            return wait
        except (PermissionDeniedError, NotAuthorizedError) as exc:
            self.chat_api = False
            log.warning("shop %s: chat API unavailable (%s); page mode only", self.shop_id, exc)
            return self.pacer.timing.slow_s * 4
        except RateLimitError:
            return self.pacer.failed(rate_limited=True)
        except ShopeeError as exc:
            log.warning("shop %s: poll failed: %s", self.shop_id, exc)
            return self.pacer.failed(rate_limited=False)
        self.pacer.succeeded()
        return self.pacer.next_delay(self.clock())

    # --- one poll -------------------------------------------------------------------------------

    async def poll_once(self) -> int:
        """One pass: changed conversations since the cursor, then their new messages.

        Each conversation is fetched, stored (one commit) and handed to the
        processor on its own as soon as its list page arrives, so one slow
        conversation does not hold up the others. The processor may start
        before the group fsync of these commits: nothing it does is visible
        outside before the outbox claim, whose own sync covers every earlier
        commit (the WAL is append-only). The cursor moves past them only once
        they are on disk, and only when the pass reached it (a pass that hit
        the page limit leaves it, so the next pass looks again: never skipped).
        Waiting for that sync also paces back-to-back polling: measured, moving
        the cursor in memory at once and storing it later made ~20% more list
        and get_message calls for the same load.
        """
        self.polls += 1
        raw = self.store.kv.get(cursor_key(self.shop_id))
        cursor = int(raw) if raw else None
        backfill = cursor is None
        tasks: list[asyncio.Task[int]] = []
        try:
            newest, complete = await self._list_and_take(cursor, tasks)
            targets, self._targets = self._targets, set()
            listed = {"listed_at": self.clock(), "list_ms": 0.0}
            for cid in targets:
                conv = await self._one(cid)
                if conv is not None:
                    tasks.append(asyncio.create_task(self._take(conv, backfill, listed)))
        finally:
            outcomes = await asyncio.gather(*tasks, return_exceptions=True)
        failed = next((o for o in outcomes if isinstance(o, BaseException)), None)
        if failed is not None:
            raise failed
        new = sum(o for o in outcomes if isinstance(o, int))
        if new:
            await self.store.sync()  # stored messages are durable before the cursor passes them
            self.pacer.saw_activity(self.clock())
        if newest is not None and (complete or backfill) and (cursor is None or newest > cursor):
            self.store.kv.set(cursor_key(self.shop_id), str(newest))
        self.chat_api = True
        return new

    async def _list_and_take(self, cursor: int | None,
                             tasks: list[asyncio.Task[int]]) -> tuple[int | None, bool]:
        """Page newest first down to the cursor, starting each conversation's fetch at once.

        Returns the newest timestamp seen and whether the pass reached the cursor
        (or the end of the list). First start: a bounded backfill of history.
        """
        backfill = cursor is None
        started = time.perf_counter()
        newest: int | None = None
        next_nano: str | None = None
        seen: set[str] = set()
        size = CONVERSATION_PAGE if backfill else self._first_page
        for _ in range(BACKFILL_PAGES if backfill else MAX_CONVERSATION_PAGES):
            page = await self.client.get_conversation_list(
                self.shop_id, next_timestamp_nano=next_nano, page_size=size
            )
            size = CONVERSATION_PAGE
            listed = {"listed_at": self.clock(),
                      "list_ms": (time.perf_counter() - started) * 1000}
            for conv in page.conversations:
                if newest is None or conv.last_message_timestamp > newest:
                    newest = conv.last_message_timestamp
                if cursor is not None and conv.last_message_timestamp <= cursor:
                    self._first_page = _first_page(len(seen))
                    return newest, True
                if conv.conversation_id not in seen:
                    seen.add(conv.conversation_id)
                    self._targets.discard(conv.conversation_id)
                    tasks.append(asyncio.create_task(self._take(conv, backfill, listed)))
            next_nano = page.next_cursor_nano
            if not next_nano:
                self._first_page = _first_page(len(seen))
                return newest, True
        log.warning("shop %s: more changed conversations than one pass reads; the next pass"
                    " continues", self.shop_id)
        self._first_page = CONVERSATION_PAGE
        return newest, False

    async def _take(self, conv: Conversation, backfill: bool, listed: dict[str, float]) -> int:
        """Fetch one conversation's new messages, store them in one commit, hand them on."""
        started = time.perf_counter()
        conv, messages = await self._fetch(conv)
        self.names.note(self.shop_id, conv.conversation_id, conv.to_name)
        timing = {**listed, "fetch_ms": (time.perf_counter() - started) * 1000}
        notify: list[Callable[[], None]] = []
        # One commit: the messages, then the hooks' events and state changes. The hooks
        # only queue work in memory besides, which runs once this synchronous block (and
        # so the commit) is over.
        with self.store.transaction():
            count = self._store_all(conv, messages, backfill, notify, timing)
            for call in notify:
                call()
        return count

    async def _one(self, conversation_id: str) -> Conversation | None:
        try:
            return await self.client.get_one_conversation(self.shop_id, conversation_id)
        except ShopeeError as exc:
            log.info("shop %s: conversation %s not fetched: %s", self.shop_id, conversation_id, exc)
            return None

    async def _fetch(self, conv: Conversation) -> tuple[Conversation, list[ChatMessage]]:
        """The conversation's messages we have not stored yet, oldest first."""
        latest = conv.latest_message_id
        stored = self.store.messages.get(self.shop_id, latest) if latest else None
        # Our own reply (stored by the sender) may sit on top of a buyer message not yet seen.
        if stored is not None and stored.source != "outbox":
            return conv, []
        async with self._fetch_gate:
            return conv, await self._new_messages(conv)

    def _store_all(self, conv: Conversation, messages: list[ChatMessage], backfill: bool,
                   notify: list[Callable[[], None]], timing: dict[str, float]) -> int:
        return sum(self._store_one(m, conv.to_id, backfill, notify, timing) for m in messages)

    async def _new_messages(self, conv: Conversation) -> list[ChatMessage]:
        collected: list[ChatMessage] = []
        offset: str | None = None
        for _ in range(MAX_MESSAGE_PAGES):
            page = await self.client.get_message(self.shop_id, conv.conversation_id, offset=offset)
            known = self.store.messages.known(self.shop_id, [m.message_id for m in page.messages])
            fresh = [m for m in page.messages if m.message_id not in known]
            collected.extend(fresh)
            offset = page.page_result.next_offset
            if len(fresh) < len(page.messages) or not offset:
                break
        collected.sort(key=lambda m: (m.created_timestamp, int(m.message_id)
                                      if m.message_id.isdigit() else 0))
        return collected

    def _store_one(self, message: ChatMessage, buyer_id: str, backfill: bool,
                   notify: list[Callable[[], None]], timing: dict[str, float]) -> int:
        new = to_new_message(message, self.shop_id, buyer_id)
        # First start: what was written before we started is history, not work.
        backfill = backfill and new.created_at < int(self.started_at)
        actionable = new.sender == "buyer" and not backfill
        result = self.store.messages.add(new, pending=actionable, durable=False)
        stored = result.message
        if not result.created:
            if result.verified_now:  # a page claim, now confirmed
                notify.append(lambda: self.hooks.on_buyer_message(stored))
            return 0
        if actionable:
            self.arrivals.note(stored.shop_id, stored.message_id, timing)
            notify.append(lambda: self.hooks.on_buyer_message(stored))
        elif new.sender == "shop_manual" and not backfill:
            now = self.clock()
            ours = self.own.is_ours(new.conversation_id, new.message_id, new.text, now)
            if not ours and now - new.created_at <= self.takeover_window_s:
                notify.append(lambda: self.hooks.on_human_reply(stored))
        return 1


def _first_page(changed: int) -> int:
    """The next pass's first page: 3x what this pass found, within [15, 60].

    Polling back to back under load, a pass usually finds a handful of changed
    conversations; listing (and parsing, on both sides) 60 each time was the
    poll's main cost. A busier pass only costs one more list call.
    """
    return min(CONVERSATION_PAGE, max(FIRST_PAGE_MIN, 3 * changed))


def page_claim(
    shop_id: str,
    conversation_id: str,
    message_id: str,
    text: str,
    *,
    buyer_id: str = "",
    created_at: float | None = None,
    order_sn: str | None = None,
    item_id: str | None = None,
) -> NewMessage:
    """A message read from the Seller Centre page: a claim until the API confirms it."""
    return NewMessage(
        shop_id=str(shop_id),
        conversation_id=str(conversation_id),
        message_id=str(message_id),
        sender="buyer",
        created_at=time.time() if created_at is None else float(created_at),
        text=text,
        buyer_id=str(buyer_id),
        order_sn=order_sn,
        item_id=item_id,
        source="page",
        verified=False,
    )
