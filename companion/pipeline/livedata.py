"""The processor's bridge to live shop data: which order and item a message is about, then facts.

The order is the one the buyer names (entity), else the one the chat is
attached to (`source_content`); the item likewise. The facts themselves come
from `companion.pipeline.enrich.gather_facts` (the rules layer's helper);
until that module exists a minimal order lookup stands in, so the pipeline
always has *some* live data and never guesses.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from companion.nlu import Understanding
from companion.rules.engine import RuleSet
from companion.rules.facts import BuyerFacts, Facts, OrderFacts, ShopFacts
from companion.rules.templates import placeholders_in
from companion.shopee import ShopeeClient
from companion.shopee.errors import ShopeeError
from companion.store import StoredMessage

CACHE_TTL_S = 10.0
Gather = Callable[[Any, StoredMessage, Understanding, frozenset[str] | None], Awaitable[Facts]]
TRACKING_EVENT_FIELDS = frozenset({"last_tracking_event", "last_tracking_time"})


def needed_facts(rules: RuleSet, intent: str) -> frozenset[str]:
    """Placeholders the rules that could match `intent` quote or require (templates, order
    note, `data_present`): the live data worth fetching for a message of that intent."""
    names: set[str] = set()
    for compiled in rules.compiled:
        rule = compiled.rule
        if not rule.enabled or (rule.when.intents and intent not in rule.when.intents):
            continue
        for text in (*rule.templates.values(), rule.order_note or ""):
            names.update(placeholders_in(text))
        names.update(rule.when.data_present)
    return frozenset(names)


def order_and_item(message: StoredMessage, u: Understanding) -> tuple[str | None, str | None]:
    order_sn = u.entities.order_sns[0] if u.entities.order_sns else message.order_sn
    item_id = message.item_id or (u.entities.item_ids[0] if u.entities.item_ids else None)
    return order_sn, item_id


async def minimal_facts(client: ShopeeClient, shop: Any, *, buyer_id: str | None,
                        order_sn: str | None, item_id: str | None) -> Facts:
    """Order status and tracking number of a named order; everything else unknown."""
    shop_facts = ShopFacts.for_region(shop.shop_id, shop.region, shop.name)
    order = None
    notes: list[str] = []
    if order_sn:
        try:
            found = await client.get_order(shop.shop_id, order_sn)
        except ShopeeError as exc:
            found, notes = None, [f"order lookup failed: {exc.__class__.__name__}"]
        if found is not None and (not buyer_id or found.buyer_user_id in (None, buyer_id)):
            tracking = None
            if found.order_status in ("SHIPPED", "TO_CONFIRM_RECEIVE", "COMPLETED"):
                try:
                    number = await client.get_tracking_number(shop.shop_id, order_sn)
                    tracking = number.tracking_number or None
                except ShopeeError:
                    notes.append("tracking lookup failed")
            order = OrderFacts(order_sn=found.order_sn, status=found.order_status or None,
                               buyer_id=found.buyer_user_id, tracking_number=tracking,
                               carrier=found.shipping_carrier or None,
                               ship_by_date=found.ship_by_date,
                               shipping_fee=found.actual_shipping_fee
                               or found.estimated_shipping_fee,
                               currency=found.currency or None)
    return Facts(buyer=BuyerFacts(buyer_id=buyer_id or None), order=order, shop=shop_facts,
                 notes=tuple(notes))


def conversation_item(message: StoredMessage,
                      recent: Callable[[str, str], Sequence[StoredMessage]] | None) -> str | None:
    """The item card of this message, else the latest one the buyer sent in the conversation."""
    if message.item_id or recent is None:
        return message.item_id
    earlier = [m for m in recent(message.shop_id, message.conversation_id)
               if m.sender == "buyer" and m.item_id and m.seq <= message.seq]
    return max(earlier, key=lambda m: m.seq).item_id if earlier else None


def make_gatherer(client: ShopeeClient, listing: Any = None,
                  recent: Callable[[str, str], Sequence[StoredMessage]] | None = None) -> Gather:
    """`gather(shop, message, understanding)` using enrich.gather_facts when available; with a
    `listing` service, listing questions also get what the shop's own listing says (not
    cached here: the answer depends on the words, the knowledge is cached by the service)."""
    try:
        enrich = importlib.import_module("companion.pipeline.enrich")
        gather_facts = enrich.gather_facts
    except (ImportError, AttributeError):
        gather_facts = None

    # key -> (when, facts, with tracking number, with tracking history)
    cache: dict[tuple[Any, ...], tuple[float, Facts, bool, bool]] = {}

    async def gather(shop: Any, message: StoredMessage, u: Understanding,
                     needs: frozenset[str] | None = None) -> Facts:
        order_sn, item_id = order_and_item(message, u)
        buyer_id = message.buyer_id or None
        number = needs is None or "tracking_number" in needs
        events = needs is None or bool(needs & TRACKING_EVENT_FIELDS)
        key = (shop.shop_id, buyer_id, order_sn, item_id)
        now = time.monotonic()
        hit = cache.get(key)
        if hit is not None and now - hit[0] < CACHE_TTL_S:
            if (hit[2] or not number) and (hit[3] or not events):
                # live data "cached briefly" (issue 5 item 2)
                return await _add_listing(hit[1], message, u, order_sn, item_id)
            # Fetched with less: this time fetch what either asked for (the next hits).
            number, events = number or hit[2], events or hit[3]
        if gather_facts is not None:
            facts = await gather_facts(client, shop, buyer_id=buyer_id, order_sn=order_sn,
                                       item_id=item_id, tracking_number=number,
                                       tracking_events=events)
        else:
            facts = await minimal_facts(client, shop, buyer_id=buyer_id, order_sn=order_sn,
                                        item_id=item_id)
        if len(cache) > 5000:
            cache.clear()
        cache[key] = (now, facts, number, events)
        return await _add_listing(facts, message, u, order_sn, item_id)

    async def _add_listing(facts: Facts, message: StoredMessage, u: Understanding,
                           order_sn: str | None, item_id: str | None) -> Facts:
        if listing is None or gather_facts is None or u.intent not in enrich.LISTING_INTENTS:
            return facts
        card = item_id or conversation_item(message, recent)
        return await enrich.with_listing(facts, listing, u, message.text or "", item_id=card,
                                         order_sn=order_sn)

    return gather
