"""The Shopee push listener (security.md 3.10): a separate app on its own 127.0.0.1 port.

Exactly one route, `POST /shopee/push`; everything else 404. In order: Host
must be the configured public callback host (403), body at most 64 KiB (413),
`Content-Type: application/json` (415), signature over
`callback_url + "|" + raw body` with the partner key (401), body timestamp
within 300 s (401), dedupe by SHA-256 of the raw body for 24 h (a duplicate is
answered 200 and not processed again). The answer is 200 with an empty body at
once; a push is only a hint: it asks the poller to re-fetch a conversation,
nothing is ever taken from its content (H5).
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from aiohttp import web

from companion.securefile import read_private_json
from companion.shopee.signing import verify_push

log = logging.getLogger(__name__)

PUSH_PATH = "/shopee/push"
MAX_PUSH_BODY = 64 * 1024
FRESHNESS_S = 300.0
DEDUPE_TTL_S = 24 * 3600.0
WEBCHAT_CODE = 10

Hint = Callable[[str, str | None], None]
Clock = Callable[[], float]


@dataclass(frozen=True, slots=True)
class PushConfig:
    """The URL registered with Shopee (exactly), the partner key and the local port."""

    callback_url: str
    partner_key: str
    port: int = 0

    @property
    def public_host(self) -> str:
        return urlsplit(self.callback_url).netloc.lower()


def load_push_config(path: str | object, partner_key: str) -> PushConfig | None:
    """`<data_dir>/push.json` {callback_url, port}; None when push is not configured."""
    try:
        raw = read_private_json(path)  # type: ignore[arg-type]
    except FileNotFoundError:
        return None
    if not isinstance(raw, dict) or not raw.get("callback_url"):
        return None
    return PushConfig(str(raw["callback_url"]), partner_key, int(raw.get("port", 0)))


@dataclass(slots=True)
class SeenBodies:
    """SHA-256 of every accepted body for `ttl` seconds; remembered before any work (H4)."""

    ttl: float = DEDUPE_TTL_S
    _seen: dict[str, float] = field(default_factory=dict)

    def first_time(self, digest: str, now: float) -> bool:
        if len(self._seen) > 10_000:
            self._seen = {k: t for k, t in self._seen.items() if now - t < self.ttl}
        at = self._seen.get(digest)
        if at is not None and now - at < self.ttl:
            return False
        self._seen[digest] = now
        return True


def _hint_from(body: dict[str, object]) -> tuple[str, str | None] | None:
    """Which shop (top-level `shop_id`, doc 8.3) and conversation the push is about."""
    shop_id = body.get("shop_id")
    if shop_id in (None, "") or isinstance(shop_id, bool | float):
        return None
    conversation_id = None
    data = body.get("data")
    if body.get("code") == WEBCHAT_CODE and isinstance(data, dict):
        content = data.get("content")
        if isinstance(content, dict) and content.get("conversation_id") not in (None, ""):
            conversation_id = str(content["conversation_id"])
    return str(shop_id), conversation_id


def create_push_app(
    config: PushConfig, on_hint: Hint, *, clock: Clock = time.time, seen: SeenBodies | None = None
) -> web.Application:
    """The listener app; `on_hint(shop_id, conversation_id)` schedules a re-fetch."""
    seen = seen or SeenBodies()

    async def receive(request: web.Request) -> web.Response:
        if request.host.lower() != config.public_host:
            return web.Response(status=403)
        if (request.content_length or 0) > MAX_PUSH_BODY:
            return web.Response(status=413)
        if request.content_type != "application/json":
            return web.Response(status=415)
        raw = await request.read()
        if not verify_push(
            config.partner_key, config.callback_url, raw, request.headers.get("Authorization")
        ):
            return web.Response(status=401)
        try:
            body = json.loads(raw)
        except ValueError:
            return web.Response(status=400)
        stamp = body.get("timestamp") if isinstance(body, dict) else None
        if not isinstance(stamp, int) or abs(clock() - stamp) > FRESHNESS_S:
            return web.Response(status=401)
        if seen.first_time(hashlib.sha256(raw).hexdigest(), clock()):
            hint = _hint_from(body)
            if hint is not None:
                on_hint(*hint)
        return web.Response(status=200)

    async def not_found(request: web.Request) -> web.Response:
        return web.Response(status=404)

    app = web.Application(client_max_size=MAX_PUSH_BODY)
    app.router.add_post(PUSH_PATH, receive)
    app.router.add_route("*", "/{tail:.*}", not_found)
    return app


@asynccontextmanager
async def run_push_listener(
    config: PushConfig, on_hint: Hint, *, clock: Clock = time.time
) -> AsyncIterator[int]:
    """Serve the listener on 127.0.0.1 (never another address); yields the bound port."""
    runner = web.AppRunner(create_push_app(config, on_hint, clock=clock), access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", config.port, reuse_address=False)
        await site.start()
        port = runner.addresses[0][1]
        log.info("push listener on 127.0.0.1:%d", port)
        yield port
    finally:
        await runner.cleanup()
