"""Compose what a real buyer would write: a phrasebook template filled with their own orders."""

from __future__ import annotations

import random
from dataclasses import dataclass

from companion.sandbox.message_bank import MessageBank, render
from companion.sandbox.state import Buyer, Order, SandboxState

SIZES = ("S", "M", "L", "XL")
# Buyers asking about an order usually open the chat from the order page, which attaches it.
ORDER_CONTEXT_INTENTS = frozenset({"order_status", "tracking_number", "address_change",
                                   "return_refund", "item_problem", "cancel_order", "warranty"})


@dataclass(frozen=True, slots=True)
class BuyerLine:
    """A composed buyer message with the context it refers to."""

    intent: str
    text: str
    order_sn: str
    item_id: int


def _recent_order(state: SandboxState, buyer: Buyer, rng: random.Random) -> Order | None:
    orders = sorted(state.buyer_orders(buyer.shop_id, buyer.user_id), key=lambda o: -o.create_time)
    return rng.choice(orders[:3]) if orders else None


def compose(state: SandboxState, bank: MessageBank, buyer: Buyer, rng: random.Random) -> BuyerLine:
    """Pick an intent and phrasing in the buyer's language and fill in their real order/item."""
    order = _recent_order(state, buyer, rng)
    intent, template = bank.pick(rng, buyer.language, needs_order=order is not None)
    if order and order.lines:
        item = state.items[rng.choice(order.lines).item_id]
    else:
        item = rng.choice([i for i in state.items.values() if i.shop_id == buyer.shop_id])
    colours = item.attributes.get("colours", "").split(", ")
    values = {
        "order_sn": order.order_sn if order else "", "item": item.name,
        "colour": rng.choice(colours) if colours[0] else "", "size": rng.choice(SIZES),
        "height": rng.randint(150, 185), "weight": rng.randint(45, 88),
    }
    text = " ".join(render(template, values).split())
    attach = order is not None and (order.order_sn in text or intent in ORDER_CONTEXT_INTENTS)
    return BuyerLine(intent, text, order.order_sn if order and attach else "",
                     item.item_id if "{item}" in template else 0)
