"""One dispatch table from WebSocket commands to the companion's services.

Handlers parse nothing (the frame is already a validated model), call one
service, and turn the outcome into a `result` frame; services never see the
socket (style.md habit 1). Failures become stable error codes from
`companion.protocol.ERROR_CODES`.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from companion.modes import UnknownShopError
from companion.protocol import (
    ConversationRelease,
    ConversationsList,
    FollowupDismiss,
    FollowupSend,
    FollowupsList,
    ModeSet,
    PageMessage,
    Ping,
    ReplyDismiss,
    ReplySend,
    fail,
    ok,
)

log = logging.getLogger(__name__)


class CommandError(Exception):
    """A command failed in a way the client should see, with a stable code."""

    def __init__(self, code: str, message: str = "", details: Any = None) -> None:
        super().__init__(message or code)
        self.code = code
        self.message = message
        self.details = details


Handler = Callable[[web.Application, Any], Awaitable[dict[str, Any]]]


async def _ping(app: web.Application, cmd: Ping) -> dict[str, Any]:
    return {"now": time.time()}


async def _mode_set(app: web.Application, cmd: ModeSet) -> dict[str, Any]:
    from companion.web.keys import mode_key

    try:
        state = app[mode_key].set_auto(cmd.auto, cmd.shop_id)
    except UnknownShopError as exc:
        raise CommandError("unknown_shop", f"no shop {cmd.shop_id}") from exc
    return {"auto": any(state.values()), "shops": state}


def _services(app: web.Application) -> Any:
    from companion.web import ws_services

    service = ws_services.find(app)
    if service is None:
        raise CommandError("unavailable", "the pipeline is not running")
    return service


async def _reply_send(app: web.Application, cmd: ReplySend) -> dict[str, Any]:
    return await _services(app).send_reply(
        shop_id=cmd.shop_id,
        conversation_id=cmd.conversation_id,
        text=cmd.text,
        suggestion_id=cmd.suggestion_id,
    )


async def _reply_dismiss(app: web.Application, cmd: ReplyDismiss) -> dict[str, Any]:
    return await _services(app).dismiss_reply(
        shop_id=cmd.shop_id, conversation_id=cmd.conversation_id, suggestion_id=cmd.suggestion_id
    )


async def _release(app: web.Application, cmd: ConversationRelease) -> dict[str, Any]:
    return await _services(app).release(shop_id=cmd.shop_id, conversation_id=cmd.conversation_id)


async def _conversations(app: web.Application, cmd: ConversationsList) -> dict[str, Any]:
    return await _services(app).conversations(shop_id=cmd.shop_id, limit=cmd.limit)


async def _page_message(app: web.Application, cmd: PageMessage) -> dict[str, Any]:
    """A claim read from the page: handed to ingest marked as such (security.md W5)."""
    return await _services(app).page_message(
        shop_id=cmd.shop_id,
        host=cmd.host,
        conversation_key=cmd.conversation_key,
        buyer_name=cmd.buyer_name,
        text=cmd.text,
        fingerprint=cmd.fingerprint,
    )


async def _followups(app: web.Application, cmd: FollowupsList) -> dict[str, Any]:
    from companion.web import ws_followups

    return await ws_followups.list_queued(app, cmd.shop_id, cmd.limit)


async def _followup_send(app: web.Application, cmd: FollowupSend) -> dict[str, Any]:
    """A person's one click: the companion re-checks the guards, then sends (send_message)."""
    from companion.web import ws_followups

    return await ws_followups.send(app, cmd.followup_id, cmd.text)


async def _followup_dismiss(app: web.Application, cmd: FollowupDismiss) -> dict[str, Any]:
    from companion.web import ws_followups

    return await ws_followups.dismiss(app, cmd.followup_id)


HANDLERS: dict[str, Handler] = {
    "ping": _ping,
    "mode.set": _mode_set,
    "reply.send": _reply_send,
    "reply.dismiss": _reply_dismiss,
    "conversation.release": _release,
    "conversations.list": _conversations,
    "page.message": _page_message,
    "followups.list": _followups,
    "followup.send": _followup_send,
    "followup.dismiss": _followup_dismiss,
}


async def run_command(app: web.Application, session: Any, command: Any) -> dict[str, Any]:
    """Run one validated command and build its `result` frame."""
    try:
        data = await HANDLERS[command.type](app, command)
    except CommandError as exc:
        return fail(command.id, exc.code, exc.message, exc.details)
    except Exception:
        request_id = uuid.uuid4().hex[:12]
        log.exception("command %s failed, request %s", command.type, request_id)
        return fail(command.id, "internal", f"request {request_id}")
    return ok(command.id, data)
