"""Chat threads: buyer messages arriving, shop messages leaving (after the send restrictions)."""

from __future__ import annotations

from typing import Any

from companion.sandbox.envelope import param_error
from companion.sandbox.restrictions import check_send
from companion.sandbox.state import Buyer, Conversation, Message, SandboxState, Shop

CONVERSATION_ID_BASE = 4 * 10**17
MESSAGE_ID_BASE = 2 * 10**18
SHOP_MESSAGE_TYPES = frozenset({"text", "order", "item", "sticker", "image"})


def conversation_for(state: SandboxState, shop_id: int, buyer_id: int) -> Conversation:
    """The shop-buyer thread, created empty when it does not exist yet."""
    conv = state.conversation_with(shop_id, buyer_id)
    if conv is None:
        conv_id = str(state.new_id(CONVERSATION_ID_BASE))
        conv = state.add_conversation(Conversation(conv_id, shop_id, buyer_id))
    return conv


def append(state: SandboxState, conv: Conversation, from_buyer: bool, message_type: str,
           content: dict[str, Any], created_ns: int | None = None, **extra: Any) -> Message:
    message = Message(str(state.new_id(MESSAGE_ID_BASE)), conv.conversation_id, from_buyer,
                      message_type, content, created_ns or state.next_ns(), **extra)
    conv.messages.append(message)
    return message


def receive_buyer_message(state: SandboxState, shop_id: int, buyer_id: int, text: str,
                          order_sn: str = "", item_id: int = 0) -> Message:
    """A buyer writes: the message lands unread, newest in the conversation list."""
    conv = conversation_for(state, shop_id, buyer_id)
    source: dict[str, Any] = {}
    if order_sn:
        source["order_sn"] = order_sn
    if item_id:
        source["item_id"] = item_id
    conv.context.update(source)
    return append(state, conv, True, "text", {"text": text}, source_content=source,
                  source=state.rng.choice(("android", "ios", "new_webchat")))


def _order_info(state: SandboxState, shop: Shop, buyer: Buyer, message_type: str,
                content: dict[str, Any], source: dict[str, Any]) -> bool:
    sn = content.get("order_sn") if message_type == "order" else source.get("order_sn")
    order = state.orders.get(str(sn or ""))
    return bool(order and order.shop_id == shop.shop_id and order.buyer_id == buyer.user_id)


def validate_content(message_type: str, content: Any) -> str | None:
    """Return the text of a text message (None otherwise); reject malformed content."""
    if message_type not in SHOP_MESSAGE_TYPES:
        raise param_error("message_type is not supported")
    if not isinstance(content, dict):
        raise param_error("content must be an object")
    if message_type == "text":
        text = content.get("text")
        if not isinstance(text, str) or not text.strip():
            raise param_error("content.text is required")
        return text
    return None


def send_shop_message(state: SandboxState, shop: Shop, buyer: Buyer, message_type: str,
                      content: Any, via: str, source: dict[str, Any] | None = None) -> Message:
    """Check the send restrictions, then store the message; replying marks the thread read."""
    text = validate_content(message_type, content)
    source = source or {}
    conv = state.conversation_with(shop.shop_id, buyer.user_id)
    has_order = _order_info(state, shop, buyer, message_type, content, source)
    check_send(state, shop.shop_id, buyer, conv, text, has_order)
    conv = conv or conversation_for(state, shop.shop_id, buyer.user_id)
    status = "auto_reply" if via == "send_autoreply_message" else "normal"
    message = append(state, conv, False, message_type, dict(content), status=status,
                     source="openapi", sent_via=via, source_content=source)
    conv.last_read_ns = message.created_ns
    return message


def find_buyer(state: SandboxState, shop: Shop, to_id: int) -> Buyer:
    buyer = state.buyers.get(to_id)
    if buyer is None or buyer.shop_id != shop.shop_id:
        raise param_error("to_id is not a buyer of this shop")
    return buyer


def unread_count(conv: Conversation) -> int:
    return sum(1 for m in conv.messages if m.from_buyer and m.created_ns > conv.last_read_ns)
