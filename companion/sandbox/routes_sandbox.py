"""Sandbox-only routes under /sandbox/v1/ (JSON, unsigned): buyers, chats, faults, tokens.

Errors here are `{"error": code, "message": text}` with a 4xx status.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from companion.sandbox.auth_store import issue_code, issue_pair
from companion.sandbox.buyers import build_buyers
from companion.sandbox.chat import receive_buyer_message
from companion.sandbox.context import state_of
from companion.sandbox.faults import FAULT_KINDS
from companion.sandbox.keys import FAULTS
from companion.sandbox.orders_seed import build_order
from companion.sandbox.routes_orders import ORDER_STATUSES
from companion.sandbox.sandbox_views import (
    buyer_summary,
    credentials,
    item_summary,
    order_summary,
)
from companion.sandbox.state import Buyer, SandboxState, Shop
from companion.sandbox.views_chat import conversation_record, sandbox_message

PREFIX = "/sandbox/v1"
MAX_NEW_BUYERS = 5000


class SandboxError(Exception):
    """A bad sandbox-route request; rendered as JSON by the app middleware."""

    def __init__(self, message: str, status: int = 400, error: str = "bad_request") -> None:
        super().__init__(message)
        self.message, self.status, self.error = message, status, error


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json() if request.can_read_body else {}
    except ValueError:
        raise SandboxError("body is not valid JSON") from None
    if not isinstance(body, dict):
        raise SandboxError("body must be a JSON object")
    return body


def _int(value: Any, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise SandboxError(f"{name} must be an integer") from None


def _shop(state: SandboxState, raw: Any) -> Shop:
    if raw in (None, ""):
        return state.first_shop()
    shop = state.shops.get(_int(raw, "shop_id"))
    if shop is None:
        raise SandboxError("unknown shop_id", 404, "not_found")
    return shop


def _buyer(state: SandboxState, shop: Shop, body: dict[str, Any]) -> Buyer:
    """Explicit buyer, else the order's buyer, else a seeded buyer who has orders."""
    if body.get("buyer_id") not in (None, ""):
        buyer = state.buyers.get(_int(body["buyer_id"], "buyer_id"))
        if buyer is None or buyer.shop_id != shop.shop_id:
            raise SandboxError("buyer_id is not a buyer of this shop", 404, "not_found")
        return buyer
    order = state.orders.get(str(body.get("order_sn") or ""))
    if order is not None:
        return state.buyers[order.buyer_id]
    with_orders = sorted({o.buyer_id for o in state.orders.values() if o.shop_id == shop.shop_id})
    return state.buyers[state.rng.choice(with_orders)]


async def post_buyer_message(request: web.Request) -> web.Response:
    state = state_of(request)
    body = await _body(request)
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        raise SandboxError("text is required")
    shop = _shop(state, body.get("shop_id"))
    buyer = _buyer(state, shop, body)
    order_sn = str(body.get("order_sn") or "")
    order = state.orders.get(order_sn)
    if order_sn and (order is None or order.shop_id != shop.shop_id):
        raise SandboxError("order_sn is not an order of this shop", 404, "not_found")
    item_id = _int(body.get("item_id") or 0, "item_id")
    if item_id and (item_id not in state.items or state.items[item_id].shop_id != shop.shop_id):
        raise SandboxError("item_id is not an item of this shop", 404, "not_found")
    message = receive_buyer_message(state, shop.shop_id, buyer.user_id, text, order_sn, item_id)
    return web.json_response({"message_id": message.message_id,
                              "conversation_id": message.conversation_id,
                              "buyer_id": buyer.user_id, "shop_id": shop.shop_id,
                              "created_timestamp_nano": str(message.created_ns)})


async def get_conversations(request: web.Request) -> web.Response:
    """One shop's conversations with `shop_id`, every shop's without (newest first)."""
    state = state_of(request)
    raw = request.query.get("shop_id")
    shop_ids = {s.shop_id for s in state.shops.values()} if raw in (None, "") \
        else {_shop(state, raw).shop_id}
    convs = sorted((c for c in state.conversations.values()
                    if c.shop_id in shop_ids and c.messages), key=lambda c: -c.last_ns)
    return web.json_response({"conversations": [conversation_record(state, c) for c in convs]})


async def get_conversation_messages(request: web.Request) -> web.Response:
    state = state_of(request)
    conv = state.conversations.get(request.match_info["conversation_id"])
    if conv is None:
        raise SandboxError("unknown conversation_id", 404, "not_found")
    return web.json_response({"conversation_id": conv.conversation_id, "shop_id": conv.shop_id,
                              "buyer_id": conv.buyer_id, "context": conv.context,
                              "messages": [sandbox_message(state, m) for m in conv.messages]})


async def post_fault(request: web.Request) -> web.Response:
    body = await _body(request)
    kind, path = body.get("kind"), body.get("path")
    if kind not in FAULT_KINDS or not isinstance(path, str) or not path:
        raise SandboxError(f"path is required and kind must be one of {', '.join(FAULT_KINDS)}")
    count = _int(body.get("count", 1), "count")
    faults = request.app[FAULTS]
    if "seconds" in body:
        faults.timeout_s = float(_int(body["seconds"], "seconds"))
    return web.json_response({"path": faults.add(path, kind, max(count, 1)), "kind": kind,
                              "count": max(count, 1), "timeout_seconds": faults.timeout_s})


async def delete_faults(request: web.Request) -> web.Response:
    request.app[FAULTS].pending.clear()
    return web.json_response({"cleared": True})


async def post_chat_api(request: web.Request) -> web.Response:
    """Give a shop chat-API access or take it away (page-assist tests: no chat API)."""
    state = state_of(request)
    body = await _body(request)
    shop = _shop(state, body.get("shop_id"))
    enabled = body.get("enabled")
    if not isinstance(enabled, bool):
        raise SandboxError("enabled must be true or false")
    shop.chat_api = enabled
    return web.json_response({"shop_id": shop.shop_id, "chat_api": shop.chat_api})


async def get_credentials(request: web.Request) -> web.Response:
    return web.json_response(credentials(state_of(request)))


async def get_orders(request: web.Request) -> web.Response:
    state = state_of(request)
    status = request.query.get("status", "")
    if status and status not in ORDER_STATUSES:
        raise SandboxError("unknown status")
    shop_id = request.query.get("shop_id")
    orders = [o for o in state.orders.values() if (not status or o.status == status)
              and (not shop_id or o.shop_id == _int(shop_id, "shop_id"))]
    orders.sort(key=lambda o: -o.create_time)
    return web.json_response({"orders": [order_summary(state, o) for o in orders]})


async def post_order_status(request: web.Request) -> web.Response:
    """Move an order to another status (tests of delivery follow-ups, cancellations)."""
    state = state_of(request)
    order = state.orders.get(request.match_info["order_sn"])
    if order is None:
        raise SandboxError("unknown order_sn", 404, "not_found")
    status = (await _body(request)).get("status")
    if status not in ORDER_STATUSES:
        raise SandboxError("unknown status")
    order.status, order.update_time = status, state.now()
    return web.json_response(order_summary(state, order))


async def post_token_ttl(request: web.Request) -> web.Response:
    seconds = _int((await _body(request)).get("seconds"), "seconds")
    if seconds < 1:
        raise SandboxError("seconds must be >= 1")
    state_of(request).auth.token_ttl = seconds
    return web.json_response({"token_ttl": seconds})


async def post_auth_code(request: web.Request) -> web.Response:
    state = state_of(request)
    shop = _shop(state, (await _body(request)).get("shop_id"))
    return web.json_response({"code": issue_code(state, shop.shop_id), "shop_id": shop.shop_id})


async def post_tokens(request: web.Request) -> web.Response:
    """Skip the consent dance: a fresh token pair for a shop (benchmarks, demos)."""
    state = state_of(request)
    shop = _shop(state, (await _body(request)).get("shop_id"))
    return web.json_response({**issue_pair(state, shop.shop_id), "shop_id": shop.shop_id})


async def get_buyers(request: web.Request) -> web.Response:
    state = state_of(request)
    shop = _shop(state, request.query.get("shop_id"))
    return web.json_response({"buyers": [buyer_summary(state, b)
                                         for b in state.shop_buyers(shop.shop_id)]})


async def post_buyers(request: web.Request) -> web.Response:
    """More buyers on demand (load tests over many conversations), each with one order.

    Drawn from the sandbox's own random stream, so a seed and the same sequence
    of calls give the same buyers and orders; the seeded world is untouched.
    """
    state = state_of(request)
    body = await _body(request)
    shop = _shop(state, body.get("shop_id"))
    count = _int(body.get("count", 1), "count")
    if not 1 <= count <= MAX_NEW_BUYERS:
        raise SandboxError(f"count must be between 1 and {MAX_NEW_BUYERS}")
    status = body.get("order_status", "SHIPPED")
    if status not in ORDER_STATUSES:
        raise SandboxError("unknown order_status")
    items = sorted((i for i in state.items.values() if i.shop_id == shop.shop_id),
                   key=lambda i: i.item_id)
    taken = set(state.buyers)
    names = {b.username for b in state.buyers.values()}
    buyers = [b for b in build_buyers(shop, count + len(names), state.rng, taken)
              if b.username not in names][:count]
    out = []
    for buyer in buyers:
        state.buyers[buyer.user_id] = buyer
        order = build_order(shop, buyer, status, items, state.now(), state.rng)
        state.orders[order.order_sn] = order
        out.append({"buyer_id": buyer.user_id, "username": buyer.username,
                    "language": buyer.language, "shop_id": shop.shop_id,
                    "order_sn": order.order_sn, "order_status": order.status})
    return web.json_response({"buyers": out})


async def get_items(request: web.Request) -> web.Response:
    state = state_of(request)
    shop = _shop(state, request.query.get("shop_id"))
    items = sorted((i for i in state.items.values() if i.shop_id == shop.shop_id),
                   key=lambda i: i.item_id)
    return web.json_response({"items": [item_summary(i) for i in items]})


def add_routes(app: web.Application) -> None:
    router = app.router
    router.add_post(f"{PREFIX}/buyer_messages", post_buyer_message)
    router.add_get(f"{PREFIX}/conversations", get_conversations)
    router.add_get(f"{PREFIX}/conversations/{{conversation_id}}/messages",
                   get_conversation_messages)
    router.add_post(f"{PREFIX}/faults", post_fault)
    router.add_delete(f"{PREFIX}/faults", delete_faults)
    router.add_post(f"{PREFIX}/chat_api", post_chat_api)
    router.add_get(f"{PREFIX}/credentials", get_credentials)
    router.add_get(f"{PREFIX}/orders", get_orders)
    router.add_post(f"{PREFIX}/orders/{{order_sn}}/status", post_order_status)
    router.add_post(f"{PREFIX}/token_ttl", post_token_ttl)
    router.add_post(f"{PREFIX}/auth_code", post_auth_code)
    router.add_post(f"{PREFIX}/tokens", post_tokens)
    router.add_get(f"{PREFIX}/buyers", get_buyers)
    router.add_post(f"{PREFIX}/buyers", post_buyers)
    router.add_get(f"{PREFIX}/items", get_items)
