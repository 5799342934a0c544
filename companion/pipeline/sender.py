"""Sending replies at most once, across crashes (issue 5 item 5; security.md A2, A3, A7).

The idempotency key (`reply:<shop>:<buyer message id>`) is stored in the
outbox before the API call and claimed (pending -> sending) durably, so a
crash between the call and its record can never lead to a second send. A
send whose outcome is unknown (timeout, ambiguous 5xx, or a crash while
`sending`) is checked against the conversation itself: if our text is there
it landed, if not it is sent again under the same key. Automatic replies go
out through `send_autoreply_message`, replies a person approved through
`send_message` (shopee-open-platform.md 0.3).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from companion.pipeline.ingest import OwnSends, text_fingerprint
from companion.shopee import ShopeeClient
from companion.shopee.errors import (
    DailyLimitError,
    RateLimitError,
    SendRestrictedError,
    ServerError,
    ShopeeError,
    TransportError,
    WriteOutcomeUnknownError,
)
from companion.store import NewMessage, NewOutboxEntry, OutboxEntry, Store

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 4
VERIFY_DELAY_S = 0.5
VERIFY_PAGE = 50
Clock = Callable[[], float]
SentHook = Callable[[OutboxEntry], None]


@dataclass(frozen=True, slots=True)
class SendOutcome:
    """`state` is the outbox state after the attempt; `error` names a refusal."""

    state: str
    entry: OutboxEntry
    error: str = ""

    @property
    def sent(self) -> bool:
        return self.state == "sent"


class Prepared(NamedTuple):
    """A stored outbox entry and, when this caller claimed it, the claimed row."""

    entry: OutboxEntry
    claimed: OutboxEntry | None


def reply_key(shop_id: str, message_id: str) -> str:
    return f"reply:{shop_id}:{message_id}"


class Sender:
    """Outbox-backed sends for every shop on one client."""

    def __init__(
        self,
        client: ShopeeClient,
        store: Store,
        own: OwnSends,
        *,
        on_sent: SentHook | None = None,
        clock: Clock = time.time,
        verify_delay_s: float = VERIFY_DELAY_S,
    ) -> None:
        self.client = client
        self.store = store
        self.own = own
        self.on_sent = on_sent
        self.clock = clock
        self.verify_delay_s = verify_delay_s

    async def send(self, new: NewOutboxEntry, *,
                   also: Callable[[], None] | None = None) -> SendOutcome:
        """Persist the intent, claim it, call the API once, record what happened.

        `also` runs inside the commit that records a confirmed send (the processor
        marks the buyer message processed there: one commit fewer per reply).
        """
        with self.store.transaction():  # key stored and claimed in one commit ...
            prepared = self.prepare(new)
        return await self.deliver(prepared, also=also)

    def prepare(self, new: NewOutboxEntry) -> Prepared:
        """Store the key and claim it (pending -> sending), not yet durable.

        Call inside a `store.transaction()` (the processor joins it to the commit
        that records its decision), then `deliver`, which syncs before the call.
        """
        entry, _created = self.store.outbox.enqueue(new, durable=False)
        if entry.state != "pending":
            return Prepared(entry, None)
        return Prepared(entry, self.store.outbox.claim(entry.key, durable=False))

    async def deliver(self, prepared: Prepared, *,
                      also: Callable[[], None] | None = None) -> SendOutcome:
        """Make the claim durable (group fsync), then call the API once."""
        entry, claimed = prepared
        if claimed is None and entry.state != "pending":
            return SendOutcome(entry.state, entry, entry.error or "")
        await self.store.sync()  # ... on disk before the call (one fsync shared by a burst)
        return await self._call(entry, claimed, also)

    async def _attempt(self, entry: OutboxEntry) -> SendOutcome:
        return await self._call(entry, self.store.outbox.claim(entry.key))

    async def _call(self, entry: OutboxEntry, claimed: OutboxEntry | None,
                    also: Callable[[], None] | None = None) -> SendOutcome:
        if claimed is None:  # someone else holds it, or it is no longer pending
            current = self.store.outbox.get(entry.key) or entry
            return SendOutcome(current.state, current)
        self.own.expect(claimed.conversation_id, claimed.text, self.clock())
        call_at, started = time.time(), time.perf_counter()
        try:
            if claimed.kind == "auto":
                sent = await self.client.send_autoreply_message(
                    claimed.shop_id, claimed.buyer_id, claimed.text
                )
            else:
                sent = await self.client.send_text(claimed.shop_id, claimed.buyer_id, claimed.text)
        except SendRestrictedError as exc:
            return self._failed(claimed, exc.reason, retry=False)
        except (RateLimitError, DailyLimitError, ServerError, TransportError) as exc:
            # Nothing landed (the session raises these for writes only when clearly refused).
            retry = claimed.attempts < MAX_ATTEMPTS
            return self._failed(claimed, getattr(exc, "error", type(exc).__name__), retry=retry)
        except WriteOutcomeUnknownError as exc:
            unknown = self.store.outbox.mark_unknown(claimed.key, str(exc))
            return await self.settle_unknown(unknown)
        except ShopeeError as exc:
            return self._failed(claimed, getattr(exc, "error", type(exc).__name__), retry=False)
        except ValueError as exc:  # refused locally (empty text)
            return self._failed(claimed, str(exc), retry=False)
        timing = {"call_at": call_at, "call_ms": round((time.perf_counter() - started) * 1000, 2)}
        return SendOutcome("sent", self._record_sent(claimed, sent.message_id, timing, also))

    def _failed(self, entry: OutboxEntry, error: str, *, retry: bool) -> SendOutcome:
        log.info("send %s refused: %s%s", entry.key, error, " (will retry)" if retry else "")
        stored = self.store.outbox.mark_failed(entry.key, error, retry=retry)
        return SendOutcome(stored.state, stored, error)

    def _record_sent(self, entry: OutboxEntry, message_id: str | None,
                     timing: dict[str, float] | None = None,
                     also: Callable[[], None] | None = None) -> OutboxEntry:
        """The API confirmed it: outbox sent, and our message in the chat log (for the KPIs)."""
        now = self.clock()
        with self.store.transaction():
            if entry.state == "sending":
                entry = self.store.outbox.mark_sent(entry.key, message_id, note=timing)
            if message_id:
                self.store.messages.add(
                    NewMessage(
                        shop_id=entry.shop_id,
                        conversation_id=entry.conversation_id,
                        message_id=message_id,
                        sender="shop_auto" if entry.kind == "auto" else "shop_manual",
                        created_at=now,
                        text=entry.text,
                        buyer_id=entry.buyer_id,
                        source="outbox",
                    ),
                    pending=False,
                    durable=False,
                )
            self.own.sent(message_id, now)
            if self.on_sent is not None:  # its event is written in the same commit
                self.on_sent(entry)
            if also is not None:
                also()
        return entry

    async def settle_unknown(self, entry: OutboxEntry) -> SendOutcome:
        """Did an ambiguous send land? Look in the conversation; resend only if it is not there."""
        await asyncio.sleep(self.verify_delay_s)
        try:
            landed_id = await self._find_in_conversation(entry)
        except ShopeeError as exc:
            log.warning("send %s: outcome unknown and not verifiable now: %s", entry.key, exc)
            return SendOutcome("unknown", entry, "unverified")
        if landed_id is not None:
            resolved = self.store.outbox.resolve(entry.key, landed=True, by="pipeline:verified")
            self.own.sent(landed_id, self.clock())
            log.info("send %s: found in the conversation, not sending again", entry.key)
            if self.on_sent is not None:
                self.on_sent(resolved)
            return SendOutcome("sent", resolved)
        if entry.attempts >= MAX_ATTEMPTS:
            return SendOutcome("unknown", entry, "gave_up")
        again = self.store.outbox.resolve(entry.key, landed=False, by="pipeline:verified")
        log.info("send %s: verified absent, sending again under the same key", entry.key)
        return await self._attempt(again)

    async def _find_in_conversation(self, entry: OutboxEntry) -> str | None:
        page = await self.client.get_message(
            entry.shop_id, entry.conversation_id, page_size=VERIFY_PAGE
        )
        fp = text_fingerprint(entry.text)
        for message in page.messages:
            from_buyer = message.from_id == entry.buyer_id
            if (not from_buyer and message.text is not None
                    and text_fingerprint(message.text) == fp
                    and message.created_timestamp >= int(entry.created_at) - 5):
                return message.message_id
        return None

    async def resume(self) -> list[SendOutcome]:
        """After a restart or a pause: settle interrupted sends, then send what is pending."""
        outcomes = []
        for entry in self.store.outbox.by_state("unknown"):
            if entry.attempts < MAX_ATTEMPTS:
                outcomes.append(await self.settle_unknown(entry))
        for entry in self.store.outbox.by_state("pending"):
            outcomes.append(await self._attempt(entry))
        return outcomes
