"""REST for the conversation pipeline, and the cleanup context that runs it.

    GET  /api/v1/conversations?shop_id=&limit=        latest decision per conversation
    POST /api/v1/conversations/{id}/reply            {shop_id?, message_id?, text?}: a person
                                                     approves (optionally edited) -> send_message
    POST /api/v1/conversations/{id}/dismiss          {shop_id?, message_id?}
    POST /api/v1/conversations/{id}/release          {shop_id?}: end the hold
    GET  /api/v1/automation                          per-intent eligibility and acceptance
    PUT  /api/v1/automation/{intent}                 {"override": "auto" | "suggest" | null}
    GET  /api/v1/kpis?shop_id=                       CRR, FRT, at-risk, vs get_shop_performance

`pipeline_ctx` starts the pollers and the processor after the connection,
mode, model, store and rules contexts, recovering pending messages and
interrupted sends first.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import AsyncIterator
from typing import Any, Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from companion.pipeline.config import load_config
from companion.pipeline.livedata import make_gatherer
from companion.pipeline.policy import AutomationPolicy
from companion.pipeline.processor import Processor
from companion.pipeline.push import load_push_config, run_push_listener
from companion.pipeline.service import Pipeline, PipelineError
from companion.shopee.errors import ShopeeError
from companion.shopee.models import CHAT_RESPONSE_RATE_METRIC, RESPONSE_TIME_METRIC
from companion.store.report import kpi_report
from companion.web import keys
from companion.web.errors import APIError
from companion.web.jsonio import read_model, validate

log = logging.getLogger(__name__)
routes = web.RouteTableDef()
pipeline_key = web.AppKey("pipeline", Pipeline)
ID = r"^\d{1,20}$"


class ShopQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    shop_id: str | None = Field(default=None, pattern=ID)
    limit: int = Field(default=50, ge=1, le=500)


class ReplyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    shop_id: str | None = Field(default=None, pattern=ID)
    message_id: str | None = Field(default=None, pattern=r"^[\w:.-]{1,64}$")
    text: str | None = Field(default=None, min_length=1, max_length=600)


class TargetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    shop_id: str | None = Field(default=None, pattern=ID)
    message_id: str | None = Field(default=None, pattern=r"^[\w:.-]{1,64}$")


class OverrideIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    override: Literal["auto", "suggest"] | None


def _pipeline(request: web.Request) -> Pipeline:
    pipeline = request.app.get(pipeline_key)
    if pipeline is None:
        raise APIError(503, "unavailable", "the pipeline is not running")
    return pipeline


def _conversation_id(request: web.Request) -> str:
    value = request.match_info["conversation_id"]
    if not value.isdigit() or len(value) > 24:
        raise APIError(404, "not_found", "unknown conversation")
    return value


async def _run(work: Any) -> web.Response:
    try:
        result = await work if asyncio.iscoroutine(work) else work
    except PipelineError as exc:
        raise APIError(exc.status, exc.code, exc.message) from None
    return web.json_response(result)


@routes.get("/api/v1/conversations")
async def list_conversations(request: web.Request) -> web.Response:
    q = validate(ShopQuery, dict(request.query))
    pipeline = _pipeline(request)
    try:
        return web.json_response(pipeline.conversations(q.shop_id, q.limit))
    except PipelineError as exc:
        raise APIError(exc.status, exc.code, exc.message) from None


@routes.post("/api/v1/conversations/{conversation_id}/reply")
async def approve_reply(request: web.Request) -> web.Response:
    body = await read_model(request, ReplyIn)
    pipeline = _pipeline(request)
    conv = _conversation_id(request)
    return await _run(pipeline.approve(body.shop_id, conv, body.message_id, body.text))


@routes.post("/api/v1/conversations/{conversation_id}/dismiss")
async def dismiss_reply(request: web.Request) -> web.Response:
    body = await read_model(request, TargetIn)
    pipeline = _pipeline(request)
    conv = _conversation_id(request)
    try:
        return web.json_response(pipeline.dismiss(body.shop_id, conv, body.message_id))
    except PipelineError as exc:
        raise APIError(exc.status, exc.code, exc.message) from None


@routes.post("/api/v1/conversations/{conversation_id}/release")
async def release(request: web.Request) -> web.Response:
    body = await read_model(request, TargetIn)
    pipeline = _pipeline(request)
    conv = _conversation_id(request)
    try:
        return web.json_response(pipeline.release(body.shop_id, conv))
    except PipelineError as exc:
        raise APIError(exc.status, exc.code, exc.message) from None


@routes.get("/api/v1/automation")
async def automation(request: web.Request) -> web.Response:
    policy = _pipeline(request).policy
    return web.json_response({"intents": [s.public() for s in policy.all_statuses()]})


@routes.put("/api/v1/automation/{intent}")
async def set_override(request: web.Request) -> web.Response:
    body = await read_model(request, OverrideIn)
    policy = _pipeline(request).policy
    try:
        status = policy.set_override(request.match_info["intent"], body.override)
    except KeyError:
        raise APIError(404, "unknown_intent", "not an intent id of intents.md") from None
    return web.json_response(status.public())


def _metric(performance: Any, metric_id: int) -> float | None:
    metric = performance.metric(metric_id) if performance is not None else None
    return metric.current_period if metric is not None else None


@routes.get("/api/v1/kpis")
async def kpis(request: web.Request) -> web.Response:
    """Our CRR / FRT / at-risk list, next to Shopee's own figures when the API gives them."""
    q = validate(ShopQuery, dict(request.query))
    pipeline = _pipeline(request)
    try:
        shop_id = pipeline._shop(q.shop_id)
    except PipelineError as exc:
        raise APIError(exc.status, exc.code, exc.message) from None
    report = await asyncio.to_thread(kpi_report, pipeline.store, shop_id)
    try:
        performance = await pipeline.client.get_shop_performance(shop_id)
    except ShopeeError as exc:
        performance, shopee_error = None, str(getattr(exc, "error", "")) or type(exc).__name__
    else:
        shopee_error = None
    rate = report.response_rate
    return web.json_response({
        "shop_id": shop_id,
        "crr": rate.crr,
        "crr_percent": None if rate.crr is None else round(rate.crr * 100, 1),
        "response_rate": dataclasses.asdict(rate),
        "first_response_time": dataclasses.asdict(report.response_times),
        "at_risk": [dataclasses.asdict(r) for r in report.at_risk],
        "shopee": {
            "available": performance is not None,
            "error": shopee_error,
            "crr_percent": _metric(performance, CHAT_RESPONSE_RATE_METRIC),
            "response_time_days": _metric(performance, RESPONSE_TIME_METRIC),
        },
    })


# --- the running pipeline ------------------------------------------------------------------------


async def pipeline_ctx(app: web.Application) -> AsyncIterator[None]:
    """cleanup_ctx entry: build, recover and start the pipeline; stop it on exit."""
    settings = app[keys.settings_key]
    connection = app[keys.connection_key]
    config = load_config(settings.data_dir)
    store, bus, ruleset = app[keys.store_key], app[keys.bus_key], app[keys.rules_key].ruleset
    policy = AutomationPolicy(settings.data_dir / "state" / "automation.json",
                              config.graduation_threshold)
    shops = {shop.shop_id: shop for shop in connection.shops}
    modes = app[keys.mode_key]
    model = app[keys.model_key]

    def processor(sender: Any, chat_api: Any) -> Processor:
        return Processor(store=store, bus=bus, understander=model, rules=ruleset,
                         gather=make_gatherer(connection.client,
                                              app.get(keys.listing_key),
                                              store.messages.recent), sender=sender,
                         policy=policy, modes=modes, shops=shops, chat_api=chat_api,
                         config=config)

    pipeline = Pipeline(client=connection.client, shops=shops, store=store, bus=bus,
                        processor_factory=processor, policy=policy, config=config)
    app[pipeline_key] = pipeline
    await pipeline.start()
    async with contextlib.AsyncExitStack() as stack:
        push = _push_config(app)
        if push is not None:
            await stack.enter_async_context(run_push_listener(push, pipeline.hint))
        try:
            yield
        finally:
            await pipeline.stop()


def _push_config(app: web.Application) -> Any:
    """Push only when `<data_dir>/push.json` exists and the partner key is at hand."""
    settings = app[keys.settings_key]
    path = settings.data_dir / "push.json"
    if not path.exists():
        return None
    if settings.partner_id is None:
        return None
    from companion.shopee.config import read_partner_key

    return load_push_config(path, read_partner_key(settings.data_dir, settings.partner_id))
