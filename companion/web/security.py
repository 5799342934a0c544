"""The request gate: one middleware in front of every route (security.md 3.2).

Order: Host -> preflight -> Origin -> Fetch Metadata -> rate limits ->
authentication -> route. A bad Host is refused before anything else because it
is the one defence against DNS rebinding that page JavaScript cannot forge.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field

from aiohttp import hdrs, web

from companion.pairing import same_secret
from companion.web.errors import APIError, error_response

log = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

PUBLIC_PATHS = frozenset({"/api/v1/health", "/api/session"})
AUTH_FAILURES_PER_MINUTE = 10
API_REQUESTS_PER_SECOND = 50


@dataclass
class TokenBucket:
    """Allows `rate` events per `per` seconds with a burst of `burst`."""

    rate: float
    per: float
    burst: float
    clock: Callable[[], float] = time.monotonic
    _tokens: float = field(init=False)
    _stamp: float = field(init=False)

    def __post_init__(self) -> None:
        self._tokens = self.burst
        self._stamp = self.clock()

    def take(self) -> bool:
        now = self.clock()
        self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate / self.per)
        self._stamp = now
        if self._tokens >= 1:
            self._tokens -= 1
            return True
        return False


@dataclass
class Gatekeeper:
    """What the gate needs to decide: the secret(s) and the pinned extension origins."""

    secret: Callable[[], str]
    extension_origins: Callable[[], Iterable[str]]
    session_tokens: Callable[[str], bool] = lambda _token: False
    clock: Callable[[], float] = time.monotonic
    api_bucket: TokenBucket = field(init=False)
    auth_failures: TokenBucket = field(init=False)
    locked_until: float = 0.0

    def __post_init__(self) -> None:
        self.api_bucket = TokenBucket(
            API_REQUESTS_PER_SECOND, 1.0, API_REQUESTS_PER_SECOND, self.clock
        )
        self.auth_failures = TokenBucket(
            AUTH_FAILURES_PER_MINUTE, 60.0, AUTH_FAILURES_PER_MINUTE, self.clock
        )

    def authenticated(self, request: web.Request) -> bool:
        """Bearer token from the Authorization header only (never query or cookie)."""
        values = request.headers.getall(hdrs.AUTHORIZATION, [])
        if len(values) != 1:
            return False
        scheme, _, token = values[0].partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return False
        token = token.strip()
        return same_secret(token, self.secret()) or self.session_tokens(token)


def local_port(request: web.Request) -> int | None:
    """The port this server really listens on, read from the socket."""
    sockname = request.transport.get_extra_info("sockname") if request.transport else None
    return int(sockname[1]) if sockname else None


def host_allowed(request: web.Request) -> bool:
    """Exactly `127.0.0.1:<port>` or `localhost:<port>`, one Host header, port required."""
    values = request.headers.getall(hdrs.HOST, [])
    if len(values) != 1:
        return False
    host, sep, port = values[0].strip().lower().rpartition(":")
    if not sep:
        return False
    host = host[:-1] if host.endswith(".") else host
    return host in ("127.0.0.1", "localhost") and port == str(local_port(request))


def own_origins(request: web.Request) -> set[str]:
    port = local_port(request)
    return {f"http://127.0.0.1:{port}", f"http://localhost:{port}"}


def origin_allowed(request: web.Request, gate: Gatekeeper) -> bool:
    """HTTP: own origins or the paired extension; `/ws`: only the extension, and required."""
    values = request.headers.getall(hdrs.ORIGIN, [])
    extension = {o.lower() for o in gate.extension_origins()}
    if request.path == "/ws":
        return len(values) == 1 and values[0].lower() in extension
    if not values:
        return True
    return len(values) == 1 and values[0].lower() in own_origins(request) | extension


def fetch_metadata_allowed(request: web.Request, gate: Gatekeeper) -> bool:
    """Refuse cross-site browser requests unless they come from the paired extension.

    One exception: a top-level navigation to the page shell (how the tray's 0600
    launch file opens the page). The shell holds no data and no secret; every
    API call it makes afterwards is same-origin and authenticated.
    """
    if request.headers.get("Sec-Fetch-Site", "").lower() != "cross-site":
        return True
    if _page_navigation(request):
        return True
    origin = request.headers.get(hdrs.ORIGIN, "").lower()
    return origin in {o.lower() for o in gate.extension_origins()}


def _page_navigation(request: web.Request) -> bool:
    headers = request.headers
    return (
        request.method == hdrs.METH_GET
        and headers.get("Sec-Fetch-Mode", "").lower() == "navigate"
        and headers.get("Sec-Fetch-Dest", "").lower() == "document"
        and not request.path.startswith("/api/")
        and request.path != "/ws"
    )


def _safe(value: str) -> str:
    return value[:80].encode("unicode_escape").decode("ascii")


def needs_auth(request: web.Request) -> bool:
    """Everything needs the secret except health and the page shell (which holds no data).

    `/ws` proves the secret inside the socket by challenge-response (security.md P3):
    a browser cannot set `Authorization` on a WebSocket, and the secret must not travel.
    """
    if request.path in PUBLIC_PATHS:
        return False
    return request.path.startswith("/api/")


def make_gate(gate: Gatekeeper, public_prefixes: tuple[str, ...] = ()) -> Callable[..., object]:
    """Build the middleware around a `Gatekeeper`."""

    @web.middleware
    async def gate_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if not host_allowed(request):
            log.warning("refused Host %s", _safe(request.headers.get(hdrs.HOST, "<none>")))
            return error_response(403, "host_not_allowed")
        if request.method == hdrs.METH_OPTIONS:
            return error_response(403, "preflight_refused")
        if not origin_allowed(request, gate):
            log.warning("refused Origin %s", _safe(request.headers.get(hdrs.ORIGIN, "<none>")))
            return error_response(403, "origin_not_allowed")
        if not fetch_metadata_allowed(request, gate):
            return error_response(403, "cross_site_refused")
        now = gate.clock()
        if now < gate.locked_until:
            retry = str(int(gate.locked_until - now) + 1)
            return error_response(429, "too_many_failures", headers={"Retry-After": retry})
        if not gate.api_bucket.take():
            return error_response(429, "rate_limited", headers={"Retry-After": "1"})
        if needs_auth(request) and not gate.authenticated(request):
            if not gate.auth_failures.take():
                gate.locked_until = now + 60
            return error_response(
                401, "unauthorized", "send Authorization: Bearer <pairing secret>"
            )
        try:
            return await handler(request)
        except APIError as exc:
            return exc.response()
        except web.HTTPException as exc:
            if exc.status >= 400:
                return error_response(exc.status, _http_code(exc.status), exc.reason)
            raise
        except Exception:
            request_id = uuid.uuid4().hex[:12]
            log.exception("internal error, request %s on %s", request_id, request.path)
            return web.json_response({"error": "internal", "request_id": request_id}, status=500)

    return gate_middleware


def _http_code(status: int) -> str:
    return {
        400: "bad_request",
        404: "not_found",
        405: "method_not_allowed",
        413: "body_too_large",
        415: "unsupported_media_type",
    }.get(status, "http_error")


HTML_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


def stamp_headers(
    version: str, protocol: int
) -> Callable[[web.Request, web.StreamResponse], Awaitable[None]]:
    """An `on_response_prepare` hook: identity and hardening headers on every response."""

    async def on_prepare(request: web.Request, response: web.StreamResponse) -> None:
        headers = response.headers
        headers["X-Yiwaiwai-Version"] = version
        headers["X-Yiwaiwai-Protocol"] = str(protocol)
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "no-referrer"
        headers["X-Frame-Options"] = "DENY"
        if response.content_type == "text/html":
            headers["Content-Security-Policy"] = HTML_CSP
        else:
            headers["Cache-Control"] = "no-store"
        for name in [h for h in headers if h.lower().startswith("access-control-")]:
            del headers[name]

    return on_prepare
