"""`Pipeline`: the running conversation pipeline and the operations people perform on it.

Built once per app (see `companion.pipeline.context`), it owns the pollers,
the processor, the sender and the push listener, and offers what the REST
routes and the overlay's WebSocket commands call: list conversations with
their latest decision, approve (optionally edited) and send a suggestion,
dismiss it, release a held conversation, set a per-intent automation
override, ingest a page-mode message, and KPIs. Failures are `PipelineError`
with a stable code and an HTTP status.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import re
import time
from collections.abc import Callable
from typing import Any

from companion.pipeline import events as ev
from companion.pipeline.config import PipelineConfig
from companion.pipeline.escalation import HOLDING_REPLIES
from companion.pipeline.events import EventBus
from companion.pipeline.ingest import Arrivals, ChatPoller, OwnSends, PollerHooks, page_claim
from companion.pipeline.names import BuyerNames
from companion.pipeline.policy import AutomationPolicy
from companion.pipeline.processor import Processor, ShopInfo
from companion.pipeline.restrictions import ChatLine, check_send
from companion.pipeline.sender import Sender, reply_key
from companion.shopee import ShopeeClient
from companion.shopee.errors import ShopeeError
from companion.store import Decision, NewDecision, NewOutboxEntry, OutboxEntry, Store
from companion.store.models import StoredMessage

log = logging.getLogger(__name__)

Clock = Callable[[], float]


# A template placeholder left in text a person edits would reach the buyer verbatim.
UNFILLED_PLACEHOLDER = re.compile(r"\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}")


class PipelineError(Exception):
    """An operation the caller asked for cannot be done; `code` is stable, `status` HTTP."""

    def __init__(self, code: str, message: str = "", status: int = 409) -> None:
        super().__init__(message or code)
        self.code = code
        self.message = message or code
        self.status = status


HOLDING_TEXTS = frozenset(HOLDING_REPLIES.values())


def manual_key(shop_id: str, message_id: str) -> str:
    return f"approved:{shop_id}:{message_id}"


class Pipeline:
    """Pollers + processor + sender for every shop of one connection."""

    def __init__(
        self,
        *,
        client: ShopeeClient,
        shops: dict[str, ShopInfo],
        store: Store,
        bus: EventBus,
        processor_factory: Callable[[Sender, Callable[[str], bool]], Processor],
        policy: AutomationPolicy,
        config: PipelineConfig,
        clock: Clock = time.time,
    ) -> None:
        self.client = client
        self.shops = shops
        self.store = store
        self.bus = bus
        self.policy = policy
        self.config = config
        self.clock = clock
        self.own = OwnSends()
        self.sender = Sender(client, store, self.own, on_sent=self._on_sent, clock=clock)
        self.processor = processor_factory(self.sender, self._chat_api)
        self.arrivals = Arrivals()
        self.processor.arrivals = self.arrivals
        hooks = PollerHooks(self._on_buyer_message, self._on_human_reply)
        self.pollers = {
            shop_id: ChatPoller(client, shop_id, store, hooks, self.own, timing=config.timing,
                                takeover_window_s=config.takeover_pause_s, clock=clock,
                                arrivals=self.arrivals)
            for shop_id in shops
        }
        self.names = BuyerNames()  # buyer usernames for the overlay (display only)
        for poller in self.pollers.values():
            poller.names = self.names
        self._tasks: list[asyncio.Task[None]] = []
        # manual key -> (its lock, approvals holding or waiting for it)
        self._approving: dict[str, tuple[asyncio.Lock, int]] = {}

    # --- lifecycle ------------------------------------------------------------------------------

    async def start(self) -> None:
        """Recover first (pending messages, interrupted sends), then start polling."""
        for message in self.store.messages.pending(limit=100_000):
            self.processor.submit(message)
        self._tasks.append(asyncio.create_task(self._resume_sends()))
        for poller in self.pollers.values():
            self._tasks.append(asyncio.create_task(poller.run()))

    async def _resume_sends(self) -> None:
        try:
            await self.sender.resume()
        except ShopeeError as exc:
            log.warning("resuming sends failed: %s", exc)

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        await self.processor.close()

    def hint(self, shop_id: str, conversation_id: str | None) -> None:
        """A push arrived: re-fetch (never act on push content)."""
        poller = self.pollers.get(str(shop_id))
        if poller is not None:
            poller.wake(conversation_id)

    # --- hooks ----------------------------------------------------------------------------------

    def _chat_api(self, shop_id: str) -> bool:
        poller = self.pollers.get(shop_id)
        return poller.chat_api if poller is not None else False

    def _on_buyer_message(self, message: StoredMessage) -> None:
        self.bus.publish(ev.MESSAGE_RECEIVED, {
            "shop_id": message.shop_id, "conversation_id": message.conversation_id,
            "message_id": message.message_id, "buyer_id": message.buyer_id,
            "buyer_name": self.names.get(message.shop_id, message.conversation_id),
            "text": message.text, "created_at": message.created_at, "source": message.source,
            "verified": message.verified})
        self.processor.submit(message)

    def _on_human_reply(self, message: StoredMessage) -> None:
        """A person answered from Seller Centre or the app: pause the bot, release any hold."""
        state = self.store.conversations.get(message.shop_id, message.conversation_id)
        until = self.clock() + self.config.takeover_pause_s
        self.store.conversations.put(dataclasses.replace(state, paused_until=until))
        log.info("conversation %s: a person answered; bot paused until %.0f",
                 message.conversation_id, until)
        if state.held:
            self._release(message.shop_id, message.conversation_id, by="seller_reply")

    def _on_sent(self, entry: OutboxEntry) -> None:
        self.bus.publish(ev.REPLY_SENT, {
            "shop_id": entry.shop_id, "conversation_id": entry.conversation_id,
            "message_id": entry.reply_to, "sent_message_id": entry.sent_message_id,
            "text": entry.text, "automatic": entry.kind == "auto",
            "endpoint": "send_autoreply_message" if entry.kind == "auto" else "send_message"})

    # --- operations -----------------------------------------------------------------------------

    def _shop(self, shop_id: str | None) -> str:
        if shop_id is None and len(self.shops) == 1:
            return next(iter(self.shops))
        if shop_id is None or str(shop_id) not in self.shops:
            raise PipelineError("unknown_shop", "shop_id is not one of the companion's shops", 422)
        return str(shop_id)

    def _decision(self, shop_id: str, conversation_id: str, message_id: str | None) -> Decision:
        if message_id:
            found = self.store.decisions.for_message(shop_id, message_id)
        else:
            found = next((d for d in self.store.decisions.recent(shop_id, limit=500)
                          if d.conversation_id == conversation_id), None)
        if found is None or found.conversation_id != conversation_id:
            raise PipelineError("not_found", "no decision for that message", 404)
        return found

    def conversations(self, shop_id: str | None = None, limit: int = 50) -> dict[str, Any]:
        """Conversations with their latest decision, newest first."""
        sid = None if shop_id is None else self._shop(shop_id)
        latest: dict[tuple[str, str], Decision] = {}
        for d in self.store.decisions.recent(sid, limit=limit * 10):
            latest.setdefault((d.shop_id, d.conversation_id), d)
            if len(latest) >= limit:
                break
        now = self.clock()
        items = []
        for (shop, conv), d in latest.items():
            state = self.store.conversations.get(shop, conv)
            items.append({
                "shop_id": shop, "conversation_id": conv, "buyer_id": state.buyer_id,
                "buyer_name": self.names.get(shop, conv),
                "held": state.held, "held_reason": state.held_reason,
                "paused": bool(state.paused_until and state.paused_until > now),
                "paused_until": state.paused_until,
                "latest_decision": decision_public(d),
            })
        return {"conversations": items}

    async def approve(self, shop_id: str | None, conversation_id: str, message_id: str | None,
                      text: str | None, by: str = "seller") -> dict[str, Any]:
        """A person sends a suggestion (edited or not) through send_message.

        One approval per message at a time: a second, concurrent one waits for the
        first and then gets its result (same text) or a 409 (another text).
        """
        sid = self._shop(shop_id)
        decision = self._decision(sid, conversation_id, message_id)
        body = (text if text is not None else decision.reply_text or "").strip()
        if not body:
            raise PipelineError("empty_reply", "there is no reply text to send", 422)
        hole = UNFILLED_PLACEHOLDER.search(body)
        if hole:
            raise PipelineError("unfilled_placeholder",
                                f"fill in {hole.group(0)} before sending: it would reach the buyer"
                                " as written", 422)
        key = manual_key(sid, decision.message_id)
        lock, waiting = self._approving.get(key, (asyncio.Lock(), 0))
        self._approving[key] = (lock, waiting + 1)
        try:
            async with lock:
                return await self._approve(sid, conversation_id, decision, body, by)
        finally:
            lock, waiting = self._approving[key]
            if waiting <= 1:
                del self._approving[key]
            else:
                self._approving[key] = (lock, waiting - 1)

    def _answered_already(self, sid: str, decision: Decision, body: str) -> dict[str, Any] | None:
        """The result of an earlier send to this message, or a 409 saying who answered."""
        done = self.store.outbox.get(manual_key(sid, decision.message_id))
        if done is not None and done.state == "sent":
            if done.text.strip() == body:  # approving twice sends once
                return {"sent": True, "message_id": decision.message_id,
                        "sent_message_id": done.sent_message_id, "text": done.text}
            raise PipelineError("already_answered",
                                "a person's reply to this message went out already")
        if done is not None and done.state in ("sending", "unknown"):
            raise PipelineError("already_answered",
                                "a person's reply to this message is being sent")
        auto = self.store.outbox.get(reply_key(sid, decision.message_id))
        if (auto is not None and auto.state in ("sent", "sending", "unknown")
                and not auto.payload.get("holding")  # "a person will answer" is no answer
                and auto.text not in HOLDING_TEXTS):
            raise PipelineError("already_answered", "an automatic reply went out already")
        return None

    async def _approve(self, sid: str, conversation_id: str, decision: Decision, body: str,
                       by: str) -> dict[str, Any]:
        earlier = self._answered_already(sid, decision, body)
        if earlier is not None:
            return earlier
        history = [ChatLine(m.sender == "buyer", m.text, m.created_at)
                   for m in self.store.messages.recent(sid, conversation_id)
                   if m.sender != "system"]
        verdict = check_send(body, history, self.clock())
        if not verdict.ok:
            raise PipelineError("send_restricted", verdict.reason, 422)
        if self.processor.caps.check(f"{sid}:{conversation_id}", self.clock(), automatic=False):
            raise PipelineError("rate_limited", "global send cap reached; try again soon", 429)
        self.processor.caps.record(f"{sid}:{conversation_id}", self.clock(), automatic=False)
        state = self.store.conversations.get(sid, conversation_id)
        outcome = await self.sender.send(NewOutboxEntry(
            key=manual_key(sid, decision.message_id), shop_id=sid,
            conversation_id=conversation_id, buyer_id=state.buyer_id or self._buyer_of(decision),
            text=body, kind="manual", reply_to=decision.message_id))
        if outcome.state in ("pending", "sending"):  # claimed elsewhere (another process)
            raise PipelineError("already_answered",
                                "a person's reply to this message is being sent")
        if not outcome.sent:
            raise PipelineError("send_failed", outcome.error or outcome.state, 502)
        if decision.intent and decision.reply_text:
            self.policy.record_outcome(
                decision.intent, "accepted" if body == decision.reply_text.strip() else "edited")
        if state.held:
            self._release(sid, conversation_id, by=by)
        return {"sent": True, "message_id": decision.message_id,
                "sent_message_id": outcome.entry.sent_message_id, "text": body}

    def _buyer_of(self, decision: Decision) -> str:
        message = self.store.messages.get(decision.shop_id, decision.message_id)
        return message.buyer_id if message else ""

    def dismiss(self, shop_id: str | None, conversation_id: str, message_id: str | None,
                by: str = "seller") -> dict[str, Any]:
        sid = self._shop(shop_id)
        decision = self._decision(sid, conversation_id, message_id)
        if decision.intent and decision.reply_text:
            self.policy.record_outcome(decision.intent, "dismissed")
        fields = {f.name: getattr(decision, f.name) for f in dataclasses.fields(NewDecision)}
        fields["reasons"] = [*decision.reasons, {"step": "person", "code": "dismissed", "by": by}]
        fields["action"] = "none" if decision.action == "suggest" else decision.action
        self.store.decisions.record(NewDecision(**fields))
        return {"dismissed": True, "message_id": decision.message_id}

    def release(self, shop_id: str | None, conversation_id: str,
                by: str = "seller") -> dict[str, Any]:
        sid = self._shop(shop_id)
        state = self.store.conversations.get(sid, conversation_id)
        if not state.held:
            raise PipelineError("not_held", "the conversation is not held")
        self._release(sid, conversation_id, by=by)
        return {"released": True, "conversation_id": conversation_id}

    def _release(self, shop_id: str, conversation_id: str, *, by: str) -> None:
        state = self.store.conversations.get(shop_id, conversation_id)
        self.store.conversations.put(dataclasses.replace(
            state, held=False, held_reason=None, held_since=None, holding_replies_sent=0,
            not_understood_streak=0, fingerprints=()))
        closed = self.store.escalations.resolve(shop_id, conversation_id, by=by)
        self.bus.publish(ev.ESCALATION_RESOLVED, {
            "shop_id": shop_id, "conversation_id": conversation_id, "by": by,
            "escalation_ids": [e.id for e in closed]})

    def ingest_page_message(self, shop_id: str | None, conversation_id: str, message_id: str,
                            text: str, *, buyer_id: str = "", buyer_name: str = "",
                            created_at: float | None = None) -> dict[str, Any]:
        """A message read from the Seller Centre page: stored as a claim, verified by the API."""
        sid = self._shop(shop_id)
        self.names.note(sid, conversation_id, buyer_name)
        result = self.store.messages.add(page_claim(
            sid, conversation_id, message_id, text, buyer_id=buyer_id, created_at=created_at))
        if result.created:
            self._on_buyer_message(result.message)
            if self._chat_api(sid):
                self.pollers[sid].wake(conversation_id)
        return {"stored": True, "duplicate": not result.created,
                "verified": result.message.verified}


def decision_public(d: Decision) -> dict[str, Any]:
    """A decision as the dashboard and overlay show it."""
    return {
        "message_id": d.message_id, "action": d.action, "intent": d.intent, "pillar": d.pillar,
        "confidence": d.confidence, "language": d.language, "negative": d.negative,
        "wants_human": d.wants_human, "understood": d.understood, "rule_id": d.rule_id,
        "reply": d.reply_text, "reasons": d.reasons, "data_used": d.data_used,
        "created_at": d.created_at,
    }
