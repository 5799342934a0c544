"""Seller chat endpoints: conversation list/one, messages, send, auto-reply send, read."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from companion.sandbox.chat import find_buyer, send_shop_message, unread_count
from companion.sandbox.context import shop_of, state_of
from companion.sandbox.envelope import ApiError, ok, param_error
from companion.sandbox.params import body_int, in_range, json_body, query_int, query_list, query_str
from companion.sandbox.state import Conversation, Message, SandboxState, Shop
from companion.sandbox.views_chat import conversation_record, message_record


def _conversations(state: SandboxState, shop: Shop, kind: str) -> list[Conversation]:
    return [c for c in state.conversations.values() if c.shop_id == shop.shop_id and c.messages
            and (kind != "pinned" or c.pinned)
            and (kind != "unread" or unread_count(c) > 0)]


async def get_conversation_list(request: web.Request) -> web.Response:
    """`older`: newest first, cursor = strictly older; `latest`: oldest first, strictly newer."""
    state, shop = state_of(request), shop_of(request)
    direction, kind = query_str(request, "direction"), query_str(request, "type")
    if direction not in {"latest", "older"} or kind not in {"all", "pinned", "unread"}:
        raise param_error("direction must be latest/older and type all/pinned/unread")
    size = in_range("page_size", query_int(request, "page_size", 25), 1, 60)
    cursor = query_int(request, "next_timestamp_nano", 0)
    convs = [] if query_int(request, "business_type", 0) else _conversations(state, shop, kind)
    newer = direction == "latest"
    convs.sort(key=lambda c: c.last_ns, reverse=not newer)
    if cursor:
        convs = [c for c in convs if (c.last_ns > cursor if newer else c.last_ns < cursor)]
    page, more = convs[:size], len(convs) > size
    last = page[-1] if page else None
    next_cursor = {"next_message_time_nano": str(last.last_ns) if last else "0",
                   "conversation_id": last.conversation_id if last else "0"}
    return ok({"page_result": {"page_size": len(page), "more": more, "next_cursor": next_cursor},
               "conversations": [conversation_record(state, c) for c in page]})


def own_conversation(state: SandboxState, shop: Shop, conversation_id: str) -> Conversation:
    conv = state.conversations.get(str(conversation_id))
    if conv is None or conv.shop_id != shop.shop_id:
        raise ApiError("error_not_found", "Conversation not found.")
    return conv


async def get_one_conversation(request: web.Request) -> web.Response:
    state, shop = state_of(request), shop_of(request)
    conv = own_conversation(state, shop, query_str(request, "conversation_id"))
    return ok(conversation_record(state, conv))


def _page(conv: Conversation, offset: str, size: int) -> tuple[list[Message], str]:
    newest_first = list(reversed(conv.messages))
    if offset:
        if not offset.isdigit():
            raise param_error("offset is invalid")
        newest_first = [m for m in newest_first if m.created_ns < int(offset)]
    page = newest_first[:size]
    more = len(newest_first) > size
    return page, str(page[-1].created_ns) if more and page else ""


async def get_message(request: web.Request) -> web.Response:
    """Newest first; `next_offset` is a ns cursor string, empty when there is nothing older."""
    state, shop = state_of(request), shop_of(request)
    conv = own_conversation(state, shop, query_str(request, "conversation_id"))
    size = in_range("page_size", query_int(request, "page_size", 25), 1, 100)
    wanted = set(query_list(request, "message_id_list"))
    if wanted:
        page, next_offset = [m for m in reversed(conv.messages) if m.message_id in wanted], ""
    else:
        page, next_offset = _page(conv, request.query.get("offset", ""), size)
    return ok({"messages": [message_record(state, m) for m in page],
               "page_result": {"page_size": len(page), "next_offset": next_offset}})


def _sent(state: SandboxState, message: Message) -> dict[str, Any]:
    record = message_record(state, message)
    keys = ("message_id", "conversation_id", "to_id", "message_type", "content",
            "created_timestamp", "message_option", "region")
    return {k: record[k] for k in keys}


async def send_message(request: web.Request) -> web.Response:
    state, shop = state_of(request), shop_of(request)
    body = await json_body(request)
    if body_int(body, "business_type", required=False):
        raise param_error("only business_type 0 (buyer chat) is simulated")
    buyer = find_buyer(state, shop, body_int(body, "to_id"))
    source = body.get("source_content") if isinstance(body.get("source_content"), dict) else {}
    message_type = body.get("message_type")
    if not isinstance(message_type, str):
        raise param_error("message_type is required")
    message = send_shop_message(state, shop, buyer, message_type, body.get("content"),
                                "send_message", source)
    return ok(_sent(state, message))


async def send_autoreply_message(request: web.Request) -> web.Response:
    """Text-only auto-reply, flagged `auto_reply`; TW shops do not have this endpoint."""
    state, shop = state_of(request), shop_of(request)
    if not shop.supports_autoreply:
        raise ApiError("error_api_permission",
                       f"send_autoreply_message is not supported in region {shop.region}.", 403)
    body = await json_body(request)
    buyer = find_buyer(state, shop, body_int(body, "to_id"))
    message = send_shop_message(state, shop, buyer, "text", body.get("content"),
                                "send_autoreply_message")
    return ok(_sent(state, message))


async def read_conversation(request: web.Request) -> web.Response:
    state, shop = state_of(request), shop_of(request)
    body = await json_body(request)
    conv = own_conversation(state, shop, str(body.get("conversation_id", "")))
    last_id = str(body.get("last_read_message_id", ""))
    target = next((m for m in conv.messages if m.message_id == last_id), None)
    if target is None:
        raise param_error("last_read_message_id is not in this conversation")
    conv.last_read_ns = max(conv.last_read_ns, target.created_ns)
    return ok({"conversation_id": conv.conversation_id, "last_read_message_id": last_id})


CHAT_PREFIX = "/api/v2/sellerchat/"


def check_chat_access(shop: Shop | None) -> None:
    """A shop switched to "no chat API" (sandbox route `chat_api`) is refused every chat call."""
    if shop is not None and not shop.chat_api:
        raise ApiError("error_api_permission",
                       "This shop's app has no permission to call sellerchat APIs.", 403)


def add_routes(app: web.Application) -> None:
    base = CHAT_PREFIX
    app.router.add_get(base + "get_conversation_list", get_conversation_list)
    app.router.add_get(base + "get_one_conversation", get_one_conversation)
    app.router.add_get(base + "get_message", get_message)
    app.router.add_post(base + "send_message", send_message)
    app.router.add_post(base + "send_autoreply_message", send_autoreply_message)
    app.router.add_post(base + "read_conversation", read_conversation)
