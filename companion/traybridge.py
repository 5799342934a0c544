"""The thread bridge between the tray (main thread) and the server (its own thread and loop).

The tray only sees the narrow `TrayControl` protocol (style.md 2). `ServerThread`
runs `runtime.serve` inside `asyncio.run` in a worker thread; once the app is
up it builds a `ThreadBridge`, which does every read and write of app state on
the server's loop through `asyncio.run_coroutine_threadsafe`, so listeners of
the mode state and the event bus always run on the loop thread.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from aiohttp import web

from companion.pipeline.events import ESCALATION_RAISED, ESCALATION_RESOLVED
from companion.settings import Settings
from companion.web.app import ConnectionFactory
from companion.web.sessions import page_url, write_launch_file

log = logging.getLogger(__name__)
PAUSE_MINUTES = 30
CALL_TIMEOUT_S = 5.0
READY_TIMEOUT_S = 60.0
Opener = Callable[[str], bool]


class BrowserUnavailableError(OSError):
    """No browser took the page; `path` is the launch file the seller can open by hand."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"no browser could open {path}")
        self.path = path


@dataclass(frozen=True, slots=True)
class TrayStatus:
    """What the icon and the menu show."""

    auto: bool
    paused_until: float | None
    connected: bool
    escalations: int
    port: int

    @property
    def paused(self) -> bool:
        return self.paused_until is not None


@dataclass(frozen=True, slots=True)
class Escalated:
    """One escalation the seller should hear about."""

    conversation_id: str
    reason: str


class TrayControl(Protocol):
    """Everything the tray may do to the companion."""

    def status(self) -> TrayStatus: ...

    def set_auto(self, on: bool) -> None: ...

    def pause(self, minutes: int = PAUSE_MINUTES) -> None: ...

    def resume(self) -> None: ...

    def open_page(self, view: str) -> Path: ...

    def pairing_secret(self) -> str: ...

    def escalations(self) -> list[Escalated]: ...

    def quit(self) -> None: ...


class ThreadBridge:
    """`TrayControl` for a server running on `loop` in another thread."""

    def __init__(
        self,
        app: web.Application,
        loop: asyncio.AbstractEventLoop,
        stop: asyncio.Event,
        opener: Opener = webbrowser.open,
    ) -> None:
        self._app = app
        self._loop = loop
        self._stop = stop
        self._opener = opener
        self._events: queue.SimpleQueue[Escalated] = queue.SimpleQueue()
        self._open: set[str] = set()
        self._unsubscribe: Callable[[], None] | None = None

    # --- called on the loop thread -------------------------------------------------------
    def attach(self) -> None:
        """Subscribe to the event bus (call on the loop)."""
        from companion.web.keys import bus_key

        self._unsubscribe = self._app[bus_key].subscribe(self._on_event)

    def detach(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def _on_event(self, event: Any) -> None:
        data = event.data if isinstance(event.data, dict) else {}
        conversation = str(data.get("conversation_id", ""))
        if event.type == ESCALATION_RAISED:
            self._open.add(conversation)
            self._events.put(Escalated(conversation, str(data.get("reason", ""))))
        elif event.type == ESCALATION_RESOLVED:
            self._open.discard(conversation)

    def _open_escalations(self) -> int:
        from companion.web.keys import store_key

        return len(self._app[store_key].escalations.list_open())

    async def _snapshot(self) -> TrayStatus:
        from companion.web.keys import hub_key, mode_key, settings_key

        mode = self._app[mode_key]
        hub = self._app.get(hub_key)
        return TrayStatus(
            auto=any(mode.snapshot().values()),
            paused_until=mode.paused_until,
            connected=bool(getattr(hub, "sessions", None)),
            escalations=self._open_escalations(),
            port=self._app[settings_key].port,
        )

    # --- called from the tray thread -----------------------------------------------------
    def _call(self, fn: Callable[[], Any]) -> Any:
        async def run() -> Any:
            return fn()

        return asyncio.run_coroutine_threadsafe(run(), self._loop).result(CALL_TIMEOUT_S)

    def status(self) -> TrayStatus:
        return asyncio.run_coroutine_threadsafe(self._snapshot(), self._loop).result(
            CALL_TIMEOUT_S
        )

    def set_auto(self, on: bool) -> None:
        from companion.web.keys import mode_key

        self._call(lambda: self._app[mode_key].set_auto(on))

    def pause(self, minutes: int = PAUSE_MINUTES) -> None:
        from companion.web.keys import mode_key

        self._call(lambda: self._app[mode_key].pause(minutes * 60))

    def resume(self) -> None:
        from companion.web.keys import mode_key

        self._call(lambda: self._app[mode_key].resume())

    def open_page(self, view: str) -> Path:
        """Mint a launch token, write the 0600 redirect file, hand the file to the browser."""
        from companion.web.keys import sessions_key, settings_key

        settings: Settings = self._app[settings_key]
        token = self._call(lambda: self._app[sessions_key].issue_launch_token())
        path = write_launch_file(settings.data_dir / "run", page_url(settings.port, token, view))
        if not self._opener(path.as_uri()):
            raise BrowserUnavailableError(path)
        return path

    def pairing_secret(self) -> str:
        from companion.web.keys import pairing_key

        return str(self._call(lambda: self._app[pairing_key].secret()))

    def escalations(self) -> list[Escalated]:
        """Escalations raised since the last call (for notifications)."""
        found = []
        while True:
            try:
                found.append(self._events.get_nowait())
            except queue.Empty:
                return found

    def quit(self) -> None:
        """Ask the server to stop; `serve` then runs aiohttp's graceful shutdown."""
        if not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._stop.set)


class ServerThread:
    """The companion server on a worker thread; `start` returns once it listens (or failed)."""

    def __init__(
        self,
        settings: Settings,
        *,
        connect: ConnectionFactory | None = None,
        on_ready: Callable[[web.Application], None] | None = None,
        opener: Opener = webbrowser.open,
    ) -> None:
        self.settings = settings
        self._connect = connect
        self._on_ready = on_ready
        self._opener = opener
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self.bridge: ThreadBridge | None = None
        self._thread = threading.Thread(target=self._main, name="yiwaiwai-server", daemon=True)

    def _main(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:  # reported to the main thread by start()
            self._error = exc
            log.debug("server thread ended with %r", exc)
        finally:
            self._ready.set()

    async def _serve(self) -> None:
        from companion.runtime import serve

        stop = asyncio.Event()
        loop = asyncio.get_running_loop()

        def ready(app: web.Application) -> None:
            self.bridge = ThreadBridge(app, loop, stop, self._opener)
            self.bridge.attach()
            if self._on_ready is not None:
                self._on_ready(app)
            self._ready.set()

        try:
            await serve(self.settings, stop, connect=self._connect, on_ready=ready)
        finally:
            if self.bridge is not None:
                self.bridge.detach()

    def start(self, timeout: float = READY_TIMEOUT_S) -> ThreadBridge:
        """Start and wait until the server listens; re-raises a start-up failure."""
        self._thread.start()
        if not self._ready.wait(timeout):
            raise TimeoutError("the companion server did not start in time")
        if self._error is not None:
            raise self._error
        assert self.bridge is not None
        return self.bridge

    def is_alive(self) -> bool:
        return self._thread.is_alive()

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)
        if self._error is not None and not isinstance(self._error, asyncio.CancelledError):
            log.error("the companion server stopped with an error: %s", self._error)
