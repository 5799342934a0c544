"""Signed calls to Shopee v2 with retries, quota handling and token refresh (doc 1-3, 11, 13).

`ShopeeSession` owns the HTTP client (`transport.LeanClient` over aiohttp, or an
`httpx.AsyncClient` when a transport is injected; TLS verified, `trust_env=False`,
10 s timeouts), puts the common parameters in the query string, signs each
attempt with a fresh timestamp, and decides what a failure means:

- HTTP 5xx, timeouts, `error_server` / `error_system_busy` / `error_network`:
  bounded retries with exponential backoff and jitter.
- HTTP 429 / `error_rate_limit`: the same, with longer delays.
- `error_limit`: no retry; every call is refused until 00:00 UTC+8.
- `error_sign` / `error_param`: raised at once (retrying cannot fix them).
- an invalid access token: one refresh (per-shop lock, so concurrent calls
  refresh once), then the call is repeated.
- writes are never repeated after a failure that may have landed
  (read timeout, ambiguous 5xx): `WriteOutcomeUnknownError` instead.

Only paths are logged; tokens, keys and signs never are.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx

from companion.logsetup import SecretRegistry, redact
from companion.shopee.errors import (
    RETRYABLE_SERVER_CODES,
    AuthError,
    DailyLimitError,
    InvalidTokenError,
    NotAuthorizedError,
    RateLimitError,
    ReauthorizeError,
    ServerError,
    ShopeeAPIError,
    ShopeeError,
    TransportError,
    WriteOutcomeUnknownError,
    classify,
)
from companion.shopee.hosts import check_base_url
from companion.shopee.models import TokenGrant
from companion.shopee.signing import sign
from companion.shopee.tokens import ShopTokens, TokenStore
from companion.shopee.transport import LeanClient, LeanResponse

log = logging.getLogger(__name__)

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

PATH_TOKEN_GET = "/api/v2/auth/token/get"
PATH_REFRESH = "/api/v2/auth/access_token/get"
TOP_LEVEL_PATHS = frozenset(
    {
        PATH_TOKEN_GET,
        PATH_REFRESH,
        "/api/v2/shop/get_shop_info",
        "/api/v2/public/get_shops_by_partner",
    }
)
ENVELOPE_KEYS = frozenset({"request_id", "error", "message", "warning", "response"})
REFRESH_AHEAD_S = 300.0
DEFAULT_TIMEOUT_S = 10.0
# Failures raised before any byte of the request could reach Shopee.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how long to wait; `attempts` counts the first try."""

    attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 8.0
    rate_limit_delay: float = 2.0
    rate_limit_max_delay: float = 30.0

    def delay(self, retry: int, rate_limited: bool, rand: Callable[[], float]) -> float:
        """Exponential backoff with "equal jitter": half fixed, half random."""
        base, cap = (
            (self.rate_limit_delay, self.rate_limit_max_delay)
            if rate_limited
            else (self.base_delay, self.max_delay)
        )
        ceiling = min(cap, base * 2**retry)
        return ceiling / 2 + rand() * ceiling / 2


@dataclass(frozen=True, slots=True)
class Call:
    """One logical API call: shop-level with `shop_id`, merchant-level with `merchant`
    (merchant_id, access_token; no automatic refresh), else public (partner-level)."""

    method: str
    path: str
    shop_id: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    body: Mapping[str, Any] | None = None
    write: bool = False
    merchant: tuple[str, str] | None = None


class _Retry(Exception):
    """Internal: this attempt failed in a way worth another try."""

    def __init__(self, error: ShopeeError, rate_limited: bool = False) -> None:
        super().__init__(str(error))
        self.error = error
        self.rate_limited = rate_limited


class ShopeeSession:
    """Signed, retried, token-refreshing access to one partner app's API."""

    def __init__(
        self,
        *,
        partner_id: int,
        partner_key: str,
        base_url: str,
        token_store: TokenStore,
        clock: Clock = time.time,
        sleep: Sleep = asyncio.sleep,
        rand: Callable[[], float] = random.random,
        retry: RetryPolicy | None = None,
        timeout: float = DEFAULT_TIMEOUT_S,
        refresh_ahead: float = REFRESH_AHEAD_S,
        secrets: SecretRegistry | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if not partner_key:
            raise ValueError("partner_key is required")
        self.partner_id = int(partner_id)
        self.base_url = check_base_url(base_url)
        self.tokens = token_store
        self._key = partner_key
        self._clock = clock
        self._sleep = sleep
        self._rand = rand
        self.retry = retry or RetryPolicy()
        self.refresh_ahead = refresh_ahead
        self._secrets = secrets
        self._locks: dict[str, asyncio.Lock] = {}
        self._cache: dict[str, ShopTokens] = {}
        self._paused_until: datetime | None = None
        if secrets is not None:
            secrets.add(partner_key)
        # Without an injected transport: the lean aiohttp client (~5x less CPU per call than
        # httpx's own pool, same failure contract; see transport.py).
        self._http: httpx.AsyncClient | LeanClient = LeanClient(self.base_url, timeout)
        if transport is not None:
            self._http = httpx.AsyncClient(
                base_url=self.base_url,
                timeout=httpx.Timeout(timeout),
                verify=True,
                trust_env=False,
                follow_redirects=False,
                transport=transport,
            )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> ShopeeSession:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    @property
    def paused_until(self) -> datetime | None:
        """When a spent daily quota resets (None when calls are allowed)."""
        if self._paused_until and self._clock() >= self._paused_until.timestamp():
            self._paused_until = None
        return self._paused_until

    # --- public entry points -------------------------------------------------------------------

    async def get(self, path: str, shop_id: str | None = None, **params: Any) -> dict[str, Any]:
        return await self.execute(Call("GET", path, shop_id, params))

    async def post(
        self, path: str, shop_id: str | None, body: Mapping[str, Any], *, write: bool = True
    ) -> dict[str, Any]:
        return await self.execute(Call("POST", path, shop_id, {}, body, write))

    async def execute(self, call: Call) -> dict[str, Any]:
        """Run one call to completion: the payload dict, or the most specific `ShopeeError`."""
        refreshed = False
        retries = 0
        while True:
            self._refuse_if_paused(call.path)  # another call may have hit the quota meanwhile
            token = await self._access_token(call.shop_id) if call.shop_id else ""
            try:
                return await self._attempt(call, token)
            except InvalidTokenError:
                if call.shop_id is None or refreshed:
                    raise
                refreshed = True
                log.info("shopee %s: access token rejected, refreshing once", call.path)
                await self._refresh_locked(call.shop_id, stale=token, due_only=False)
            except _Retry as failure:
                retries += 1
                if retries >= self.retry.attempts:
                    raise _gave_up(failure.error, retries) from None
                delay = self.retry.delay(retries - 1, failure.rate_limited, self._rand)
                log.warning(
                    "shopee %s: %s; retry %d/%d in %.2fs",
                    call.path,
                    failure.error,
                    retries,
                    self.retry.attempts - 1,
                    delay,
                )
                await self._sleep(delay)

    # --- one attempt ----------------------------------------------------------------------------

    async def _attempt(self, call: Call, token: str) -> dict[str, Any]:
        params = self._signed_params(call, token)
        try:
            response = await self._http.request(
                call.method,
                call.path,
                params=params,
                json=dict(call.body) if call.method == "POST" else None,
            )
        except httpx.HTTPError as exc:
            detail = f"{type(exc).__name__}: {redact(str(exc), self._secrets)}"
            if call.write and not isinstance(exc, _NOT_SENT):
                raise WriteOutcomeUnknownError(call.path, detail) from None
            raise _Retry(TransportError(f"{call.path}: {detail}")) from None
        return self._interpret(call, response)

    def _signed_params(self, call: Call, token: str) -> dict[str, Any]:
        timestamp = int(self._clock())
        params: dict[str, Any] = {
            k: _query_value(v) for k, v in call.params.items() if v is not None
        }
        params["partner_id"] = self.partner_id
        params["timestamp"] = timestamp
        if call.shop_id is not None:
            params["access_token"] = token
            params["shop_id"] = call.shop_id
            params["sign"] = sign(
                self._key, self.partner_id, call.path, timestamp, token, call.shop_id
            )
        elif call.merchant is not None:
            merchant_id, merchant_token = call.merchant
            params["access_token"] = merchant_token
            params["merchant_id"] = merchant_id
            params["sign"] = sign(
                self._key, self.partner_id, call.path, timestamp, merchant_token, merchant_id
            )
        else:
            params["sign"] = sign(self._key, self.partner_id, call.path, timestamp)
        return params

    def _interpret(self, call: Call, response: httpx.Response | LeanResponse) -> dict[str, Any]:
        status = response.status_code
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict):
            data = {}
        error = str(data.get("error") or "").strip()
        if error == "-":
            error = ""
        log.debug("shopee %s %s -> HTTP %d %s", call.method, call.path, status, error or "ok")
        if not error and status < 400:
            return self._payload(call, data)
        exc = classify(
            error or f"http_{status}",
            str(data.get("message") or ""),
            str(data.get("request_id") or ""),
            path=call.path,
            http_status=status,
            now=self._clock(),
        )
        raise self._decide(call, exc)

    def _decide(self, call: Call, exc: ShopeeAPIError) -> Exception:
        """Turn a classified failure into: stop (raise it), retry, or outcome-unknown."""
        if isinstance(exc, DailyLimitError):
            self._paused_until = exc.resume_at
            log.error("shopee daily quota spent; calls paused until %s", exc.resume_at.isoformat())
            return exc
        if isinstance(exc, RateLimitError):
            return _Retry(exc, rate_limited=True)
        if isinstance(exc, ServerError):
            retryable = exc.error in RETRYABLE_SERVER_CODES or exc.error.startswith("http_5")
            if not retryable:
                return exc
            clearly_refused = exc.error == "error_system_busy" or exc.http_status == 503
            if call.write and not clearly_refused:
                return WriteOutcomeUnknownError(call.path, str(exc))
            return _Retry(exc)
        return exc

    def _payload(self, call: Call, data: dict[str, Any]) -> dict[str, Any]:
        if data.get("warning"):
            log.warning("shopee %s: partial success: %s", call.path, redact(str(data["warning"])))
        if call.path in TOP_LEVEL_PATHS:
            return {k: v for k, v in data.items() if k not in ENVELOPE_KEYS}
        payload = data.get("response")
        return payload if isinstance(payload, dict) else {}

    def _refuse_if_paused(self, path: str) -> None:
        resume_at = self.paused_until
        if resume_at is not None:
            raise DailyLimitError(
                "error_limit",
                "daily API quota spent; not calling Shopee until the reset",
                path=path,
                resume_at=resume_at,
            )

    # --- tokens ---------------------------------------------------------------------------------

    def _load(self, shop_id: str) -> ShopTokens:
        tokens = self._cache.get(shop_id) or self.tokens.load(shop_id)
        if tokens is None:
            raise NotAuthorizedError(f"shop {shop_id} is not authorized; run `yiwaiwai auth`")
        self._remember(tokens)
        return tokens

    def _remember(self, tokens: ShopTokens) -> None:
        self._cache[tokens.shop_id] = tokens
        if self._secrets is not None:
            self._secrets.add(tokens.access_token, tokens.refresh_token)

    async def _access_token(self, shop_id: str) -> str:
        tokens = self._load(shop_id)
        if tokens.needs_refresh(self._clock(), self.refresh_ahead):
            tokens = await self._refresh_locked(shop_id, stale=tokens.access_token, due_only=True)
        return tokens.access_token

    async def _refresh_locked(self, shop_id: str, *, stale: str, due_only: bool) -> ShopTokens:
        """Refresh under the shop's lock, unless another caller already did."""
        lock = self._locks.setdefault(shop_id, asyncio.Lock())
        async with lock:
            current = self.tokens.load(shop_id) or self._cache.get(shop_id)
            if current is None:
                raise NotAuthorizedError(f"shop {shop_id} is not authorized; run `yiwaiwai auth`")
            fresh = not current.needs_refresh(self._clock(), self.refresh_ahead)
            if fresh and (due_only or current.access_token != stale):
                self._remember(current)
                return current
            return await self._refresh(current)

    async def _refresh(self, current: ShopTokens) -> ShopTokens:
        body = {
            "refresh_token": current.refresh_token,
            "partner_id": self.partner_id,
            "shop_id": int(current.shop_id),
        }
        try:
            payload = await self.execute(Call("POST", PATH_REFRESH, None, {}, body, write=False))
        except AuthError as exc:
            if isinstance(exc, ReauthorizeError):
                raise
            raise ReauthorizeError(
                exc.error, exc.message, exc.request_id, path=exc.path, http_status=exc.http_status
            ) from None
        tokens = ShopTokens.from_grant(
            current.shop_id, TokenGrant.model_validate(payload), self._clock()
        )
        self.tokens.save(tokens)  # the new pair is durable before anything uses it
        self._remember(tokens)
        log.info("shopee shop %s: tokens refreshed", current.shop_id)
        return tokens

    def store_grant(self, shop_id: str, grant: TokenGrant) -> ShopTokens:
        """Persist a freshly issued pair (code exchange) and start using it."""
        tokens = ShopTokens.from_grant(shop_id, grant, self._clock())
        self.tokens.save(tokens)
        self._remember(tokens)
        return tokens


def _query_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return str(value)


def _gave_up(error: ShopeeError, attempts: int) -> ShopeeError:
    error.args = (f"{error.args[0] if error.args else error} (gave up after {attempts} attempts)",)
    error.attempts = attempts  # type: ignore[attr-defined]
    return error
