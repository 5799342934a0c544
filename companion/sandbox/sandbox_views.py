"""Read-only summaries for the sandbox-only routes: credentials, buyers, orders, items."""

from __future__ import annotations

from typing import Any

from companion.sandbox.chat import unread_count
from companion.sandbox.restrictions import within_contact_window
from companion.sandbox.state import Buyer, Item, Order, SandboxState

NS = 1_000_000_000


def credentials(state: SandboxState) -> dict[str, Any]:
    return {"partner_id": state.partner_id, "partner_key": state.partner_key,
            "shop_id": state.first_shop().shop_id,
            "shops": [{"shop_id": s.shop_id, "region": s.region, "name": s.name,
                       "user_id": s.user_id, "supports_autoreply": s.supports_autoreply,
                       "chat_api": s.chat_api}
                      for s in state.shops.values()]}


def order_summary(state: SandboxState, order: Order) -> dict[str, Any]:
    return {
        "order_sn": order.order_sn, "shop_id": order.shop_id, "buyer_id": order.buyer_id,
        "buyer_username": state.buyers[order.buyer_id].username, "status": order.status,
        "create_time": order.create_time, "update_time": order.update_time,
        "tracking_number": order.tracking_number, "shipping_carrier": order.carrier,
        "items": [{"item_id": x.item_id, "model_id": x.model_id, "quantity": x.quantity,
                   "item_name": state.items[x.item_id].name} for x in order.lines],
    }


def buyer_summary(state: SandboxState, buyer: Buyer) -> dict[str, Any]:
    """What tests need to pick a buyer for a send-restriction case."""
    conv = state.conversation_with(buyer.shop_id, buyer.user_id)
    orders = state.buyer_orders(buyer.shop_id, buyer.user_id)
    sns = {o.order_sn for o in orders}
    buyer_msgs = [m.created_ns for m in conv.messages if m.from_buyer] if conv else []
    return {
        "buyer_id": buyer.user_id, "username": buyer.username, "language": buyer.language,
        "shop_id": buyer.shop_id, "order_sns": sorted(sns),
        "last_order_time": max((o.create_time for o in orders), default=0),
        "conversation_id": conv.conversation_id if conv and conv.messages else "",
        "last_buyer_message_time": max(buyer_msgs, default=0) // NS,
        "unread_count": unread_count(conv) if conv else 0,
        "open_return": any(r.is_open and r.order_sn in sns for r in state.returns.values()),
        "can_contact": within_contact_window(state, buyer.shop_id, buyer, conv),
    }


def item_summary(item: Item) -> dict[str, Any]:
    return {
        "item_id": item.item_id, "shop_id": item.shop_id, "name": item.name,
        "category": item.category, "attributes": item.attributes, "size_chart": item.size_chart,
        "stock": item.stock if not item.models else sum(m.stock for m in item.models),
        "models": [{"model_id": m.model_id, "name": m.name, "stock": m.stock, "price": m.price}
                   for m in item.models],
    }
