"""Local web page sessions (security.md P4): one-time launch tokens traded for session tokens.

The tray (or any local opener) asks for a launch token and writes it into a
0600 `open-<pid>.html` that redirects to `http://127.0.0.1:PORT/#lt=<token>`,
so the token never appears on a command line, in a URL sent to the server or
in a log. The page posts it once to `POST /api/session` and gets a bearer
session token it keeps in `sessionStorage`. Launch tokens are single use and
live 60 s; sessions expire after 12 h idle and on restart (memory only).
Tokens are kept as SHA-256 digests, so a lookup never compares raw secrets.
"""

from __future__ import annotations

import hashlib
import html
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from companion.securefile import ensure_private_dir, write_private

LAUNCH_TTL_S = 60.0
SESSION_IDLE_S = 12 * 3600.0
MAX_SESSIONS = 64
VIEWS = ("dashboard", "rules", "messages", "followups")


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()


@dataclass
class SessionStore:
    """Launch tokens and sessions in memory; thread-safe (the tray thread issues launch tokens)."""

    clock: Callable[[], float] = time.monotonic
    launch_ttl: float = LAUNCH_TTL_S
    session_idle: float = SESSION_IDLE_S
    _launch: dict[bytes, float] = field(default_factory=dict)
    _sessions: dict[bytes, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def issue_launch_token(self) -> str:
        """A fresh single-use launch token, valid for `launch_ttl` seconds."""
        token = secrets.token_urlsafe(32)
        now = self.clock()
        with self._lock:
            self._expire(now)
            self._launch[_digest(token)] = now + self.launch_ttl
        return token

    def exchange(self, launch_token: str) -> str | None:
        """Burn the launch token and return a new session token; None when unknown or expired."""
        now = self.clock()
        with self._lock:
            self._expire(now)
            if self._launch.pop(_digest(launch_token), None) is None:
                return None
            if len(self._sessions) >= MAX_SESSIONS:
                oldest = min(self._sessions, key=self._sessions.__getitem__)
                del self._sessions[oldest]
            token = secrets.token_urlsafe(32)
            self._sessions[_digest(token)] = now + self.session_idle
        return token

    def valid(self, session_token: str) -> bool:
        """The gate's `session_tokens` hook: true for a live session, which it keeps alive."""
        now = self.clock()
        key = _digest(session_token)
        with self._lock:
            expires = self._sessions.get(key)
            if expires is None or expires <= now:
                self._sessions.pop(key, None)
                return False
            self._sessions[key] = now + self.session_idle
        return True

    def end(self, session_token: str) -> None:
        """Log out one session."""
        with self._lock:
            self._sessions.pop(_digest(session_token), None)

    def _expire(self, now: float) -> None:
        for table in (self._launch, self._sessions):
            for key in [k for k, until in table.items() if until <= now]:
                del table[key]


def page_url(port: int, launch_token: str, view: str = "dashboard") -> str:
    """The page address with the launch token in the fragment (never sent to the server)."""
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}")
    return f"http://127.0.0.1:{port}/#lt={launch_token}&view={view}"


def write_launch_file(run_dir: Path, url: str) -> Path:
    """Write the 0600 `open-<pid>.html` redirect page (Jupyter's pattern) and return its path."""
    ensure_private_dir(run_dir)
    target = html.escape(url, quote=True)
    page = (
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
        f"<meta http-equiv=\"refresh\" content=\"0;url={target}\">"
        "<title>yiwaiwai</title></head>"
        f"<body><p><a href=\"{target}\">Open yiwaiwai / 打开易歪歪</a></p></body></html>\n"
    )
    path = run_dir / f"open-{os.getpid()}.html"
    write_private(path, page.encode("utf-8"))
    return path
