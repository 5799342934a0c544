"""Gather the live facts a rule needs (order, tracking, item stock) through the Shopee client.

Each call has its own timeout and its own failure note: one slow or failing
call leaves its fields `None` (never a guess) and the rest still arrive. An
order that belongs to another buyer is not used (security.md A4: a buyer
quoting someone else's order number learns nothing).

For pre-sale listing questions (`product_spec`, `size_advice`,
`recommendation`) `with_listing` adds what the shop's own listing says
(`Facts.listing`), with the conversation's item card and named order as
context; it reads the cached product knowledge, not the API.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

from companion.listing.facts import LISTING_INTENTS, ListingFacts
from companion.listing.resolve import ListingContext
from companion.listing.service import ListingService
from companion.nlu.types import Understanding
from companion.rules.facts import (
    BuyerFacts,
    Facts,
    ItemFacts,
    ListingInfo,
    OrderFacts,
    OrderItemFacts,
    ShopFacts,
)
from companion.shopee.client import ShopeeClient
from companion.shopee.errors import ShopeeError
from companion.shopee.models import ItemBaseInfo, ModelList, Order, TrackingInfo, TrackingNumber

T = TypeVar("T")
DEFAULT_TIMEOUT = 4.0
MAX_VARIANTS_LISTED = 12
LOOKBACK_SECONDS = 15 * 86400  # get_order_list's widest window (shopee doc 4.1)
MAX_ORDER_PAGES = 2
TRACKED_STATUSES = frozenset({"PROCESSED", "RETRY_SHIP", "SHIPPED", "TO_CONFIRM_RECEIVE",
                              "COMPLETED", "TO_RETURN", "CANCELLED"})


class ShopLike(Protocol):
    """What we need of a shop (companion.connection.Shop fits)."""

    shop_id: str
    region: str
    name: str


async def _attempt(label: str, call: Awaitable[T], timeout: float, notes: list[str]) -> T | None:
    """Await `call` within `timeout`; on failure note why and return None."""
    try:
        return await asyncio.wait_for(call, timeout)
    except TimeoutError:
        notes.append(f"{label}: timed out after {timeout:g}s")
    except ShopeeError as exc:
        notes.append(f"{label}: {exc.__class__.__name__}")
    except ValueError as exc:
        notes.append(f"{label}: {exc}")
    return None


async def gather_facts(
    client: ShopeeClient,
    shop: ShopLike,
    buyer_id: str | None = None,
    order_sn: str | None = None,
    item_id: str | None = None,
    *,
    model_id: str | None = None,
    sizes: Sequence[str] = (),
    buyer_name: str | None = None,
    is_repeat: bool | None = None,
    tags: Iterable[str] = (),
    now: datetime | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    find_latest_order: bool = True,
    tracking_number: bool = True,
    tracking_events: bool = True,
) -> Facts:
    """Facts for one message: the named order (else the buyer's latest), tracking, item stock.

    `tracking_number` / `tracking_events` False skip those calls (the pipeline asks only
    for what the rules that could match quote; a skipped field stays None, never guessed).
    """
    notes: list[str] = []
    shop_id = str(shop.shop_id)
    moment = now or datetime.now(UTC)
    order = await _order(client, shop_id, buyer_id, order_sn, moment, timeout, notes,
                         find_latest_order)
    order_task = _order_facts(client, shop_id, order, timeout, notes,
                              number=tracking_number, events=tracking_events) if order else None
    item_task = _item_facts(client, shop_id, item_id, model_id, sizes, timeout, notes) \
        if item_id else None
    order_facts, item_facts = await asyncio.gather(_maybe(order_task), _maybe(item_task))
    name = buyer_name or (order.buyer_username if order and order.buyer_username else None)
    return Facts(
        buyer=BuyerFacts(buyer_id=buyer_id or None, name=name, is_repeat=is_repeat),
        order=order_facts, item=item_facts,
        shop=ShopFacts.for_region(shop_id, shop.region, shop.name),
        tags=frozenset(tags), now=moment, notes=tuple(notes),
    )


async def _maybe(task: Awaitable[T] | None) -> T | None:
    return await task if task is not None else None


async def _order(client: ShopeeClient, shop_id: str, buyer_id: str | None, order_sn: str | None,
                 now: datetime, timeout: float, notes: list[str], find: bool) -> Order | None:
    if order_sn:
        order = await _attempt(f"order {order_sn}", client.get_order(shop_id, order_sn),
                               timeout, notes)
        if order is None:
            if not any(n.startswith(f"order {order_sn}") for n in notes):
                notes.append(f"order {order_sn}: not found")
            return None
        if buyer_id and order.buyer_user_id and order.buyer_user_id != str(buyer_id):
            notes.append(f"order {order_sn}: belongs to another buyer; not used")
            return None
        return order
    if buyer_id and find:
        return await _attempt("latest order", _latest_order(client, shop_id, str(buyer_id), now),
                              timeout * 2, notes)
    return None


async def _latest_order(client: ShopeeClient, shop_id: str, buyer_id: str,
                        now: datetime) -> Order | None:
    """The buyer's most recently updated order of the last 15 days (bounded scan)."""
    to = int(now.timestamp())
    sns: list[str] = []
    cursor = ""
    for _ in range(MAX_ORDER_PAGES):
        page = await client.get_order_list(shop_id, time_from=to - LOOKBACK_SECONDS, time_to=to,
                                           page_size=100, cursor=cursor)
        sns += [ref.order_sn for ref in page.order_list]
        if not page.more or not page.next_cursor:
            break
        cursor = page.next_cursor
    chunks = [sns[i : i + 50] for i in range(0, len(sns), 50)]
    details = await asyncio.gather(*(client.get_order_detail(shop_id, c) for c in chunks))
    mine = [o for batch in details for o in batch if o.buyer_user_id == buyer_id]
    return max(mine, key=lambda o: o.update_time, default=None)


async def _order_facts(client: ShopeeClient, shop_id: str, order: Order, timeout: float,
                       notes: list[str], *, number: bool = True,
                       events: bool = True) -> OrderFacts:
    tracking: TrackingNumber | None = None
    info: TrackingInfo | None = None
    if order.order_status in TRACKED_STATUSES and (number or events):
        tracking, info = await asyncio.gather(
            _maybe(_attempt("tracking number", client.get_tracking_number(
                shop_id, order.order_sn), timeout, notes) if number else None),
            _maybe(_attempt("tracking info", client.get_tracking_info(
                shop_id, order.order_sn), timeout, notes) if events else None),
        )
    last = max(info.tracking_info, key=lambda e: e.update_time) if info and info.tracking_info \
        else None
    carrier = order.shipping_carrier or next(
        (p.shipping_carrier for p in order.package_list if p.shipping_carrier), "")
    fee = order.actual_shipping_fee if order.actual_shipping_fee is not None \
        else order.estimated_shipping_fee
    return OrderFacts(
        order_sn=order.order_sn, status=order.order_status or None,
        buyer_id=order.buyer_user_id,
        items=tuple(OrderItemFacts(item_id=i.item_id, item_name=i.item_name or None,
                                   model_id=i.model_id, variant_name=i.model_name or None,
                                   quantity=i.model_quantity_purchased) for i in order.item_list),
        tracking_number=(tracking.tracking_number or None) if tracking else None,
        carrier=carrier or None,
        last_tracking_event=(last.description or None) if last else None,
        last_tracking_time=(last.update_time or None) if last else None,
        eta=order.estimated_delivery,  # Shopee's own `edt`; never estimated here
        ship_by_date=order.ship_by_date, shipping_fee=fee, currency=order.currency or None,
    )


async def _item_facts(client: ShopeeClient, shop_id: str, item_id: str, model_id: str | None,
                      sizes: Sequence[str], timeout: float, notes: list[str]) -> ItemFacts | None:
    base_list, models = await asyncio.gather(
        _attempt(f"item {item_id}", client.get_item_base_info(shop_id, [item_id]), timeout,
                 notes),
        _attempt(f"variants of {item_id}", client.get_model_list(shop_id, item_id), timeout,
                 notes),
    )
    base: ItemBaseInfo | None = next((b for b in base_list or [] if b.item_id == item_id), None)
    if base is None and models is None:
        return None
    name = base.item_name if base and base.item_name else None
    if base is not None and not base.has_model:
        stock = base.stock_info_v2.available if base.stock_info_v2 else None
        return ItemFacts(item_id=item_id, item_name=name, variant_stock=stock)
    return _variant_facts(item_id, name, models, model_id, sizes)


def _variant_facts(item_id: str, name: str | None, models: ModelList | None,
                   model_id: str | None, sizes: Sequence[str]) -> ItemFacts:
    if models is None or not models.model:
        return ItemFacts(item_id=item_id, item_name=name)
    labels = {m.model_id: " / ".join(models.option_names(m)) for m in models.model}
    chosen = _choose(models, labels, model_id, sizes)
    in_stock = tuple(labels[m.model_id] for m in models.model
                     if m.available_stock > 0 and labels[m.model_id])[:MAX_VARIANTS_LISTED]
    return ItemFacts(
        item_id=item_id, item_name=name,
        model_id=chosen.model_id if chosen else None,
        variant_name=(labels[chosen.model_id] or None) if chosen else None,
        variant_stock=chosen.available_stock if chosen else None,
        in_stock_variants=in_stock,
    )


def _choose(models: ModelList, labels: dict[str, str], model_id: str | None,
            sizes: Sequence[str]) -> Any:
    """The variant asked about: by id, else by a size named in the message, else the only one."""
    if model_id:
        return next((m for m in models.model if m.model_id == str(model_id)), None)
    wanted = {s.casefold() for s in sizes}
    if wanted:
        hits = [m for m in models.model
                if wanted & {o.casefold() for o in models.option_names(m)}]
        if len(hits) == 1:
            return hits[0]
    return models.model[0] if len(models.model) == 1 else None



# --- listing --------------------------------------------------------------------------------------


def listing_info(found: ListingFacts) -> ListingInfo:
    """The rules layer's view of `ListingFacts` (only what the listing holds)."""
    return ListingInfo(
        kind=found.kind, status=found.status,  # type: ignore[arg-type]
        values={k: str(v) for k, v in found.values.items() if v},
        item_id=found.item_id, item_source=found.item_source, attributes=found.attributes,
        gaps=found.gaps, candidates=found.candidates, item_card_ids=found.item_card_ids,
        knowledge_age_s=round(found.knowledge_age_s, 1), note=found.note,
    )


async def with_listing(
    facts: Facts,
    listing: ListingService | None,
    understanding: Understanding,
    text: str,
    *,
    item_id: str | None = None,
    order_sn: str | None = None,
    record_gaps: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
) -> Facts:
    """`facts` plus `listing` for a listing question; other intents pass through unchanged.

    Context: the conversation's item card (`item_id`) and, when the message names or
    carries an order (`order_sn`), that order's items. The buyer's latest order found by
    the fallback search is not context: an old purchase must not decide what "this" is.
    """
    if listing is None or understanding.intent not in LISTING_INTENTS or not facts.shop.shop_id:
        return facts
    order = facts.order
    ordered = tuple(i.item_id for i in order.items) \
        if order is not None and order_sn and order.order_sn == order_sn else ()
    context = ListingContext(facts.shop.shop_id, item_id, ordered)
    notes: list[str] = []
    found = await _attempt("listing", listing.facts(understanding, text, context,
                                                    record_gaps=record_gaps), timeout, notes)
    if found is None and not notes:
        notes.append("listing: no product knowledge yet")
    update: dict[str, Any] = {"notes": (*facts.notes, *notes)}
    if found is not None:
        update["listing"] = listing_info(found)
    return facts.model_copy(update=update)
