"""`LeanClient`: the slice of `httpx.AsyncClient` that `ShopeeSession` uses, over aiohttp.

Why: measured against the sandbox on this 2-core machine, a signed call
through `httpx.AsyncClient` costs ~2.3 ms of CPU (httpcore's pool and anyio,
plus a failed `import sniffio` per request, and a pool that assigns requests
to connections in O(n^2) when many are in flight); with an aiohttp transport
under httpx ~0.45 ms, of which httpx's URL building and validation is still
about half. This client builds the URL with the stdlib and hands it to one
aiohttp connector: the session's signing, retries and error classification
are unchanged, and its failure contract too, because errors are raised as
the same httpx exception types:

- nothing was sent: `httpx.ConnectError` (refused), `ConnectTimeout`,
  `PoolTimeout` (no free connection in time);
- the request may have been sent: `ReadTimeout`, `RemoteProtocolError`,
  `ReadError`.

TLS is verified against certifi's roots (as httpx does); proxies from the
environment are ignored (`trust_env=False`); redirects are not followed.
"""

from __future__ import annotations

import asyncio
import json
import ssl
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode

import aiohttp
import certifi
import httpx

DEFAULT_CONNECTIONS = 32  # enough for a 2-core companion; more only queues inside the OS


class LeanResponse:
    """Status and body; `json()` like httpx."""

    __slots__ = ("content", "status_code")

    def __init__(self, status_code: int, content: bytes) -> None:
        self.status_code = status_code
        self.content = content

    def json(self) -> Any:
        return json.loads(self.content)


class LeanClient:
    """`request(method, path, params=, json=)` and `aclose()`, as ShopeeSession calls them."""

    def __init__(self, base_url: str, timeout: float, connections: int = DEFAULT_CONNECTIONS,
                 ) -> None:
        self._base = base_url.rstrip("/")
        self._timeout = aiohttp.ClientTimeout(total=None, connect=timeout, sock_connect=timeout,
                                              sock_read=timeout)
        self._connections = connections
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:  # created on first use: it must belong to the running loop
            context = ssl.create_default_context(cafile=certifi.where())
            connector = aiohttp.TCPConnector(limit=self._connections, ssl=context)
            self._session = aiohttp.ClientSession(connector=connector, trust_env=False,
                                                  timeout=self._timeout)
        return self._session

    async def request(self, method: str, path: str, *, params: Mapping[str, Any] | None = None,
                      json: Any = None) -> LeanResponse:
        url = self._base + path
        if params:
            url += "?" + urlencode(params, doseq=True, quote_via=quote)
        data, headers = None, None
        if json is not None:  # encoded as httpx does
            data = _dumps(json)
            headers = {"Content-Type": "application/json"}
        try:
            async with self._client().request(method, url, data=data, headers=headers,
                                              allow_redirects=False) as response:
                return LeanResponse(response.status, await response.read())
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            raise _mapped(exc, httpx.Request(method, url)) from exc

    async def aclose(self) -> None:
        if self._session is not None:
            session, self._session = self._session, None
            await session.close()
            await asyncio.sleep(0)  # let the connector's transports finish closing


def _mapped(exc: BaseException, request: httpx.Request) -> httpx.TransportError:
    """The httpx error for an aiohttp failure: was anything sent? (see the module docstring)."""
    text = str(exc) or type(exc).__name__
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return httpx.ConnectTimeout(text, request=request)
    if isinstance(exc, aiohttp.ClientConnectorError):
        return httpx.ConnectError(text, request=request)
    if isinstance(exc, aiohttp.SocketTimeoutError):
        return httpx.ReadTimeout(text, request=request)
    if isinstance(exc, (aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError)):
        return httpx.RemoteProtocolError(text, request=request)
    if isinstance(exc, TimeoutError):  # waiting for a free connection
        return httpx.PoolTimeout(text, request=request)
    return httpx.ReadError(text, request=request)


def _dumps(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")
