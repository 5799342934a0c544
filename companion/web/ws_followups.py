"""The follow-up queue for the overlay: list, person-approved send, dismiss, and wire payloads.

Follow-ups (issue 7) that may not go out automatically wait for a person with
the reason why; the overlay shows them and sends one with a click through the
same `FollowupService.send_queued` the dashboard uses (re-checked guards, then
`send_message`). The service publishes `followup.<state>` domain events on the
bus; `wire_data` turns one into the documented payload (companion/protocol.md),
adding the draft text and the buyer from the schedule row.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from companion.web.ws_commands import CommandError

# FollowupService error codes -> protocol error codes (anything else is a guard: send_refused).
_CODES = {
    "not_found": "not_found",
    "unknown_shop": "unknown_shop",
    "not_queued": "conflict",
    "not_dismissable": "conflict",
    "not_sendable": "conflict",
    "bad_text": "invalid_format",
    "shopee_unavailable": "unavailable",
}


def _service(app: web.Application) -> Any:
    from companion.web.routes_followups import followups_key

    service = app.get(followups_key)
    if service is None:
        raise CommandError("unavailable", "follow-ups are not running")
    return service


def _buyer_name(app: web.Application, shop_id: str, conversation_id: str | None) -> str:
    from companion.web.routes_pipeline import pipeline_key

    pipeline = app.get(pipeline_key)
    names = getattr(pipeline, "names", None)
    return names.get(shop_id, conversation_id) if names is not None else ""


def row_wire(app: web.Application, row: Any) -> dict[str, Any]:
    """A schedule row as the overlay's queue holds it."""
    return {
        "followup_id": row.id,
        "shop_id": row.shop_id,
        "plan": row.plan,
        "state": row.state,
        "reason": row.reason,
        "order_sn": row.order_sn,
        "buyer_id": row.buyer_id,
        "buyer_name": _buyer_name(app, row.shop_id, row.conversation_id),
        "conversation_id": row.conversation_id,
        "text": row.text or "",
        "language": row.language,
        "voucher_code": row.voucher_code,
        "updated_at": row.updated_at,
    }


def wire_data(app: web.Application, data: dict[str, Any]) -> dict[str, Any]:
    """The wire payload of a `followup.*` domain event: state and reason as of the event."""
    from companion.web.routes_followups import followups_key

    service = app.get(followups_key)
    row = service.schedule.get(int(data["id"])) if service is not None and "id" in data else None
    base = row_wire(app, row) if row is not None else {}
    return {
        **base,
        "followup_id": data.get("id"),
        "shop_id": data.get("shop_id"),
        "plan": data.get("plan"),
        "state": data.get("state"),
        "reason": data.get("reason") or "",
        "order_sn": data.get("order_sn") or "",
    }


def _refused(exc: Any) -> CommandError:
    code = _CODES.get(exc.code, "send_refused")
    return CommandError(code, exc.message, {"reason": exc.code})


async def list_queued(app: web.Application, shop_id: str | None, limit: int) -> dict[str, Any]:
    service = _service(app)
    if shop_id is not None and shop_id not in service.shops:
        raise CommandError("unknown_shop", f"no shop {shop_id}")
    rows = service.schedule.list(shop_id=shop_id, state="queued", limit=limit)
    rows = sorted(rows, key=lambda r: (r.updated_at, r.id))
    return {"followups": [row_wire(app, r) for r in rows]}


async def send(app: web.Application, followup_id: int, text: str | None) -> dict[str, Any]:
    from companion.followups.service import FollowupError

    service = _service(app)
    try:
        row = await service.send_queued(followup_id, text, by="person")
    except FollowupError as exc:
        raise _refused(exc) from exc
    if row.state != "sent":
        raise CommandError("send_refused", f"the follow-up is {row.state}",
                           {"reason": row.reason, "state": row.state})
    return {"sent": True, "followup_id": row.id, "state": row.state,
            "sent_message_id": row.sent_message_id, "conversation_id": row.conversation_id}


async def dismiss(app: web.Application, followup_id: int) -> dict[str, Any]:
    from companion.followups.service import FollowupError

    service = _service(app)
    try:
        row = service.dismiss(followup_id)
    except FollowupError as exc:
        raise _refused(exc) from exc
    return {"dismissed": True, "followup_id": row.id, "state": row.state}
