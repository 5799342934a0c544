"""The WebSocket hub: `/ws` for the extension's service worker.

The gate has already checked Host and the pinned extension Origin (403 before the
upgrade, security.md W1). Here: the challenge-response handshake (handshake.py),
TOFU pinning of the origin, one active session per profile (W7), replay of
persisted events after `resume_from` then live events from the EventBus, a
bounded per-connection send queue (a client that cannot keep up is closed 4004
and resumes), a frame budget (W4), strictly increasing command ids, and
commands dispatched to the pipeline through `ws_commands`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
import time
import uuid
import weakref
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from aiohttp import WSCloseCode, WSMsgType, web
from pydantic import ValidationError

from companion import PROTOCOL_VERSION
from companion.pairing import fingerprint
from companion.protocol import (
    CLOSE_GOING_AWAY,
    CLOSE_NORMAL,
    CLOSE_POLICY,
    CLOSE_SLOW,
    CLOSE_UNSUPPORTED,
    COMMAND_ADAPTER,
    COMMAND_TYPES,
    Ready,
    ShopInfo,
    event_frame,
    fail,
)
from companion.web.handshake import HandshakeFailed, run_handshake
from companion.web.security import TokenBucket

log = logging.getLogger(__name__)

MAX_MSG_SIZE = 64 * 1024
HEARTBEAT_S = 30.0
SEND_QUEUE = 1024
REPLAY_LIMIT = 500
FRAMES_PER_SECOND = 20
FRAME_BURST = 50
BAD_FRAMES_LIMIT = 3


class EventLike(Protocol):
    """What the hub reads from an event (companion.pipeline.events.Event fits)."""

    type: str
    data: dict[str, Any]
    seq: int
    at: float


class EventHistory(Protocol):
    """The store's events log as the hub needs it."""

    def last_seq(self) -> int: ...

    def oldest_seq(self) -> int: ...

    def events_after(self, seq: int, limit: int) -> Sequence[EventLike]: ...


@dataclass(eq=False)
class Session:
    """One authenticated connection and its writer queue."""

    ws: web.WebSocketResponse
    origin: str
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    queue: asyncio.Queue[dict[str, Any] | None] = field(
        default_factory=lambda: asyncio.Queue(SEND_QUEUE)
    )
    last_id: int = 0
    last_seq: int = 0
    bad_frames: int = 0
    budget: TokenBucket = field(
        default_factory=lambda: TokenBucket(FRAMES_PER_SECOND, 1.0, FRAME_BURST)
    )
    closing: bool = False

    def push(self, frame: dict[str, Any]) -> bool:
        """Queue a frame; False (and the session is being closed) when the queue is full."""
        if self.closing:
            return False
        try:
            self.queue.put_nowait(frame)
        except asyncio.QueueFull:
            self.closing = True
            log.warning("session %s cannot keep up; closing it (it will resume)", self.id)
            asyncio.get_running_loop().create_task(self.close(CLOSE_SLOW, "slow_consumer"))
            return False
        return True

    def deliver(self, event: EventLike) -> None:
        """Send a live event once: persisted events at or below `last_seq` were already sent."""
        if event.seq and event.seq <= self.last_seq:
            return
        if self.push(event_frame(event.type, event.data, event.seq, event.at)) and event.seq:
            self.last_seq = event.seq

    async def close(self, code: int, reason: str) -> None:
        self.closing = True
        with contextlib.suppress(Exception):
            await self.ws.close(code=code, message=reason.encode())


@dataclass
class Hub:
    """Every open socket (for shutdown) and the one active session (W7)."""

    history: EventHistory | None = None
    translate: Callable[[Any], EventLike] = lambda event: event  # domain event -> wire event
    sockets: weakref.WeakSet[web.WebSocketResponse] = field(default_factory=weakref.WeakSet)
    sessions: list[Session] = field(default_factory=list)
    loop: asyncio.AbstractEventLoop | None = None
    _loop_thread: int | None = None

    def on_event(self, event: EventLike) -> None:
        """Bus listener; thread-safe because the tray may flip the mode from its own thread."""
        if self.loop is None:
            return
        if threading.get_ident() != self._loop_thread:
            self.loop.call_soon_threadsafe(self._fan_out, event)
        else:
            self._fan_out(event)

    def _fan_out(self, event: EventLike) -> None:
        if not self.sessions:
            return
        wire = self.translate(event)
        for session in list(self.sessions):
            session.deliver(wire)

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self._loop_thread = threading.get_ident()

    def replay_plan(self, resume_from: int) -> tuple[int, int, list[EventLike], bool]:
        """(last seq, replay start, events, truncated) for a client that has seen `resume_from`.

        A fresh client (0) gets the newest `REPLAY_LIMIT` events; a client too far behind,
        or ahead of the log (the store was reset), gets the same and `truncated`.
        """
        if self.history is None:
            return 0, 0, [], False
        last = self.history.last_seq()
        pruned = resume_from + 1 < self.history.oldest_seq()
        truncated = resume_from > 0 and (
            resume_from > last or last - resume_from > REPLAY_LIMIT or pruned
        )
        start = resume_from if 0 < resume_from <= last and not truncated else 0
        if start == 0:
            start = max(0, last - REPLAY_LIMIT)
        events = [self.translate(e) for e in self.history.events_after(start, REPLAY_LIMIT)]
        return last, start, events, truncated

    async def replace_others(self, keep: Session) -> None:
        for old in [s for s in self.sessions if s is not keep]:
            self.sessions.remove(old)
            await old.close(CLOSE_NORMAL, "replaced")

    async def close_all(self, code: int, reason: str) -> None:
        self.sessions.clear()
        for ws in list(self.sockets):
            with contextlib.suppress(Exception):
                await ws.close(code=code, message=reason.encode())


async def _writer(session: Session) -> None:
    while True:
        frame = await session.queue.get()
        if frame is None or session.ws.closed:
            return
        await session.ws.send_str(json.dumps(frame, ensure_ascii=False))


def _ready_frame(
    app: web.Application, session: Session, last: int, n: int, cut: bool
) -> dict[str, Any]:
    from companion.web.keys import connection_key, mode_key, pairing_key, settings_key

    connection = app.get(connection_key)
    modes = app[mode_key].snapshot() if mode_key in app else {}
    shops = [
        ShopInfo(**shop.public(), auto=modes.get(shop.shop_id, False))
        for shop in (connection.shops if connection else ())
    ]
    port = app[settings_key].port
    return Ready(
        session=session.id,
        protocol=PROTOCOL_VERSION,
        last_seq=last,
        replay=n,
        truncated=cut,
        auto=any(modes.values()),
        shops=shops,
        fingerprint=fingerprint(app[pairing_key].secret()),
        demo=bool(connection and connection.demo),
        dashboard_url=f"http://127.0.0.1:{port}/",
    ).model_dump()


def _start_session(app: web.Application, hub: Hub, session: Session, resume_from: int) -> None:
    """Ready, replay and go live in one synchronous step, so no event slips in between."""
    last, start, events, truncated = hub.replay_plan(resume_from)
    session.last_seq = start
    session.push(_ready_frame(app, session, last, len(events), truncated))
    for event in events:
        session.deliver(event)
    hub.sessions.append(session)
    status = _ready_frame(app, session, last, 0, False)
    session.push(
        event_frame(
            "shop.status",
            {"shops": status["shops"], "connected": True, "demo": status["demo"]},
            0,
            time.time(),
        )
    )


async def _command(app: web.Application, session: Session, raw: str) -> dict[str, Any] | None:
    """Validate and run one client frame; returns the reply frame (or None to close)."""
    from companion.web.ws_commands import run_command

    try:
        frame = json.loads(raw)
    except ValueError:
        return {"v": 1, "type": "error", "code": "invalid_format", "message": "not JSON"}
    if not isinstance(frame, dict):
        return {"v": 1, "type": "error", "code": "invalid_format", "message": "not an object"}
    kind, frame_id = frame.get("type"), frame.get("id")
    if kind not in COMMAND_TYPES:
        session.bad_frames += 1
        return {"v": 1, "type": "error", "code": "bad_message", "message": f"type {kind!r}"}
    session.bad_frames = 0
    if not isinstance(frame_id, int) or isinstance(frame_id, bool):
        return {"v": 1, "type": "error", "code": "invalid_format", "message": "id must be an int"}
    if frame_id <= session.last_id:
        return fail(frame_id, "id_reuse", f"id must be greater than {session.last_id}")
    session.last_id = frame_id
    try:
        command = COMMAND_ADAPTER.validate_python(frame)
    except ValidationError as exc:
        fields = [".".join(str(p) for p in e["loc"]) for e in exc.errors(include_url=False)]
        return fail(frame_id, "invalid_format", f"invalid field(s): {', '.join(fields)}")
    return await run_command(app, session, command)


async def ws_handler(request: web.Request) -> web.StreamResponse:
    """`GET /ws`: upgrade, handshake, then serve commands until the socket closes."""
    from companion.web.keys import gate_key, hub_key, pairing_key

    app = request.app
    hub, pairing = app[hub_key], app[pairing_key]
    ws = web.WebSocketResponse(
        max_msg_size=MAX_MSG_SIZE, heartbeat=HEARTBEAT_S, autoping=True, compress=False
    )
    await ws.prepare(request)
    hub.sockets.add(ws)
    origin = request.headers.get("Origin", "").lower()
    try:
        auth = await run_handshake(ws, pairing.secret())
    except HandshakeFailed as exc:
        if exc.reason == "unauthorized":
            gate = app[gate_key]
            if not gate.auth_failures.take():
                gate.locked_until = gate.clock() + 60
        log.info("websocket handshake failed: %s", exc.reason)
        await ws.close(code=exc.close_code, message=exc.reason.encode())
        return ws
    if pairing.pin(origin):
        log.info("pinned extension origin %s", origin)
    session = Session(ws=ws, origin=origin)
    writer = asyncio.get_running_loop().create_task(_writer(session))
    try:
        await hub.replace_others(session)
        _start_session(app, hub, session, auth.resume_from)
        await _serve(app, session)
    finally:
        if session in hub.sessions:
            hub.sessions.remove(session)
        writer.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await writer
        if not ws.closed:
            await ws.close()
    return ws


async def _serve(app: web.Application, session: Session) -> None:
    ws = session.ws
    async for msg in ws:
        if msg.type != WSMsgType.TEXT:
            await session.close(CLOSE_POLICY, "text frames only")
            return
        if not session.budget.take():
            await session.close(CLOSE_POLICY, "rate_limited")
            return
        reply = await _command(app, session, msg.data)
        if reply is not None:
            session.push(reply)
        if session.bad_frames >= BAD_FRAMES_LIMIT:
            await asyncio.sleep(0.05)  # let the third error frame reach the client first
            await session.close(CLOSE_UNSUPPORTED, "bad_message")
            return


async def hub_ctx(app: web.Application) -> AsyncIterator[None]:
    """Cleanup context: create the hub, subscribe it to the bus, close every socket on exit."""
    from companion.web import ws_sources
    from companion.web.keys import hub_key

    hub = Hub(history=ws_sources.history(app), translate=lambda e: ws_sources.to_wire(app, e))
    hub.bind(asyncio.get_running_loop())
    app[hub_key] = hub
    unsubscribe = ws_sources.subscribe(app, hub.on_event)
    yield
    unsubscribe()
    await hub.close_all(CLOSE_GOING_AWAY, "companion shutting down")


async def on_shutdown(app: web.Application) -> None:
    """Close sockets with GOING_AWAY before the runner waits for handlers (style.md 2)."""
    from companion.web.keys import hub_key

    if hub_key in app:
        await app[hub_key].close_all(WSCloseCode.GOING_AWAY, "companion shutting down")


def install(app: web.Application) -> None:
    """Register `/ws`, the hub's cleanup context and the shutdown hook."""
    app.router.add_get("/ws", ws_handler)
    app.cleanup_ctx.append(hub_ctx)
    app.on_shutdown.append(on_shutdown)
