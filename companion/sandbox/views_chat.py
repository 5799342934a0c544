"""Conversations and messages in the sellerchat JSON shapes (string ids, ns conversation times)."""

from __future__ import annotations

from typing import Any

from companion.sandbox.chat import unread_count
from companion.sandbox.state import Conversation, Message, SandboxState

NS = 1_000_000_000


def message_record(state: SandboxState, msg: Message) -> dict[str, Any]:
    conv = state.conversations[msg.conversation_id]
    shop = state.shops[conv.shop_id]
    shop_side = (shop.user_id, conv.shop_id)
    buyer_side = (conv.buyer_id, 0)
    (from_id, from_shop), (to_id, to_shop) = (
        (buyer_side, shop_side) if msg.from_buyer else (shop_side, buyer_side))
    return {
        "message_id": msg.message_id, "conversation_id": msg.conversation_id,
        "message_type": msg.message_type, "from_id": from_id, "to_id": to_id,
        "from_shop_id": from_shop, "to_shop_id": to_shop, "content": msg.content,
        "created_timestamp": msg.created_ns // NS, "region": shop.region, "status": msg.status,
        "source": msg.source, "source_content": msg.source_content, "message_option": 0,
        "quoted_msg": None,
    }


def conversation_record(state: SandboxState, conv: Conversation) -> dict[str, Any]:
    buyer = state.buyers[conv.buyer_id]
    shop = state.shops[conv.shop_id]
    last = conv.messages[-1] if conv.messages else None
    read_ids = [m.message_id for m in conv.messages if m.created_ns <= conv.last_read_ns]
    return {
        "conversation_id": conv.conversation_id, "to_id": buyer.user_id, "to_name": buyer.username,
        "to_avatar": f"https://cf.shopee.sg/file/sandbox-avatar-{buyer.user_id}",
        "shop_id": conv.shop_id, "unread_count": unread_count(conv), "pinned": conv.pinned,
        "mute": False, "last_read_message_id": read_ids[-1] if read_ids else "0",
        "latest_message_id": last.message_id if last else "0",
        "latest_message_type": last.message_type if last else "",
        "latest_message_content": last.content if last else {},
        "latest_message_from_id": 0 if last is None else (
            buyer.user_id if last.from_buyer else shop.user_id),
        "last_message_timestamp": conv.last_ns, "last_message_option": 0,
        "max_general_option_hide_time": "0",
    }


def sandbox_message(state: SandboxState, msg: Message) -> dict[str, Any]:
    """The sandbox-only view: every message with direction, `sent_via` and ns timestamp."""
    record = message_record(state, msg)
    record.update(direction="buyer" if msg.from_buyer else "shop",
                  created_timestamp_nano=str(msg.created_ns))
    if not msg.from_buyer:
        record["sent_via"] = msg.sent_via
    return record
