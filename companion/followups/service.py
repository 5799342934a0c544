"""`FollowupService`: watch orders, plan, decide at the due moment, send or queue, measure.

One `tick()` does a full round: poll each shop's orders (or the ones a push
named), schedule what the transitions call for, evaluate every due follow-up
against `policy.decide` with live facts, then check sent follow-ups for buyer
replies. `run()` repeats it on an interval and wakes early on a push hint.
Person-approved sends (`send_queued`) re-check the hard blocks and Shopee's
send restrictions first.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from companion.followups import plans, policy
from companion.followups.chat import BuyerChat, Thread
from companion.followups.db import Clock, FollowupDB
from companion.followups.markets import (
    guess_language,
    in_quiet_hours,
    local_day_start,
    market_zone,
    quiet_hours_end,
)
from companion.followups.plans import (
    DELAY,
    PROMOTIONAL,
    REPURCHASE,
    REVIEW,
    ShopSettings,
    VoucherError,
    VoucherMaker,
    VoucherSpec,
)
from companion.followups.schedule import MISSED_WINDOW, Followup, Schedule
from companion.followups.stopwords import asked_to_stop
from companion.followups.templates import TemplateHoleError, pick, render
from companion.followups.watch import OrderWatcher, Transition
from companion.shopee.client import ShopeeClient
from companion.shopee.errors import (
    ShopeeAPIError,
    ShopeeError,
    TransportError,
    WriteOutcomeUnknownError,
)
from companion.shopee.models import Order

log = logging.getLogger(__name__)

DAY = 86400.0
ORDER_WINDOW_S = 30 * DAY
REPLY_WINDOW_S = 7 * DAY
REPURCHASE_WINDOW_S = 30 * DAY
RETRY_S = 15 * 60
VOUCHER_RETRY_S = 3600
MAX_STALL_WAIT_S = 30 * DAY
RETURNS_TTL_S = 600
OPEN_RETURN_STATUSES = frozenset({"REQUESTED", "ACCEPTED", "PROCESSING", "JUDGING",
                                  "SELLER_DISPUTE"})
LEFT_PATH = {"TO_RETURN": "order_to_return", "CANCELLED": "order_cancelled",
             "IN_CANCEL": "order_in_cancel"}
FITS = {REVIEW: ("TO_CONFIRM_RECEIVE", "COMPLETED"), REPURCHASE: ("COMPLETED",),
        DELAY: ("SHIPPED",)}
PLACEHOLDER_CODE = "XXXXX"


class ShopLike(Protocol):
    shop_id: str
    region: str
    name: str

    @property
    def auto_reply_endpoint(self) -> bool: ...


class FollowupError(Exception):
    """A person's action that cannot be done; `status` and `code` map to the REST error."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass(slots=True)
class TickReport:
    transitions: int = 0
    scheduled: int = 0
    evaluated: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Live:
    """Facts gathered once per follow-up evaluation."""

    thread: Thread
    order: Order | None
    language: str
    recent_order: bool
    open_return: bool
    opted_out: bool
    escalated: bool


def _no_auto(_shop_id: str) -> str | None:
    return policy.AUTO_OFF


class FollowupService:
    """The follow-up engine for the companion's shops (see the module docstring)."""

    def __init__(self, *, client: ShopeeClient, shops: Mapping[str, ShopLike], db: FollowupDB,
                 clock: Clock, store: Any | None = None,
                 auto_blocker: Callable[[str], str | None] = _no_auto,
                 publish: Callable[[str, dict[str, Any]], Any] | None = None,
                 first_lookback_s: float = 31 * DAY) -> None:
        self.client = client
        self.shops = dict(shops)
        self.db = db
        self.clock = clock
        self.store = store
        self.auto_blocker = auto_blocker
        self.publish = publish
        self.schedule = Schedule(db, clock)
        self.watcher = OrderWatcher(client, db, clock, first_lookback_s=first_lookback_s)
        self.chat = BuyerChat(client, db, clock)
        self.vouchers = VoucherMaker(client, db, clock)
        self.recovered = self.schedule.recover()
        self._hinted_orders: dict[str, set[str]] = {}
        self._returns: dict[str, tuple[float, frozenset[str]]] = {}
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()

    # --- settings ----------------------------------------------------------------------------

    def settings(self, shop_id: str) -> ShopSettings:
        return plans.load_settings(self.db, shop_id)

    def update_settings(self, shop_id: str, patch: dict[str, Any]) -> ShopSettings:
        """Validate and store a partial update; waiting follow-ups follow edited delays."""
        before = self.settings(shop_id)
        after = plans.merge_settings(before, patch)
        plans.save_settings(self.db, shop_id, after)
        catch_up = after.catch_up_hours * 3600
        for name in plans.PLANS:
            if after.plan(name).delay_hours != before.plan(name).delay_hours or \
                    after.catch_up_hours != before.catch_up_hours:
                self.schedule.reschedule_plan(shop_id, name, after.plan(name).delay_hours * 3600,
                                              catch_up)
        return after

    # --- hints and the loop ------------------------------------------------------------------

    def hint(self, shop_id: str, conversation_id: str | None = None) -> None:
        """A push arrived for the shop: poll soon (the push body itself is never trusted)."""
        del conversation_id
        self._hinted_orders.setdefault(str(shop_id), set())
        self._wake.set()

    def hint_orders(self, shop_id: str, order_sns: list[str]) -> None:
        """An order-status push named these orders: re-fetch them on the next round."""
        self._hinted_orders.setdefault(str(shop_id), set()).update(order_sns)
        self._wake.set()

    async def run(self, interval_s: float = 300.0, first_delay_s: float = 2.0) -> None:
        """Tick forever: every `interval_s`, or sooner after a hint. Cancel to stop."""
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._wake.wait(), first_delay_s)
        while True:
            self._wake.clear()
            try:
                await self.tick()
            except Exception:  # one bad round must not end follow-ups for good
                log.exception("follow-up round failed")
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._wake.wait(), interval_s)

    async def tick(self) -> TickReport:
        """One full round (serialised: a hint during a round waits for it)."""
        async with self._lock:
            report = TickReport()
            hinted, self._hinted_orders = self._hinted_orders, {}
            for shop_id in self.shops:
                first_look = self.watcher.watermark(shop_id) is None
                try:
                    changes = await self.watcher.poll(shop_id)
                    if hinted.get(shop_id):
                        changes += await self.watcher.refresh(shop_id, sorted(hinted[shop_id]))
                except ShopeeError as exc:
                    report.errors.append(f"{shop_id}: {type(exc).__name__}")
                    log.warning("order watch failed for shop %s: %s", shop_id, exc)
                    continue
                report.transitions += len(changes)
                report.scheduled += self._plan(changes, first_look)
            report.evaluated = await self.process_due()
            await self.track_outcomes()
            return report

    def _plan(self, changes: list[Transition], first_look: bool = False) -> int:
        """Schedule what transitions call for; the very first look at a shop only takes
        what is still inside its catch-up window (older history is not "missed")."""
        added = 0
        now = self.clock()
        for change in changes:
            settings = self.settings(change.shop_id)
            if change.status in LEFT_PATH:
                self.schedule.skip_order(change.shop_id, change.order_sn, LEFT_PATH[change.status])
            if change.previous is None and change.buyer_id:
                self.schedule.mark_repurchase(change.shop_id, change.buyer_id, change.order_sn,
                                              float(change.create_time), REPURCHASE_WINDOW_S)
            planned = plans.plan_for(change.status, change.shop_id, change.order_sn,
                                     change.buyer_id, float(change.at), settings)
            catch_up = settings.catch_up_hours * 3600
            if planned is not None and not (first_look and planned.due_at + catch_up < now):
                row = self.schedule.add(planned, catch_up)
                if row is not None:
                    added += 1
                    self._event("followup.scheduled", row)
        return added

    # --- evaluation at the due moment ---------------------------------------------------------

    async def process_due(self) -> int:
        count = 0
        for followup in self.schedule.due():
            count += 1
            try:
                await self._evaluate(followup)
            except ShopeeError as exc:
                reason = f"shopee_unavailable:{type(exc).__name__}"
                log.warning("follow-up %d: %s", followup.id, exc)
                self.schedule.wait(followup.id, self.clock() + RETRY_S, reason)
        return count

    async def _evaluate(self, f: Followup) -> None:
        now = self.clock()
        shop = self.shops.get(f.shop_id)
        if shop is None:
            self._skip(f, "unknown_shop")
            return
        settings = self.settings(f.shop_id)
        plan = settings.plan(f.plan)
        if now > f.expires_at:
            self._skip(f, MISSED_WINDOW)
            return
        if not plan.enabled:
            self._skip(f, "plan_disabled")
            return
        order = await self.client.get_order(f.shop_id, f.order_sn)
        problem = self._order_problem(f, order)
        if (problem is None and f.plan == DELAY and order is not None
                and await self._tracking_moves(f, order, plan.delay_hours * 3600, settings)):
            return
        live = await self._gather(f, shop, order)
        values = self._values(f, shop, order, settings, None)
        try:
            language, text = self._text(plan.templates, live.language, values)
        except TemplateHoleError:
            self._skip(f, "template_hole")
            return
        facts = self._facts(f, shop, settings, live, text, problem or "", now)
        verdict = policy.decide(facts, f.expires_at)
        if verdict.action == "skip":
            self._skip(f, verdict.reason)
            return
        if verdict.action == "wait":
            self.schedule.wait(f.id, verdict.retry_at or now + RETRY_S, verdict.reason)
            return
        code = None
        if f.plan == REPURCHASE:
            try:
                voucher = await self.vouchers.ensure(f.key, f.shop_id, f.buyer_id, shop.region,
                                                     settings)
            except VoucherError as exc:
                self._voucher_wait(f, exc, shop.region)
                return
            code = voucher.code
            values = self._values(f, shop, order, settings, voucher)
            language, text = self._text(plan.templates, live.language, values)
        conv = live.thread.conversation_id
        if verdict.action == "queue":
            self.schedule.queue(f.id, verdict.reason, text=text, language=language,
                                voucher_code=code, conversation_id=conv)
            self._event("followup.queued", self.schedule.get(f.id))
            return
        await self._send(f, text, language, code, conv, by="auto",
                         via="send_autoreply_message", only_from=("scheduled",))

    def _order_problem(self, f: Followup, order: Order | None) -> str | None:
        if order is None:
            return "order_not_found"
        if order.order_status not in FITS[f.plan]:
            return f"order_{order.order_status.lower()}"
        if order.buyer_user_id and order.buyer_user_id != f.buyer_id:
            return "order_buyer_mismatch"
        return None

    async def _tracking_moves(self, f: Followup, order: Order, stall_s: float,
                              settings: ShopSettings) -> bool:
        """Not stalled yet: move the check to when it would be; True when moved (or dropped)."""
        info = await self.client.get_tracking_info(f.shop_id, f.order_sn)
        last = max([e.update_time for e in info.tracking_info] or [order.update_time])
        now = self.clock()
        if now - last >= stall_s:
            return False
        due = last + stall_s
        if due - f.anchor_at > MAX_STALL_WAIT_S:
            self._skip(f, "tracking_never_stalled")
        else:
            self.schedule.move(f.id, due, settings.catch_up_hours * 3600, "tracking_moving")
        return True

    async def _gather(self, f: Followup, shop: ShopLike, order: Order | None) -> _Live:
        thread = await self.chat.thread(f.shop_id, f.buyer_id)
        self._note_stop_words(f.shop_id, f.buyer_id, thread)
        now = self.clock()
        mine = self.watcher.buyer_orders(f.shop_id, f.buyer_id)
        created = [o.create_time for o in mine] + ([order.create_time] if order else [])
        recent = any(now - c <= ORDER_WINDOW_S for c in created if c)
        sns = {o.order_sn for o in mine} | {f.order_sn}
        open_return = any(o.status == "TO_RETURN" for o in mine) or \
            bool(sns & await self._open_returns(f.shop_id))
        return _Live(thread=thread, order=order,
                     language=self._language(f.shop_id, shop.region, thread),
                     recent_order=recent, open_return=open_return,
                     opted_out=self.opted_out(f.shop_id, f.buyer_id),
                     escalated=self._escalated(f.shop_id, thread.conversation_id))

    def _facts(self, f: Followup, shop: ShopLike, settings: ShopSettings, live: _Live,
               text: str, problem: str, now: float) -> policy.Facts:
        quiet = in_quiet_hours(now, shop.region, settings.quiet_start_hour,
                               settings.quiet_end_hour)
        blocker = None if shop.auto_reply_endpoint else policy.NO_AUTOREPLY
        return policy.Facts(
            now=now, text=text, history=live.thread.lines,
            has_conversation=live.thread.conversation_id is not None and bool(live.thread.lines),
            recent_order=live.recent_order, opted_out=live.opted_out,
            open_escalation=live.escalated, open_return=live.open_return,
            order_problem=problem,
            quiet_until=quiet_hours_end(now, shop.region, settings.quiet_end_hour)
            if quiet else None,
            cap_free_at=self.schedule.cap_free_at(f.shop_id, f.buyer_id, f.id,
                                                  settings.cap_per_buyer,
                                                  settings.cap_window_days * DAY),
            promotional=f.plan in PROMOTIONAL, send_mode=settings.plan(f.plan).send_mode,
            auto_blocker=blocker or self.auto_blocker(f.shop_id),
        )

    def _values(self, f: Followup, shop: ShopLike, order: Order | None, settings: ShopSettings,
                voucher: plans.Voucher | None) -> dict[str, str]:
        spec = settings.plan(REPURCHASE).voucher or VoucherSpec()
        item = order.item_list[0].item_name if order and order.item_list else ""
        currency = order.currency if order and order.currency else ""
        end = voucher.end_time if voucher else self.clock() + spec.validity_days * DAY + 60
        discount = (f"{currency} {spec.discount_amount:g}".strip() if spec.reward == "fixed"
                    else f"{spec.percentage}%")
        return {
            "order_sn": f.order_sn, "shop_name": shop.name or "our shop",
            "item_name": item[:40], "voucher_code": voucher.code if voucher else PLACEHOLDER_CODE,
            "discount": discount,
            "min_spend": f"{currency} {spec.min_basket_price:g}".strip(),
            "valid_until": datetime.fromtimestamp(end, market_zone(shop.region)).strftime(
                "%Y-%m-%d"),
        }

    @staticmethod
    def _text(templates: Mapping[str, str], language: str,
              values: Mapping[str, str]) -> tuple[str, str]:
        used, template = pick(templates, language)
        return used, render(template, values)

    def _voucher_wait(self, f: Followup, exc: VoucherError, region: str) -> None:
        now = self.clock()
        retry = now + VOUCHER_RETRY_S
        if exc.reason.startswith("voucher_daily"):
            retry = local_day_start(now, region) + DAY + 60
        if exc.retry and retry <= f.expires_at:
            self.schedule.wait(f.id, retry, exc.reason)
        else:
            self._skip(f, exc.reason)

    # --- facts about the buyer ---------------------------------------------------------------

    def opted_out(self, shop_id: str, buyer_id: str) -> bool:
        row = self.db.conn.execute("SELECT 1 FROM optouts WHERE shop_id = ? AND buyer_id = ?",
                                   (shop_id, buyer_id)).fetchone()
        return row is not None

    def _note_stop_words(self, shop_id: str, buyer_id: str, thread: Thread) -> None:
        for text in thread.buyer_texts():
            phrase = asked_to_stop(text)
            if phrase is not None:
                with self.db.tx() as conn:
                    conn.execute("INSERT OR IGNORE INTO optouts (shop_id, buyer_id, word, at)"
                                 " VALUES (?,?,?,?)", (shop_id, buyer_id, phrase, self.clock()))
                return

    def _escalated(self, shop_id: str, conversation_id: str | None) -> bool:
        """An open escalation or a conversation held for a person (from the chat store)."""
        if self.store is None or conversation_id is None:
            return False
        if self.store.escalations.open_for(shop_id, conversation_id):
            return True
        return bool(self.store.conversations.get(shop_id, conversation_id).held)

    def _language(self, shop_id: str, region: str, thread: Thread) -> str:
        if self.store is not None and thread.conversation_id is not None:
            known = self.store.conversations.get(shop_id, thread.conversation_id).language
            if known:
                return str(known)
        return guess_language(thread.buyer_texts(), region)

    async def _open_returns(self, shop_id: str) -> frozenset[str]:
        """Order numbers with an open return (cached for a few minutes per shop)."""
        now = self.clock()
        cached = self._returns.get(shop_id)
        if cached is not None and now - cached[0] < RETURNS_TTL_S:
            return cached[1]
        found: set[str] = set()
        for page_no in range(10):
            page = await self.client.get_return_list(
                shop_id, page_no=page_no, page_size=100,
                update_time_from=int(now - 15 * DAY + 60), update_time_to=int(now))
            found |= {r.order_sn for r in page.returns if r.status in OPEN_RETURN_STATUSES}
            if not page.more:
                break
        self._returns[shop_id] = (now, frozenset(found))
        return self._returns[shop_id][1]

    # --- sending ------------------------------------------------------------------------------

    async def _send(self, f: Followup, text: str, language: str, code: str | None,
                    conv: str | None, *, by: str, via: str, only_from: tuple[str, ...],
                    order_card: bool = False) -> Followup:
        if not self.schedule.claim_send(f.id, by=by, via=via, text=text, language=language,
                                        voucher_code=code, conversation_id=conv,
                                        only_from=only_from):
            raise FollowupError(409, "not_sendable", "the follow-up changed state meanwhile")
        back = "queued" if by == "person" else "failed"
        try:
            if order_card:
                await self.client.send_message(f.shop_id, f.buyer_id, "order",
                                               {"order_sn": f.order_sn})
            if via == "send_autoreply_message":
                sent = await self.client.send_autoreply_message(f.shop_id, f.buyer_id, text)
            else:
                sent = await self.client.send_message(f.shop_id, f.buyer_id, "text",
                                                      {"text": text})
        except (WriteOutcomeUnknownError, TransportError) as exc:
            self.schedule.settle(f.id, "unknown", f"outcome_unknown:{type(exc).__name__}")
            log.warning("follow-up %d (%s) send outcome unknown", f.id, f.plan)
        except ShopeeAPIError as exc:
            self.schedule.settle(f.id, back, f"shopee_refused:{exc.error}")
            log.warning("follow-up %d (%s) refused: %s", f.id, f.plan, exc.error)
        except (ShopeeError, ValueError) as exc:
            self.schedule.settle(f.id, back, f"send_failed:{type(exc).__name__}")
        else:
            conversation = sent.conversation_id or conv
            self.schedule.sent(f.id, sent.message_id, conversation)
            if conversation:
                self.chat.remember(f.shop_id, f.buyer_id, conversation)
            log.info("follow-up %d (%s, order %s) sent by %s via %s", f.id, f.plan, f.order_sn,
                     by, via)
        row = self.schedule.get(f.id)
        assert row is not None
        self._event(f"followup.{row.state}", row)
        return row

    async def send_queued(self, followup_id: int, text: str | None = None,
                          by: str = "person") -> Followup:
        """One-click send by a person (send_message), after re-checking what still must hold."""
        f = self.schedule.get(followup_id)
        if f is None:
            raise FollowupError(404, "not_found", "unknown follow-up")
        if f.state != "queued":
            raise FollowupError(409, "not_queued", f"the follow-up is {f.state}")
        body = (text or f.text or "").strip()
        if not body or len(body) > 600:
            raise FollowupError(400, "bad_text", "the text must be 1-600 characters")
        shop = self.shops.get(f.shop_id)
        if shop is None:
            raise FollowupError(404, "unknown_shop", "the shop is not connected")
        try:
            order = await self.client.get_order(f.shop_id, f.order_sn)
            live = await self._gather(f, shop, order)
        except ShopeeError as exc:
            raise FollowupError(503, "shopee_unavailable", type(exc).__name__) from None
        facts = policy.Facts(
            now=self.clock(), text=body, history=live.thread.lines,
            has_conversation=live.thread.conversation_id is not None and bool(live.thread.lines),
            recent_order=live.recent_order, opted_out=live.opted_out,
            open_escalation=live.escalated, open_return=live.open_return,
            order_problem=self._order_problem(f, order) or "")
        refused = policy.person_check(facts)
        if refused is not None:
            if refused in (policy.ASKED_TO_STOP, policy.OPEN_ESCALATION, policy.OPEN_RETURN,
                           policy.CONTACT_WINDOW) or refused.startswith("order_"):
                self._skip(f, refused)
            raise FollowupError(409, refused, "this follow-up may not be sent now")
        return await self._send(f, body, f.language or "en", f.voucher_code,
                                live.thread.conversation_id, by=by, via="send_message",
                                only_from=("queued",), order_card=not facts.has_conversation)

    def dismiss(self, followup_id: int) -> Followup:
        f = self.schedule.get(followup_id)
        if f is None:
            raise FollowupError(404, "not_found", "unknown follow-up")
        if not self.schedule.skip(followup_id, "dismissed_by_person"):
            raise FollowupError(409, "not_dismissable", f"the follow-up is {f.state}")
        row = self.schedule.get(followup_id)
        assert row is not None
        self._event("followup.skipped", row)
        return row

    # --- outcomes -----------------------------------------------------------------------------

    async def track_outcomes(self, limit: int = 50) -> int:
        """Mark sent follow-ups the buyer answered (and note stop words said in reply)."""
        marked = 0
        threads: dict[tuple[str, str], Thread] = {}
        for f in self.schedule.awaiting_reply(self.clock() - REPLY_WINDOW_S)[:limit]:
            key = (f.shop_id, f.buyer_id)
            try:
                if key not in threads:
                    threads[key] = await self.chat.thread(*key)
            except ShopeeError:
                continue
            self._note_stop_words(f.shop_id, f.buyer_id, threads[key])
            at = threads[key].buyer_wrote_after(f.sent_at or 0)
            if at is not None:
                self.schedule.mark_replied(f.id, at)
                marked += 1
        return marked

    def metrics(self, shop_id: str | None = None) -> dict[str, Any]:
        return {"counts": self.schedule.counts(shop_id),
                "outcomes": self.schedule.outcomes(shop_id)}

    # --- helpers ------------------------------------------------------------------------------

    def _skip(self, f: Followup, reason: str) -> None:
        if self.schedule.skip(f.id, reason):
            self._event("followup.skipped", self.schedule.get(f.id))

    def _event(self, type_: str, row: Followup | None) -> None:
        if self.publish is None or row is None:
            return
        try:
            self.publish(type_, {"id": row.id, "shop_id": row.shop_id, "plan": row.plan,
                                 "state": row.state, "reason": row.reason,
                                 "order_sn": row.order_sn})
        except Exception:  # the dashboard feed must never stop follow-ups
            log.exception("publishing %s failed", type_)
