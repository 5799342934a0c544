"""Processing one buyer message end to end, conversations in parallel, each in order.

For each stored buyer message: classify, gather live facts (bounded by a
timeout; missing data degrades to a suggestion), match the rules, check the
escalation triggers, apply the mode and intent policy and Shopee's send rules
(`decide.resolve`), record the decision with its reasons, then act: send
through the outbox, suggest, or escalate and hold. Only then is the message
marked processed, so a crash at any point means it is processed again after
the restart; a decision already recorded is replayed instead of re-decided,
and the outbox key stops a second send.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from companion.nlu import INTENTS, Understanding
from companion.pipeline import events as ev
from companion.pipeline.caps import ReplyCaps
from companion.pipeline.config import PipelineConfig
from companion.pipeline.decide import Gates, Outcome, resolve
from companion.pipeline.escalation import (
    escalation_reasons,
    holding_reply,
    question_fingerprint,
    same_question_count,
)
from companion.pipeline.events import EventBus
from companion.pipeline.ingest import Arrivals
from companion.pipeline.livedata import needed_facts
from companion.pipeline.policy import AutomationPolicy
from companion.pipeline.restrictions import ChatLine, check_send
from companion.pipeline.sender import Prepared, Sender, reply_key
from companion.rules.engine import Decision as RuleDecision
from companion.rules.engine import RuleSet, evaluate
from companion.rules.facts import Facts, ShopFacts
from companion.rules.language import choose_reply_language
from companion.store import ConversationState, NewDecision, NewOutboxEntry, Store, StoredMessage

log = logging.getLogger(__name__)

MAX_FINGERPRINTS = 20
Clock = Callable[[], float]


class ShopInfo(Protocol):
    shop_id: str
    region: str
    name: str

    @property
    def auto_reply_endpoint(self) -> bool: ...


class Understands(Protocol):
    def understand(self, text: str) -> Understanding: ...


class AutoModes(Protocol):
    def is_auto(self, shop_id: str) -> bool: ...


FactsGatherer = Callable[[ShopInfo, StoredMessage, Understanding, frozenset[str] | None],
                        Awaitable[Facts]]


def not_understood(text: str) -> Understanding:
    """What a message without text (sticker, image) counts as."""
    return Understanding("other", INTENTS["other"], 0.0, "", False, False, False)


class Processor:
    """Decides and acts on buyer messages; one ordered lane per conversation."""

    def __init__(
        self,
        *,
        store: Store,
        bus: EventBus,
        understander: Understands,
        rules: Callable[[], RuleSet],
        gather: FactsGatherer,
        sender: Sender,
        policy: AutomationPolicy,
        modes: AutoModes,
        shops: dict[str, ShopInfo],
        chat_api: Callable[[str], bool],
        config: PipelineConfig | None = None,
        clock: Clock = time.time,
    ) -> None:
        self.store = store
        self.bus = bus
        self.understander = understander
        self.rules = rules
        self.gather = gather
        self.sender = sender
        self.policy = policy
        self.modes = modes
        self.shops = shops
        self.chat_api = chat_api
        self.config = config or PipelineConfig()
        self.clock = clock
        self.caps = ReplyCaps(self.config.caps)
        self._lanes: dict[tuple[str, str], list[StoredMessage]] = {}
        self._workers: dict[tuple[str, str], asyncio.Task[None]] = {}
        self._queued: set[tuple[str, str]] = set()
        self._gate = asyncio.Semaphore(self.config.max_concurrency)
        self._needs_of: tuple[RuleSet | None, dict[str, frozenset[str]]] = (None, {})
        self.processed = 0
        self.arrivals = Arrivals()  # the pipeline shares its pollers' (benchmark timings)

    # --- lanes ----------------------------------------------------------------------------------

    def submit(self, message: StoredMessage) -> None:
        """Queue a stored message on its conversation's lane (ignored if already queued)."""
        ident = (message.shop_id, message.message_id)
        if ident in self._queued:
            return
        self._queued.add(ident)
        lane_key = (message.shop_id, message.conversation_id)
        self._lanes.setdefault(lane_key, []).append(message)
        if lane_key not in self._workers:
            self._workers[lane_key] = asyncio.create_task(self._drain(lane_key))

    async def _drain(self, lane_key: tuple[str, str]) -> None:
        try:
            while self._lanes.get(lane_key):
                message = self._lanes[lane_key].pop(0)
                try:
                    async with self._gate:
                        await self.process(message)
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("processing %s failed; it stays pending", message.message_id)
                finally:
                    self._queued.discard((message.shop_id, message.message_id))
        finally:
            self._lanes.pop(lane_key, None)
            self._workers.pop(lane_key, None)

    def busy(self) -> bool:
        return bool(self._workers)

    async def close(self) -> None:
        workers = list(self._workers.values())
        for task in workers:
            task.cancel()
        for task in workers:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    # --- one message ----------------------------------------------------------------------------

    async def process(self, message: StoredMessage) -> None:
        """Decide (or replay the recorded decision) and act, then mark the message processed."""
        if message.sender != "buyer":
            self.store.messages.mark_processed(message.shop_id, message.message_id)
            return
        if not message.verified and self.chat_api(message.shop_id):
            # A page claim while the chat API works: the API's copy is what gets processed.
            self.store.messages.mark_processed(message.shop_id, message.message_id)
            return
        shop = self.shops.get(message.shop_id)
        if shop is None:
            log.warning("message for unknown shop %s left pending", message.shop_id)
            return
        arrival = self.arrivals.take(message.shop_id, message.message_id)
        recorded = self.store.decisions.for_message(message.shop_id, message.message_id)
        marked = False
        if recorded is not None:
            await self._replay(shop, message, recorded.action, recorded.reply_text)
        else:
            marked = await self._decide_and_act(shop, message, arrival)
        if not marked:
            self.store.messages.mark_processed(message.shop_id, message.message_id)
        self.processed += 1

    async def _replay(self, shop: ShopInfo, message: StoredMessage, action: str,
                      reply: str | None) -> None:
        """After a crash: finish what the recorded decision started, without deciding again."""
        if action == "auto_reply" and reply:
            await self._send(shop, message, reply, kind="auto")
        elif action == "escalate":
            state = self.store.conversations.get(message.shop_id, message.conversation_id)
            if not state.held:
                self._hold(state, message, "recovered", ("recovered",))

    async def _decide_and_act(self, shop: ShopInfo, message: StoredMessage,
                              arrival: dict[str, float] | None = None) -> bool:
        """Decide, record and act; True when the message was marked processed along the way.

        An automatic reply costs two commits: the decision with its outbox key
        claimed, then the confirmed send with the message marked processed.
        """
        started = self.clock()
        text = message.text or ""
        understanding = self.understander.understand(text) if text.strip() \
            else not_understood(text)
        state = self.store.conversations.get(message.shop_id, message.conversation_id)
        state, same = self._remember_question(state, message, understanding, started)
        facts, facts_ms = await self._facts(shop, message, understanding,
                                            self._needs(understanding.intent))
        decision = evaluate(self.rules(), understanding, text, facts)
        rule_escalates = decision.action == "escalate"
        # An escalate rule's own text is the holding reply (the generic one when it has none).
        reply = (decision.reply or self._generic_holding(shop, message, state, understanding)
                 if rule_escalates else decision.reply)
        triggers = escalation_reasons(
            understanding, text, rule_escalates=rule_escalates,
            not_understood_streak=state.not_understood_streak, same_question=same,
            policy=self.config.escalation,
        )
        gates = dataclasses.replace(
            self._gates(shop, message, understanding, state, triggers, reply),
            language_supported=decision.language_supported)
        outcome = resolve(decision.action, reply, decision.fallback_reason,
                          decision.shadow, gates)
        timing = {"facts_ms": round(facts_ms, 1),
                  "decide_ms": round((self.clock() - started) * 1000 - facts_ms, 1)}
        sends = outcome.action == "auto_reply" and bool(outcome.reply)
        prepared: Prepared | None = None
        # One commit: classification event, decision, state and, for a reply, its outbox key
        # claimed (made durable by the sender's group fsync before the API call).
        with self.store.transaction():
            self.bus.publish(ev.CHAT_CLASSIFIED, _classified(message, understanding))
            self._record(message, understanding, decision, outcome, timing)
            self.store.conversations.put(state)
            if sends:
                prepared = self._prepare(shop, message, outcome.reply or "", kind="auto",
                                         timing={**(arrival or {}),
                                                 "facts_ms": round(facts_ms, 2)})
        if prepared is not None:
            marked: list[bool] = []

            def mark() -> None:  # in the commit that records the confirmed send
                marked.append(self.store.messages.mark_processed(message.shop_id,
                                                                 message.message_id))

            result = await self.sender.deliver(prepared, also=mark)
            if not result.sent:
                self._downgrade(message, "send_failed")
            return bool(marked)
        await self._act(shop, message, understanding, state, outcome,
                        holding=outcome.reply if rule_escalates else None)
        return False

    def _needs(self, intent: str) -> frozenset[str]:
        """What live data the rules that could match need, per rule set (rebuilt on change)."""
        rules = self.rules()
        if self._needs_of[0] is not rules:
            self._needs_of = (rules, {})
        by_intent = self._needs_of[1]
        if intent not in by_intent:
            by_intent[intent] = needed_facts(rules, intent)
        return by_intent[intent]

    def _remember_question(
        self, state: ConversationState, message: StoredMessage, u: Understanding, now: float
    ) -> tuple[ConversationState, int]:
        window = self.config.escalation.same_question_window_s
        fp = question_fingerprint(u, message.text or "")
        same = same_question_count(fp, state.fingerprints, now, window)
        recent = [f for f in state.fingerprints if now - f[1] <= window][-MAX_FINGERPRINTS + 1:]
        streak = 0 if u.understood else state.not_understood_streak + 1
        state = dataclasses.replace(
            state, buyer_id=message.buyer_id or state.buyer_id, language=u.language or
            state.language, not_understood_streak=streak, fingerprints=(*recent, (fp, now)),
        )
        return state, same

    async def _facts(self, shop: ShopInfo, message: StoredMessage, u: Understanding,
                     needs: frozenset[str] | None = None) -> tuple[Facts, float]:
        """Live data with a deadline; on timeout or error the facts are empty (never guessed).

        `needs`: the placeholders the candidate rules use (None: all); the gatherer skips
        calls nothing needs (the tracking history, for one)."""
        started = time.perf_counter()
        try:
            facts = await asyncio.wait_for(self.gather(shop, message, u, needs),
                                           self.config.facts_timeout_s)
        except Exception as exc:  # any failure here only means "no live data"
            log.info("facts for %s unavailable: %s", message.message_id, exc)
            facts = Facts(shop=ShopFacts.for_region(shop.shop_id, shop.region, shop.name),
                          notes=(f"live data unavailable: {type(exc).__name__}",))
        return facts, (time.perf_counter() - started) * 1000

    def _gates(self, shop: ShopInfo, message: StoredMessage, u: Understanding,
               state: ConversationState, triggers: list[str], reply: str | None) -> Gates:
        now = self.clock()
        status = self.policy.status(u.intent)
        restriction = ""
        if reply:
            restriction = self._restriction(message, reply, now)
        return Gates(
            held=state.held,
            escalate_for=tuple(triggers),
            paused=bool(state.paused_until and state.paused_until > now),
            auto_mode=self.modes.is_auto(shop.shop_id),
            autoreply_endpoint=shop.auto_reply_endpoint,
            intent_eligible=status.auto_eligible,
            intent_why=status.why,
            understood=u.understood,
            verified=message.verified,
            restriction=restriction,
            cap=self.caps.check(f"{message.shop_id}:{message.conversation_id}", now),
        )

    def _restriction(self, message: StoredMessage, text: str, now: float) -> str:
        history = [
            ChatLine(sender == "buyer", text, at)
            for sender, text, at in self.store.messages.lines(message.shop_id,
                                                              message.conversation_id)
            if sender != "system"
        ]
        verdict = check_send(text, history, now)
        return "" if verdict.ok else verdict.reason

    def _record(self, message: StoredMessage, u: Understanding, decision: RuleDecision,
                outcome: Outcome, timing: dict[str, float]) -> None:
        reasons: list[Any] = [
            {"step": "nlu", "intent": u.intent, "confidence": round(u.confidence, 3),
             "understood": u.understood, "negative": u.negative, "wants_human": u.wants_human},
            *({"step": "rule", **r.model_dump(mode="json")} for r in decision.reasons
              if r.matched),
            *outcome.reasons,
        ]
        if decision.fallback_reason:
            reasons.append({"step": "rule", "fallback": decision.fallback_reason})
        self.store.decisions.record(NewDecision(
            shop_id=message.shop_id, conversation_id=message.conversation_id,
            message_id=message.message_id, action=outcome.action, intent=u.intent,
            pillar=u.pillar, confidence=u.confidence, language=u.language, negative=u.negative,
            wants_human=u.wants_human, understood=u.understood, entities=u.entities.as_dict(),
            rule_id=decision.rule_id, reply_text=outcome.reply, reasons=reasons,
            data_used={**decision.data_used, "timing": timing},
        ))

    # --- acting ---------------------------------------------------------------------------------

    async def _act(self, shop: ShopInfo, message: StoredMessage, u: Understanding,
                   state: ConversationState, outcome: Outcome,
                   timing: dict[str, float] | None = None, holding: str | None = None) -> None:
        """`holding`: the escalate rule's holding text (None: the generic one, no draft)."""
        if outcome.action == "escalate":
            state = self._hold(state, message, outcome.escalate_for[0], outcome.escalate_for)
            await self._holding_reply(shop, message, state, u, holding)
        elif outcome.action == "auto_reply" and outcome.reply:
            sent = await self._send(shop, message, outcome.reply, kind="auto", timing=timing)
            if not sent:
                self._downgrade(message, "send_failed")
        if outcome.action == "suggest" and outcome.reply:
            self.bus.publish(ev.REPLY_SUGGESTED, {**_ids(message), "intent": u.intent,
                                                  "reply": outcome.reply,
                                                  "why": outcome.reasons[-1]["code"]})

    async def _send(self, shop: ShopInfo, message: StoredMessage, text: str, *,
                    kind: str, timing: dict[str, float] | None = None,
                    holding: bool = False) -> bool:
        with self.store.transaction():
            prepared = self._prepare(shop, message, text, kind=kind, timing=timing,
                                     holding=holding)
        return (await self.sender.deliver(prepared)).sent

    def _prepare(self, shop: ShopInfo, message: StoredMessage, text: str, *,
                 kind: str, timing: dict[str, float] | None = None,
                 holding: bool = False) -> Prepared:
        """Count the send against the caps, store and claim its outbox key (caller's commit)."""
        conv_key = f"{message.shop_id}:{message.conversation_id}"
        self.caps.record(conv_key, self.clock(), automatic=kind == "auto")
        return self.sender.prepare(NewOutboxEntry(
            key=reply_key(message.shop_id, message.message_id), shop_id=message.shop_id,
            conversation_id=message.conversation_id, buyer_id=message.buyer_id, text=text,
            kind=kind, reply_to=message.message_id,  # type: ignore[arg-type]
            # For the benchmark: when the message was listed and stored, the API time it took
            # (list, fetch, live data; the sender adds the send call's), when it was queued.
            payload={"received_at": message.received_at, "queued_at": time.time(),
                     "facts_ms": 0.0, **(timing or {}),
                     # "a person will answer": no answer, a person may still reply.
                     **({"holding": True} if holding else {})},
        ))

    def _downgrade(self, message: StoredMessage, why: str) -> None:
        """The automatic send did not happen: keep the reply as a suggestion for a person."""
        recorded = self.store.decisions.for_message(message.shop_id, message.message_id)
        if recorded is None:
            return
        fields = {f.name: getattr(recorded, f.name) for f in dataclasses.fields(NewDecision)
                  if hasattr(recorded, f.name)}
        fields.update(action="suggest", reasons=[*recorded.reasons,
                                                 {"step": "send", "code": why}])
        self.store.decisions.record(NewDecision(**fields))
        self.bus.publish(ev.REPLY_SUGGESTED, {**_ids(message), "intent": recorded.intent,
                                              "reply": recorded.reply_text, "why": why})

    def _hold(self, state: ConversationState, message: StoredMessage, reason: str,
              triggers: tuple[str, ...]) -> ConversationState:
        now = self.clock()
        escalation = self.store.escalations.raise_(
            message.shop_id, message.conversation_id, reason, message_id=message.message_id,
            detail=",".join(triggers), at=now)
        state = self.store.conversations.put(dataclasses.replace(
            state, held=True, held_reason=reason, held_since=now, holding_replies_sent=0))
        self.bus.publish(ev.ESCALATION_RAISED, {**_ids(message), "escalation_id": escalation.id,
                                                "reason": reason, "triggers": list(triggers)})
        return state

    def _generic_holding(self, shop: ShopInfo, message: StoredMessage,
                         state: ConversationState, u: Understanding) -> str:
        """The built-in "a person will answer" text, in the buyer's language."""
        shop_facts = ShopFacts.for_region(shop.shop_id, shop.region, shop.name)
        choice = choose_reply_language(u.language or state.language or "", message.text or "",
                                       shop_facts)
        return holding_reply(choice.language, shop_facts.default_language)

    async def _holding_reply(self, shop: ShopInfo, message: StoredMessage,
                             state: ConversationState, u: Understanding,
                             rule_text: str | None = None) -> None:
        """At most `holding_replies` automatic "a person will answer" messages per hold.

        `rule_text` (the escalate rule's) is sent instead of the generic text; where it
        may not go out automatically it stays the person's draft."""
        text = rule_text or self._generic_holding(shop, message, state, u)
        limit = self.config.escalation.holding_replies
        why = ("holding_reply_limit" if state.holding_replies_sent >= limit
               else "auto_mode_off" if not self.modes.is_auto(shop.shop_id)
               else "no_autoreply_endpoint" if not shop.auto_reply_endpoint
               else "send_restriction" if self._restriction(message, text, self.clock())
               else "")
        if why:
            if rule_text:
                self.bus.publish(ev.REPLY_SUGGESTED, {**_ids(message), "intent": u.intent,
                                                      "reply": rule_text, "why": why})
            return
        self.store.conversations.put(dataclasses.replace(
            state, holding_replies_sent=state.holding_replies_sent + 1))
        await self._send(shop, message, text, kind="auto", holding=True)


def _ids(message: StoredMessage) -> dict[str, Any]:
    return {"shop_id": message.shop_id, "conversation_id": message.conversation_id,
            "message_id": message.message_id, "buyer_id": message.buyer_id}


def _classified(message: StoredMessage, u: Understanding) -> dict[str, Any]:
    return {**_ids(message), "intent": u.intent, "pillar": u.pillar,
            "confidence": round(u.confidence, 3), "language": u.language,
            "negative": u.negative, "wants_human": u.wants_human, "understood": u.understood}
