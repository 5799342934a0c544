"""REST for proactive follow-ups, and the cleanup context that runs them.

    GET  /api/v1/followups?shop_id=&state=&plan=&limit=   due/queued/sent/skipped + reasons
    GET  /api/v1/followups/metrics?shop_id=               counts per plan and state; reply and
                                                          repurchase rates of sent follow-ups
    GET  /api/v1/followups/settings?shop_id=              plans, delays, texts, quiet hours, caps
    PUT  /api/v1/followups/settings                       {shop_id?, ...partial settings}
    POST /api/v1/followups/{id}/send                      {text?}: a person approves -> send_message
    POST /api/v1/followups/{id}/dismiss                   a person drops a queued draft
    POST /api/v1/followups/run                            one round now (watch, plan, evaluate)

`followups_ctx` comes after the pipeline's context so it can read open
escalations from the chat store and publish on the event bus when they exist.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from typing import Any, Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from companion.followups import FollowupDB, FollowupService
from companion.followups.plans import PLANS
from companion.followups.schedule import Followup
from companion.followups.service import FollowupError
from companion.web import keys
from companion.web.errors import APIError
from companion.web.jsonio import read_json, read_model, validate

routes = web.RouteTableDef()
followups_key = web.AppKey("followups", FollowupService)
ID = r"^\d{1,20}$"
INTERVAL_S = 300.0

State = Literal["due", "scheduled", "queued", "sending", "sent", "skipped", "failed", "unknown"]


class ListQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    shop_id: str | None = Field(default=None, pattern=ID)
    state: State | None = None
    plan: Literal["review_request", "repurchase_voucher", "delay_apology"] | None = None
    limit: int = Field(default=100, ge=1, le=500)


class ShopQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    shop_id: str | None = Field(default=None, pattern=ID)


class SendIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str | None = Field(default=None, min_length=1, max_length=600)


def _service(request: web.Request) -> FollowupService:
    service = request.app.get(followups_key)
    if service is None:
        raise APIError(503, "unavailable", "follow-ups are not running")
    return service


def _shop(service: FollowupService, shop_id: str | None) -> str:
    if shop_id is None:
        if len(service.shops) == 1:
            return next(iter(service.shops))
        raise APIError(400, "shop_required", "give shop_id: the companion serves several shops")
    if shop_id not in service.shops:
        raise APIError(404, "unknown_shop", "not one of the companion's shops")
    return shop_id


def _id(request: web.Request) -> int:
    value = request.match_info["followup_id"]
    if not value.isdigit() or len(value) > 12:
        raise APIError(404, "not_found", "unknown follow-up")
    return int(value)


def _public(row: Followup, now: float) -> dict[str, Any]:
    data = row.public()
    data["due"] = row.state == "scheduled" and row.next_check_at <= now
    return data


@routes.get("/api/v1/followups")
async def list_followups(request: web.Request) -> web.Response:
    q = validate(ListQuery, dict(request.query))
    service = _service(request)
    state = "scheduled" if q.state == "due" else q.state
    rows = service.schedule.list(shop_id=q.shop_id, state=state, plan=q.plan, limit=q.limit)
    now = service.clock()
    items = [_public(r, now) for r in rows]
    if q.state == "due":
        items = [i for i in items if i["due"]]
    return web.json_response({"followups": items})


@routes.get("/api/v1/followups/metrics")
async def metrics(request: web.Request) -> web.Response:
    q = validate(ShopQuery, dict(request.query))
    service = _service(request)
    return web.json_response({"shop_id": q.shop_id, **service.metrics(q.shop_id)})


@routes.get("/api/v1/followups/settings")
async def get_settings(request: web.Request) -> web.Response:
    q = validate(ShopQuery, dict(request.query))
    service = _service(request)
    shop_id = _shop(service, q.shop_id)
    return web.json_response({"shop_id": shop_id, "plans_available": list(PLANS),
                              "settings": service.settings(shop_id).model_dump(mode="json")})


@routes.put("/api/v1/followups/settings")
async def put_settings(request: web.Request) -> web.Response:
    body = await read_json(request)
    if not isinstance(body, dict):
        raise APIError(422, "invalid_input", "the body must be a JSON object")
    service = _service(request)
    shop_id = body.pop("shop_id", None)
    if shop_id is not None and not isinstance(shop_id, str):
        raise APIError(422, "invalid_input", "shop_id must be a string")
    shop_id = _shop(service, shop_id)
    try:
        updated = service.update_settings(shop_id, body)
    except ValidationError as exc:
        details = [{"field": ".".join(str(p) for p in err["loc"]) or "body",
                    "problem": err["msg"]}
                   for err in exc.errors(include_url=False, include_input=False)]
        raise APIError(422, "invalid_input", "invalid settings", details) from None
    return web.json_response({"shop_id": shop_id, "settings": updated.model_dump(mode="json")})


@routes.post("/api/v1/followups/{followup_id}/send")
async def send(request: web.Request) -> web.Response:
    body = await read_model(request, SendIn)
    service = _service(request)
    try:
        row = await service.send_queued(_id(request), body.text, by="person")
    except FollowupError as exc:
        raise APIError(exc.status, exc.code, exc.message) from None
    return web.json_response(_public(row, service.clock()))


@routes.post("/api/v1/followups/{followup_id}/dismiss")
async def dismiss(request: web.Request) -> web.Response:
    service = _service(request)
    try:
        row = service.dismiss(_id(request))
    except FollowupError as exc:
        raise APIError(exc.status, exc.code, exc.message) from None
    return web.json_response(_public(row, service.clock()))


@routes.post("/api/v1/followups/run")
async def run_now(request: web.Request) -> web.Response:
    report = await _service(request).tick()
    return web.json_response({"transitions": report.transitions, "scheduled": report.scheduled,
                              "evaluated": report.evaluated, "errors": report.errors})


# --- the running service -------------------------------------------------------------------------


def _store(app: web.Application) -> Any:
    """The chat store (open escalations, held conversations, languages)."""
    return app[keys.store_key]


def _auto_blocker(app: web.Application) -> Any:
    modes = app[keys.mode_key]

    def blocker(shop_id: str) -> str | None:
        if modes.paused_until is not None:
            return "automation_paused"
        return None if modes.is_auto(shop_id) else "auto_mode_off"

    return blocker


def _publisher(app: web.Application) -> Any:
    """The event bus: queue news reaches the overlay."""
    return app[keys.bus_key].publish


async def followups_ctx(app: web.Application) -> AsyncIterator[None]:
    """cleanup_ctx entry: open the schedule, start the loop; stop it and close on exit."""
    settings = app[keys.settings_key]
    connection = app[keys.connection_key]
    db = FollowupDB.open(settings.data_dir)
    service = FollowupService(
        client=connection.client, shops={s.shop_id: s for s in connection.shops}, db=db,
        clock=time.time, store=_store(app), auto_blocker=_auto_blocker(app),
        publish=_publisher(app))
    app[followups_key] = service
    task = asyncio.create_task(service.run(INTERVAL_S), name="followups")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        db.close()
