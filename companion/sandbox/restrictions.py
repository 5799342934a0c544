"""Shopee's chat send restrictions (platform doc 0.4 and 7.4), checked before a shop message.

Order of checks: length, contact window, first-message order info, five in a
row, identical text within 24 h. Each failure raises the documented error name.
"""

from __future__ import annotations

from companion.sandbox.envelope import ApiError
from companion.sandbox.state import Buyer, Conversation, SandboxState

MAX_TEXT = 600
MAX_IN_A_ROW = 5
CHAT_WINDOW_S = 7 * 86400
ORDER_WINDOW_S = 30 * 86400
DUPLICATE_WINDOW_S = 24 * 3600
NS = 1_000_000_000


def within_contact_window(state: SandboxState, shop_id: int, buyer: Buyer,
                          conv: Conversation | None) -> bool:
    """Buyer chatted in 7 days, ordered in 30 days, or has an open return."""
    now = state.now()
    recent = [m for m in (conv.messages if conv else []) if m.from_buyer
              and now - m.created_ns // NS <= CHAT_WINDOW_S]
    if recent:
        return True
    orders = state.buyer_orders(shop_id, buyer.user_id)
    if any(now - o.create_time <= ORDER_WINDOW_S for o in orders):
        return True
    order_sns = {o.order_sn for o in orders}
    return any(r.is_open and r.order_sn in order_sns for r in state.returns.values())


def shop_messages_in_a_row(conv: Conversation) -> int:
    count = 0
    for message in reversed(conv.messages):
        if message.from_buyer:
            break
        count += 1
    return count


def sent_same_text_recently(state: SandboxState, conv: Conversation, text: str) -> bool:
    cutoff = (state.now() - DUPLICATE_WINDOW_S) * NS
    return any(not m.from_buyer and m.content.get("text") == text and m.created_ns >= cutoff
               for m in conv.messages)


def check_send(state: SandboxState, shop_id: int, buyer: Buyer, conv: Conversation | None,
               text: str | None, has_order_info: bool) -> None:
    """Raise the Shopee error a real send would get, or return quietly."""
    if text is not None and len(text) > MAX_TEXT:
        raise ApiError("message_too_long", f"Text must be at most {MAX_TEXT} characters.")
    if not within_contact_window(state, shop_id, buyer, conv):
        raise ApiError("user_is_forbidden", "You can only chat with buyers who chatted in the "
                       "last 7 days, ordered in the last 30 days or have an open return.")
    if conv is None or not conv.messages:
        if not has_order_info:
            raise ApiError("first_chat_without_order_info",
                           "The first message to a buyer must carry order information.")
        return
    if shop_messages_in_a_row(conv) >= MAX_IN_A_ROW:
        raise ApiError("reach_5_message_limit",
                       "You cannot send more than 5 messages in a row without a buyer reply.")
    if text is not None and sent_same_text_recently(state, conv, text):
        raise ApiError("error_business", "The same message was already sent to this buyer "
                       "within 24 hours.")
