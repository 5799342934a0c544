"""The learning loop over REST: corrections, shop-model training with progress, rollback.

The app's `ModelHolder` (`model_key`, loaded by `app._model_ctx` from the
active model) is what the pipeline reads per message; training jobs and
rollback swap the model inside it, so the new one is used from the next
message on. `learning_ctx` also runs a small watcher on `models/active.json`,
so `yiwaiwai train --shop` run from a terminal goes live without a restart.

Routes: `GET/POST /api/v1/corrections`, `GET /api/v1/model`,
`POST /api/v1/model/train` (202 + job), `GET /api/v1/model/train/{job}`,
`POST /api/v1/model/rollback`, `POST /api/v1/model/classify`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from companion.nlu import INTENTS, LANGUAGES, shop_model
from companion.nlu.shop_examples import (
    MAX_TEXT,
    InvalidCorrectionError,
    ShopExamples,
    corrections_path,
)
from companion.web.errors import APIError
from companion.web.jsonio import read_model
from companion.web.keys import model_key, settings_key, train_jobs_key
from companion.web.train_jobs import JobRunningError, TrainJobs

log = logging.getLogger(__name__)
routes = web.RouteTableDef()
WATCH_INTERVAL_S = 2.0


class CorrectionIn(BaseModel):
    """Body of `POST /api/v1/corrections`: the message and the intent it really has."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    intent: str = Field(max_length=32)
    lang: str | None = Field(default=None, max_length=8)
    message_id: str | None = Field(default=None, max_length=64)


class ClassifyIn(BaseModel):
    """Body of `POST /api/v1/model/classify`."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=MAX_TEXT)


def _state_stamp(data_dir: Path) -> int:
    try:
        return shop_model.state_path(data_dir).stat().st_mtime_ns
    except FileNotFoundError:
        return 0


async def _watch(jobs: TrainJobs, data_dir: Path) -> None:
    seen = _state_stamp(data_dir)
    while True:
        await asyncio.sleep(WATCH_INTERVAL_S)
        stamp = _state_stamp(data_dir)
        if stamp != seen:
            seen = stamp
            try:
                await jobs.reload_if_changed()
            except Exception:
                log.exception("could not follow the model switch in %s", data_dir)


async def learning_ctx(app: web.Application) -> AsyncIterator[None]:
    """Training jobs and the `active.json` watcher; needs `model_key` (append after it)."""
    data_dir = app[settings_key].data_dir
    jobs = TrainJobs(data_dir, app[model_key])
    app[train_jobs_key] = jobs
    watcher = asyncio.get_running_loop().create_task(_watch(jobs, data_dir))
    yield
    watcher.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await watcher
    await jobs.close()


def _live(request: web.Request) -> dict[str, object]:
    holder = request.app[model_key]
    return {**holder.info(), "id": shop_model.name_of(holder.current)}


def _examples(request: web.Request) -> ShopExamples:
    return ShopExamples(corrections_path(request.app[settings_key].data_dir))


@routes.get("/api/v1/corrections")
async def list_corrections(request: web.Request) -> web.Response:
    """Every corrected message (latest label per text), oldest first."""
    fixes = _examples(request).all()
    return web.json_response({"corrections": [c.as_dict() for c in fixes]})


@routes.post("/api/v1/corrections")
async def add_correction(request: web.Request) -> web.Response:
    """Keep a corrected intent as a shop example; 201 with what the live model says now."""
    body = await read_model(request, CorrectionIn)
    if body.intent not in INTENTS:
        raise APIError(422, "unknown_intent", f"intent must be one of {', '.join(INTENTS)}")
    if body.lang is not None and body.lang not in LANGUAGES:
        raise APIError(422, "unknown_language", f"lang must be one of {', '.join(LANGUAGES)}")
    now = request.app[model_key].current.understand(body.text, entities=False)
    try:
        correction = _examples(request).add(
            body.text,
            body.intent,
            body.lang or now.language,
            previous_intent=now.intent,
            message_id=body.message_id,
        )
    except InvalidCorrectionError as exc:
        raise APIError(422, "invalid_correction", str(exc)) from exc
    return web.json_response({"correction": correction.as_dict()}, status=201)


@routes.get("/api/v1/model")
async def get_model(request: web.Request) -> web.Response:
    """Live model, active/history on disk, corrections count, criterion, latest job."""
    jobs = request.app[train_jobs_key]
    latest = jobs.latest()
    body = {
        **shop_model.status(request.app[settings_key].data_dir),
        "live": _live(request),
        "latest_job": latest.as_dict() if latest else None,
    }
    return web.json_response(body)


@routes.post("/api/v1/model/train")
async def start_training(request: web.Request) -> web.Response:
    """Start a shop model build: 202 with the job; 409 when one runs or nothing to learn."""
    data_dir = request.app[settings_key].data_dir
    if not _examples(request).all():
        raise APIError(409, "nothing_to_learn", "correct a message's intent first")
    try:
        job = request.app[train_jobs_key].start()
    except JobRunningError as exc:
        raise APIError(409, "training_running", f"job {exc} is running", {"job": str(exc)}) from exc
    log.info("shop model training started (job %s, data %s)", job.id, data_dir.name)
    return web.json_response(
        {"job": job.as_dict()},
        status=202,
        headers={"Location": f"/api/v1/model/train/{job.id}"},
    )


@routes.get("/api/v1/model/train/{job}")
async def get_training(request: web.Request) -> web.Response:
    """Progress (0..1), stage text, and once finished the scores and the decision."""
    job = request.app[train_jobs_key].get(request.match_info["job"])
    if job is None:
        raise APIError(404, "unknown_job", "no such training job")
    return web.json_response({"job": job.as_dict()})


@routes.post("/api/v1/model/rollback")
async def rollback(request: web.Request) -> web.Response:
    """Go back to the previous model (the shipped one at the end) and use it at once."""
    data_dir = request.app[settings_key].data_dir
    jobs = request.app[train_jobs_key]
    if jobs.running() is not None:
        raise APIError(409, "training_running", "wait for the training job to finish")
    try:
        shop_model.rollback(data_dir)
    except shop_model.NothingToRollBackError as exc:
        raise APIError(409, "nothing_to_roll_back", str(exc)) from exc
    await jobs.reload_if_changed()
    return web.json_response({**shop_model.status(data_dir), "live": _live(request)})


@routes.post("/api/v1/model/classify")
async def classify(request: web.Request) -> web.Response:
    """What the live model says about one message (for the page's correction view)."""
    body = await read_model(request, ClassifyIn)
    model = request.app[model_key].current
    u = model.understand(body.text)
    return web.json_response(
        {
            "intent": u.intent,
            "pillar": u.pillar,
            "confidence": round(u.confidence, 4),
            "understood": u.understood,
            "language": u.language,
            "negative": u.negative,
            "wants_human": u.wants_human,
            "entities": u.entities.as_dict(),
            "model": shop_model.name_of(model),
        }
    )
