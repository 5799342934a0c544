"""Starting and stopping the companion process: single instance, bind, banner, signals.

Headless here; the tray (when there is a display) wraps the same `serve` in a
worker thread and owns the main thread itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import fcntl
import logging
import os
import signal
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

import httpx
from aiohttp import web

from companion.pairing import fingerprint, load_or_create_secret
from companion.securefile import ensure_private_dir
from companion.settings import Settings
from companion.web.app import ConnectionFactory, PathOnlyAccessLogger, create_app
from companion.web.keys import connection_key

log = logging.getLogger(__name__)


class StartupError(RuntimeError):
    """The companion cannot start; the message says why and what to do."""


def probe_existing(port: int) -> str | None:
    """'ours' if our companion answers on the port, 'other' if something else does, else None."""
    try:
        response = httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1.5, trust_env=False)
    except httpx.HTTPError:
        return None
    return "ours" if response.headers.get("X-Yiwaiwai-Version") else "other"


@contextlib.contextmanager
def instance_lock(data_dir: Path):  # type: ignore[no-untyped-def]
    """One companion per data folder (security.md N4): an exclusive lock file."""
    ensure_private_dir(data_dir)
    fd = os.open(data_dir / "companion.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise StartupError(f"another companion is already using {data_dir}") from exc
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        os.close(fd)


async def serve(
    settings: Settings,
    stop: asyncio.Event,
    *,
    connect: ConnectionFactory | None = None,
    on_ready: Callable[[web.Application], None] | None = None,
) -> None:
    """Run the server on 127.0.0.1 until `stop` is set; never binds another address."""
    app = create_app(settings, connect)
    runner = web.AppRunner(app, access_log_class=PathOnlyAccessLogger, handle_signals=False)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", settings.port, reuse_address=False)
        try:
            await site.start()
        except OSError as exc:
            reason = "port in use" if exc.errno == errno.EADDRINUSE else str(exc)
            raise StartupError(f"cannot listen on 127.0.0.1:{settings.port}: {reason}") from exc
        if on_ready:
            on_ready(app)
        await stop.wait()
    finally:
        await runner.cleanup()


def banner(app: web.Application, settings: Settings, out: TextIO) -> None:
    """What the seller sees on start: where we listen and which shop we serve."""
    connection = app[connection_key]
    secret = load_or_create_secret(settings.data_dir)
    lines = [f"yiwaiwai companion listening on http://127.0.0.1:{settings.port}"]
    if connection.demo:
        lines += [
            "=" * 64,
            "DEMO SHOP: no Shopee shop is connected; this is the built-in sandbox",
            f"  sandbox at {connection.sandbox_url}  (connect a real shop: yiwaiwai auth)",
            "=" * 64,
        ]
    for shop in connection.shops:
        lines.append(f"  shop {shop.shop_id} ({shop.region}) {shop.name}")
    lines.append(f"pairing fingerprint: {fingerprint(secret)}  (secret: yiwaiwai pair)")
    lines.append(f"dashboard and rule editor: {open_command(settings)}")
    print("\n".join(lines), file=out, flush=True)


def open_command(settings: Settings) -> str:
    """The exact `yiwaiwai open` line for this companion (port and data folder when not default)."""
    from companion.settings import DEFAULT_HOME, DEFAULT_PORT

    parts = ["yiwaiwai open [rules]"]
    if settings.port != DEFAULT_PORT:
        parts.append(f"--port {settings.port}")
    if settings.data_dir != DEFAULT_HOME:
        parts.append(f"--data-dir {settings.data_dir}")
    return " ".join(parts)


def run_headless(settings: Settings, out: TextIO, connect: ConnectionFactory | None = None) -> int:
    """The blocking entry point for `yiwaiwai run --no-tray` and display-less machines."""
    existing = probe_existing(settings.port)
    if existing == "ours":
        print(f"yiwaiwai is already running on http://127.0.0.1:{settings.port}", file=out)
        return 0
    if existing == "other":
        raise StartupError(f"port {settings.port} is used by another program; use --port")

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await serve(
            settings, stop, connect=connect, on_ready=lambda app: banner(app, settings, out)
        )
        print("yiwaiwai companion stopped", file=out, flush=True)

    with instance_lock(settings.data_dir):
        asyncio.run(main())
    return 0

