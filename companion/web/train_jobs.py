"""Background shop-model training jobs: one at a time, progress readable while it runs.

Training is blocking fastText work, so it runs in the default executor; the
swap to the new model happens back on the event loop. Jobs live in memory
(the last `KEEP_JOBS`); a restart forgets them but not the models.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from companion.nlu import shop_model
from companion.nlu.holder import ModelHolder
from companion.nlu.understander import Understander

log = logging.getLogger(__name__)
KEEP_JOBS = 10


@dataclass(slots=True)
class TrainJob:
    """One run of `train_shop`: state is running, activated, refused or failed."""

    id: str
    state: str = "running"
    progress: float = 0.0
    stage: str = "queued"
    result: dict[str, Any] | None = None
    error: str | None = None
    started: float = field(default_factory=time.time)
    finished: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "state": self.state,
            "progress": round(self.progress, 2),
            "stage": self.stage,
            "result": self.result,
            "error": self.error,
            "started": self.started,
            "finished": self.finished,
        }

    def report(self, fraction: float, stage: str) -> None:
        """Progress callback, called from the training thread (plain attribute writes)."""
        self.progress = fraction
        self.stage = stage


class JobRunningError(RuntimeError):
    """A training job is already running; its id is the message."""


class TrainJobs:
    """Starts training jobs and swaps the live model when one is activated."""

    def __init__(self, data_dir: Path, holder: ModelHolder) -> None:
        self._data_dir = data_dir
        self._holder = holder
        self._jobs: dict[str, TrainJob] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def get(self, job_id: str) -> TrainJob | None:
        return self._jobs.get(job_id)

    def latest(self) -> TrainJob | None:
        return next(reversed(self._jobs.values()), None)

    def running(self) -> TrainJob | None:
        return next((j for j in self._jobs.values() if j.state == "running"), None)

    def start(self) -> TrainJob:
        """Begin a job in the background; raises `JobRunningError` if one is running."""
        busy = self.running()
        if busy is not None:
            raise JobRunningError(busy.id)
        job = TrainJob(secrets.token_hex(6))
        self._jobs[job.id] = job
        while len(self._jobs) > KEEP_JOBS:
            del self._jobs[next(iter(self._jobs))]
        task = asyncio.get_running_loop().create_task(self._run(job))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return job

    async def _run(self, job: TrainJob) -> None:
        loop = asyncio.get_running_loop()
        try:
            result = await loop.run_in_executor(
                None, shop_model.train_shop, self._data_dir, job.report
            )
            if result.activated:
                model = await loop.run_in_executor(
                    None, Understander.load, shop_model.model_file(self._data_dir, result.model_id)
                )
                self._holder.swap(model)
            job.result = result.as_dict()
            job.state = "activated" if result.activated else "refused"
        except shop_model.NothingToLearnError as exc:
            job.state, job.error = "failed", str(exc)
        except Exception as exc:
            log.exception("shop model training failed")
            job.state, job.error = "failed", f"{type(exc).__name__}: {exc}"[:300]
        finally:
            job.progress = 1.0
            job.finished = time.time()

    async def reload_if_changed(self) -> bool:
        """Follow `active.json` when someone else (the CLI) switched models; True if swapped."""
        name = shop_model.read_state(self._data_dir)["active"]
        if name == shop_model.name_of(self._holder.current) or self.running() is not None:
            return False
        model, _loaded = await asyncio.get_running_loop().run_in_executor(
            None, shop_model.load_active, self._data_dir
        )
        self._holder.swap(model)
        return True

    async def close(self) -> None:
        """Cancel the job tasks (a training thread in flight finishes on its own)."""
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await task
