"""An httpx transport that moves the bytes with aiohttp: same client API, a fraction of the CPU.

Why: measured against the sandbox (`/tmp`-free microbenchmark in the bench
notes), httpx's own connection pool (httpcore + anyio) costs ~2.3 ms of CPU per
signed call on this 2-core machine, and degrades further with many requests
in flight (its pool assigns requests to connections in O(n^2)); the same call
through aiohttp's connector costs ~0.45 ms. `ShopeeSession` keeps using
`httpx.AsyncClient` for building requests and reading responses, so retries,
signing and error classification are unchanged; only the wire part moves.

Failure mapping keeps the session's "did it reach Shopee?" distinction:
connection refused / connect timeout / no free connection are raised as
`httpx.ConnectError` / `ConnectTimeout` / `PoolTimeout` (nothing was sent);
anything after the request may have been written is a read/protocol error
(possibly sent). TLS is verified against certifi's roots, as httpx does;
proxies from the environment are ignored (`trust_env=False`).
"""

from __future__ import annotations

import asyncio
import ssl

import aiohttp
import certifi
import httpx

DEFAULT_CONNECTIONS = 32  # enough for a 2-core companion; more only queues inside the OS


def _timeout(request: httpx.Request) -> aiohttp.ClientTimeout:
    t = request.extensions.get("timeout") or {}
    return aiohttp.ClientTimeout(total=None, connect=t.get("pool"),
                                 sock_connect=t.get("connect"), sock_read=t.get("read"))


class AiohttpTransport(httpx.AsyncBaseTransport):
    """One aiohttp connector (keep-alive pool of `connections`) behind an httpx client."""

    def __init__(self, connections: int = DEFAULT_CONNECTIONS) -> None:
        self._connections = connections
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:  # created on first use: it must belong to the running loop
            context = ssl.create_default_context(cafile=certifi.where())
            connector = aiohttp.TCPConnector(limit=self._connections, ssl=context,
                                             enable_cleanup_closed=False)
            self._session = aiohttp.ClientSession(connector=connector, auto_decompress=False,
                                                  trust_env=False, skip_auto_headers=("Accept",))
        return self._session

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in request.headers.raw]
        try:
            async with self._client().request(
                request.method, str(request.url), headers=headers, data=body or None,
                allow_redirects=False, timeout=_timeout(request),
            ) as response:
                content = await response.read()
                raw = [(k, v) for k, v in response.raw_headers]
                status = response.status
        except aiohttp.ConnectionTimeoutError as exc:
            raise httpx.ConnectTimeout(str(exc) or "connect timeout", request=request) from exc
        except aiohttp.ClientConnectorError as exc:
            raise httpx.ConnectError(str(exc), request=request) from exc
        except aiohttp.SocketTimeoutError as exc:
            raise httpx.ReadTimeout(str(exc) or "read timeout", request=request) from exc
        except (aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError) as exc:
            raise httpx.RemoteProtocolError(str(exc), request=request) from exc
        except TimeoutError as exc:  # waiting for a free connection
            raise httpx.PoolTimeout(str(exc) or "no free connection", request=request) from exc
        except (aiohttp.ClientError, OSError) as exc:
            raise httpx.ReadError(str(exc) or type(exc).__name__, request=request) from exc
        return httpx.Response(status, headers=raw, content=content, request=request)

    async def aclose(self) -> None:
        if self._session is not None:
            session, self._session = self._session, None
            await session.close()
            await asyncio.sleep(0)  # let the connector's transports finish closing
