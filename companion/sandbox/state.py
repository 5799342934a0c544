"""In-memory state of the sandbox shop: plain dataclasses, no behaviour beyond lookups.

Everything the fake Shopee serves lives here, built once by `seed.build_state`
and mutated by the route handlers. Ids that Shopee documents as possibly larger
than 2^53 (conversation_id, message_id) are kept as `str`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Model:
    """One purchasable variant of an item (Shopee "model")."""

    model_id: int
    tier_index: list[int]
    name: str
    sku: str
    price: float
    original_price: float
    stock: int


@dataclass(slots=True)
class Item:
    """A listing with its variants, attributes and (for apparel and shoes) a size chart."""

    item_id: int
    shop_id: int
    key: str
    category: str
    name: str
    description: str
    sku: str
    status: str
    price: float
    original_price: float
    stock: int
    weight_kg: float
    dimension_cm: tuple[int, int, int]
    attributes: dict[str, str]
    tiers: list[tuple[str, list[str]]]
    models: list[Model]
    size_chart: dict[str, Any] | None
    create_time: int
    update_time: int


@dataclass(slots=True)
class Buyer:
    """A buyer account: Shopee user id (the chat `to_id`), username and writing language."""

    user_id: int
    username: str
    language: str
    shop_id: int


@dataclass(slots=True)
class OrderLine:
    """One model bought in an order."""

    item_id: int
    model_id: int
    quantity: int
    price: float
    original_price: float


@dataclass(slots=True)
class TrackingEvent:
    """One 3PL tracking event (`tracking_info[]`)."""

    update_time: int
    description: str
    logistics_status: str


@dataclass(slots=True)
class Order:
    """An order with its fulfilment and tracking data."""

    order_sn: str
    shop_id: int
    buyer_id: int
    status: str
    lines: list[OrderLine]
    create_time: int
    update_time: int
    pay_time: int | None
    days_to_ship: int
    shipping_fee: float
    carrier: str
    package_number: str
    tracking_number: str
    tracking: list[TrackingEvent]
    recipient: dict[str, str]
    payment_method: str
    message_to_seller: str = ""
    note: str = ""
    note_update_time: int = 0
    cancel_by: str = ""
    cancel_reason: str = ""
    buyer_cancel_reason: str = ""
    status_before_cancel: str = ""


@dataclass(slots=True)
class ReturnRequest:
    """A buyer's return/refund request for an order."""

    return_sn: str
    order_sn: str
    shop_id: int
    buyer_id: int
    status: str
    reason: str
    text_reason: str
    refund_amount: float
    create_time: int
    update_time: int
    due_date: int
    tracking_number: str = ""

    @property
    def is_open(self) -> bool:
        return self.status in {"REQUESTED", "ACCEPTED", "PROCESSING", "JUDGING", "SELLER_DISPUTE"}


@dataclass(slots=True)
class Message:
    """One chat message in either direction; `sent_via` is set for shop messages."""

    message_id: str
    conversation_id: str
    from_buyer: bool
    message_type: str
    content: dict[str, Any]
    created_ns: int
    status: str = "normal"
    source: str = "android"
    sent_via: str = ""
    source_content: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Conversation:
    """A shop-buyer chat thread; messages are kept oldest first."""

    conversation_id: str
    shop_id: int
    buyer_id: int
    messages: list[Message] = field(default_factory=list)
    last_read_ns: int = 0
    pinned: bool = False
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def last_ns(self) -> int:
        return self.messages[-1].created_ns if self.messages else 0


@dataclass(slots=True)
class Voucher:
    """A shop or product voucher as created by add_voucher."""

    voucher_id: int
    shop_id: int
    fields: dict[str, Any]
    current_usage: int = 0


@dataclass(slots=True)
class Shop:
    """An authorised shop; `user_id` is the seller account id that appears as chat `from_id`."""

    shop_id: int
    user_id: int
    region: str
    name: str
    currency: str
    language: str
    auth_time: int
    supports_autoreply: bool
    # Sandbox switch: False simulates an app or shop without chat-API access (page mode only).
    chat_api: bool = True


@dataclass(slots=True)
class TokenRecord:
    """An issued access or refresh token."""

    token: str
    shop_id: int
    issued_at: float
    expires_at: float | None = None
    used: bool = False


@dataclass(slots=True)
class AuthBook:
    """Auth codes, access tokens and refresh tokens; ttl applies to every access token."""

    token_ttl: int
    codes: dict[str, TokenRecord] = field(default_factory=dict)
    access: dict[str, TokenRecord] = field(default_factory=dict)
    refresh: dict[str, TokenRecord] = field(default_factory=dict)


@dataclass(slots=True)
class SandboxState:
    """The whole sandbox world for one app instance."""

    partner_id: int
    partner_key: str
    clock: Callable[[], float]
    rng: random.Random
    auth: AuthBook
    shops: dict[int, Shop] = field(default_factory=dict)
    items: dict[int, Item] = field(default_factory=dict)
    buyers: dict[int, Buyer] = field(default_factory=dict)
    orders: dict[str, Order] = field(default_factory=dict)
    returns: dict[str, ReturnRequest] = field(default_factory=dict)
    conversations: dict[str, Conversation] = field(default_factory=dict)
    vouchers: dict[int, Voucher] = field(default_factory=dict)
    # (shop_id, buyer_id) -> conversation_id: the thread lookup every send and buyer message does
    thread_index: dict[tuple[int, int], str] = field(default_factory=dict)
    last_ns: int = 0
    next_seq: int = 1

    def now(self) -> int:
        """Current Unix seconds from the injected clock."""
        return int(self.clock())

    def next_ns(self) -> int:
        """A strictly increasing nanosecond timestamp, so chat cursors never tie."""
        self.last_ns = max(self.last_ns + 1, int(self.clock() * 1_000_000_000))
        return self.last_ns

    def new_id(self, base: int) -> int:
        """A fresh numeric id above `base`; used for message, voucher and conversation ids."""
        self.next_seq += 1
        return base + self.next_seq * 7919 + self.rng.randrange(7919)

    def first_shop(self) -> Shop:
        return next(iter(self.shops.values()))

    def shop_buyers(self, shop_id: int) -> list[Buyer]:
        return [b for b in self.buyers.values() if b.shop_id == shop_id]

    def buyer_orders(self, shop_id: int, buyer_id: int) -> list[Order]:
        return [o for o in self.orders.values() if o.shop_id == shop_id and o.buyer_id == buyer_id]

    def conversation_with(self, shop_id: int, buyer_id: int) -> Conversation | None:
        conv_id = self.thread_index.get((shop_id, buyer_id))
        return self.conversations.get(conv_id) if conv_id is not None else None

    def add_conversation(self, conv: Conversation) -> Conversation:
        self.conversations[conv.conversation_id] = conv
        self.thread_index[(conv.shop_id, conv.buyer_id)] = conv.conversation_id
        return conv
