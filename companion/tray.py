"""The tray icon: state at a glance, the everyday switches, and a word when a chat needs you.

pystray owns the main thread; the server runs in a `ServerThread` and the
icon talks to it only through `TrayControl`. A refresher thread polls the
status once a second (cheap: one coroutine on the loop) and redraws only on
change. pystray is imported lazily, so `tray_unavailable_reason` can run on a
machine with no display and the headless path never loads it.

Backends (platform-notes.md 2): xorg has no menu and no notifications, so
there a notice goes into the icon's title (tooltip) instead; its title is a
Latin-1 X property, so a Chinese title falls back to English there; never use
`run_detached` on xorg.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from companion.clipboard import copy_text
from companion.locales import strings, system_language
from companion.settings import Settings
from companion.tray_icons import IconCache, IconState
from companion.traybridge import (
    PAUSE_MINUTES,
    BrowserUnavailableError,
    ServerThread,
    TrayControl,
    TrayStatus,
)

if TYPE_CHECKING:
    from PIL import Image

log = logging.getLogger(__name__)
REFRESH_S = 1.0
NOTICE_S = 30.0


def tray_unavailable_reason(env: dict[str, str] | None = None) -> str | None:
    """Why no tray icon can be shown here, or None when pystray and a display are usable."""
    env = dict(os.environ) if env is None else env
    if os.name == "posix" and sys.platform != "darwin":
        if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
            return "no display found"
    try:
        import pystray
    except Exception as exc:  # Xlib raises its own errors when the display is unusable
        return f"the tray library cannot start ({type(exc).__name__}: {exc})"[:200]
    if pystray.Icon.__module__.endswith("_dummy"):
        return "no tray backend on this desktop"
    return None


class Tray:
    """The icon, its menu and the refresher; `run` blocks (main thread in production)."""

    def __init__(
        self,
        control: TrayControl,
        text: dict[str, str] | None = None,
        server_alive: Callable[[], bool] = lambda: True,
    ) -> None:
        import pystray

        self._pystray = pystray
        self.control = control
        self.text = text or strings("tray", system_language())
        self._english = strings("tray", "en")
        self._server_alive = server_alive
        self._icons = IconCache()
        self._status = control.status()
        self._notice: tuple[str, dict[str, object], float] | None = None
        self._stopped = threading.Event()
        self._stop_lock = threading.Lock()
        self._icon_stopped = False
        self.icon = pystray.Icon(
            "yiwaiwai", self._image(self._status), self._title(), menu=self._menu()
        )
        self._icon_thread: int | None = None
        self._loop_done = threading.Event()
        self._xorg_stop = XorgStopper(self.icon) if self._is_xorg() else None

    def _is_xorg(self) -> bool:
        return bool(self._pystray.Icon.__module__.endswith("_xorg"))

    # --- look ---------------------------------------------------------------------------
    def _image(self, status: TrayStatus) -> Image.Image:
        return self._icons.get(
            IconState(status.auto, status.paused, status.connected, status.escalations)
        )

    def _until(self) -> str:
        until = self._status.paused_until
        return time.strftime("%H:%M", time.localtime(until)) if until else ""

    def _title(self) -> str:
        title = self._title_in(self.text)
        if self._is_xorg():
            try:
                title.encode("latin-1")
            except UnicodeEncodeError:
                return self._title_in(self._english)
        return title

    def _title_in(self, t: dict[str, str]) -> str:
        s = self._status
        parts = [t["title"]]
        if s.paused:
            parts.append(t["state_paused"].format(until=self._until()))
        else:
            parts.append(t["state_auto_on"] if s.auto else t["state_auto_off"])
        parts.append(t["state_connected"] if s.connected else t["state_disconnected"])
        if s.escalations:
            parts.append(t["state_escalations"].format(n=s.escalations))
        if self._notice and self._notice[2] > time.monotonic():
            key, values, _until = self._notice
            parts.append(t[key].format(**values))
        return " · ".join(parts)

    def _menu(self) -> Any:
        item, t = self._pystray.MenuItem, self.text
        return self._pystray.Menu(
            item(t["auto"], self.toggle_auto, checked=lambda _i: self._status.auto, default=True),
            item(
                lambda _i: t["resume"].format(until=self._until())
                if self._status.paused
                else t["pause"],
                self.toggle_pause,
                checked=lambda _i: self._status.paused,
            ),
            self._pystray.Menu.SEPARATOR,
            item(t["dashboard"], self.open_dashboard),
            item(t["rules"], self.open_rules),
            item(t["copy_secret"], self.copy_secret),
            self._pystray.Menu.SEPARATOR,
            item(t["quit"], self.quit),
        )

    # --- menu actions (pystray calls them from its own thread) --------------------------
    def toggle_auto(self) -> None:
        self.control.set_auto(not self._status.auto)
        self.refresh()

    def toggle_pause(self) -> None:
        if self._status.paused:
            self.control.resume()
        else:
            self.control.pause(PAUSE_MINUTES)
        self.refresh()

    def open_dashboard(self) -> None:
        self._open("dashboard")

    def open_rules(self) -> None:
        self._open("rules")

    def _open(self, view: str) -> None:
        try:
            self.control.open_page(view)
        except BrowserUnavailableError as exc:
            self.notify("open_failed", path=str(exc.path))

    def copy_secret(self) -> None:
        secret = self.control.pairing_secret()
        tool = copy_text(secret)
        if tool is not None:
            self.notify("copied", tool=tool)
        else:
            self.notify("no_clipboard", secret=secret)

    def quit(self) -> None:
        """Stop the server (graceful shutdown on its loop), then the icon."""
        self._stopped.set()
        self.control.quit()
        self._stop_icon()

    def _stop_icon(self) -> None:
        """Stop the icon once, whoever asks first (quit, or the refresher on a dead server)."""
        with self._stop_lock:
            if self._icon_stopped:
                return
            self._icon_stopped = True
        if (
            self._xorg_stop is not None
            and self._icon_thread not in (None, threading.get_ident())
            and self._xorg_stop.request_until(self._loop_done)
        ):
            return
        self.icon.stop()

    # --- state --------------------------------------------------------------------------
    def notify(self, key: str, title_key: str = "title", **values: object) -> None:
        """A desktop notification where the backend has them; the tooltip says it too."""
        self._notice = (key, values, time.monotonic() + NOTICE_S)
        if self.icon.HAS_NOTIFICATION:
            try:
                self.icon.notify(self.text[key].format(**values), self.text[title_key])
            except Exception:  # no notification daemon: the tooltip still says it
                log.debug("desktop notification failed", exc_info=True)
        self.icon.title = self._title()

    def refresh(self) -> None:
        """Re-read the status; redraw, retitle and re-check the menu when anything changed."""
        status = self.control.status()
        changed = status != self._status
        self._status = status
        for escalated in self.control.escalations():
            self.notify(
                "escalated",
                "escalated_title",
                conversation=escalated.conversation_id,
                reason=escalated.reason,
            )
        if changed:
            self.icon.icon = self._image(status)
            self.icon.update_menu()
        title = self._title()
        if title != self.icon.title:
            self.icon.title = title

    def _refresher(self) -> None:
        while not self._stopped.wait(REFRESH_S):
            if not self._server_alive():
                self._stopped.set()
                self._stop_icon()
                return
            try:
                self.refresh()
            except Exception:  # the loop is shutting down; the next round will tell
                log.debug("tray refresh failed", exc_info=True)

    def setup(self, icon: Any) -> None:
        """pystray's setup hook: show the icon, then keep it in step with the companion."""
        icon.visible = True
        threading.Thread(target=self._refresher, name="yiwaiwai-tray-refresh", daemon=True).start()

    def run(self) -> None:
        """Block until quit (call on the main thread; pystray owns it)."""
        self._icon_thread = threading.get_ident()
        try:
            self.icon.run(setup=self.setup)
        finally:
            self._loop_done.set()
        self._stopped.set()


class XorgStopper:
    """Stops an xorg icon from its own event thread.

    pystray's xorg `stop()` called from another thread races with the event
    loop blocked on the same X connection, and the loop sometimes never wakes
    (measured: about one stop in two hangs). So another thread sends a private
    ClientMessage over a second connection; the loop receives it and calls
    `stop()` itself, which is the path that always works (as with Ctrl-C).
    The first message is sometimes lost as well, so it is repeated until the
    loop has ended.
    """

    ATOM = "_YIWAIWAI_STOP"

    def __init__(self, icon: Any) -> None:
        import Xlib.X

        self._icon = icon
        self._atom = icon._display.intern_atom(self.ATOM)
        handlers = icon._message_handlers
        previous = handlers.get(Xlib.X.ClientMessage)

        def on_client_message(event: Any) -> None:
            if event.client_type == self._atom:
                icon.stop()
            elif previous is not None:
                previous(event)

        handlers[Xlib.X.ClientMessage] = on_client_message

    def request_until(self, done: threading.Event, timeout: float = 5.0) -> bool:
        """Repeat `request` until `done` is set; False if it never was."""
        deadline = time.monotonic() + timeout
        while not done.is_set() and time.monotonic() < deadline:
            if not self.request():
                break
            done.wait(0.2)
        return done.is_set()

    def request(self) -> bool:
        """Ask the event thread to stop the icon; False if the message could not be sent."""
        try:
            import Xlib.display
            import Xlib.protocol.event

            display = Xlib.display.Display()
            try:
                window = display.create_resource_object("window", self._icon._window.id)
                event = Xlib.protocol.event.ClientMessage(
                    window=window, client_type=self._atom, data=(32, (0, 0, 0, 0, 0))
                )
                window.send_event(event, event_mask=0)
                display.flush()
            finally:
                display.close()
        except Exception:  # the X server went away: a direct stop is all that is left
            log.debug("could not post the stop message", exc_info=True)
            return False
        return True


def run_with_tray(settings: Settings, out: TextIO) -> int:
    """`yiwaiwai run` with a display: server in a worker thread, icon on the main thread."""
    from companion.runtime import StartupError, banner, instance_lock, probe_existing

    existing = probe_existing(settings.port)
    if existing == "ours":
        print(f"yiwaiwai is already running on http://127.0.0.1:{settings.port}", file=out)
        return 0
    if existing == "other":
        raise StartupError(f"port {settings.port} is used by another program; use --port")
    with instance_lock(settings.data_dir):
        server = ServerThread(settings, on_ready=lambda app: banner(app, settings, out))
        bridge = server.start()
        tray = Tray(bridge, server_alive=server.is_alive)
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda _signum, _frame: tray.quit())
        try:
            tray.run()
        finally:
            bridge.quit()
            server.join(timeout=15)
        with contextlib.suppress(ValueError):
            print("yiwaiwai companion stopped", file=out, flush=True)
    return 0
