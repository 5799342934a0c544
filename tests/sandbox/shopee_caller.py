"""A tiny hand-written Shopee v2 signer and caller for the sandbox tests.

Deliberately not companion.shopee: a third, independent signer exercises the sandbox check.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp.test_utils import TestClient

PUBLIC = ("/api/v2/auth/", "/api/v2/public/", "/api/v2/shop/auth_partner")


def sign(key: str, base: str) -> str:
    return hmac.new(key.encode(), base.encode(), hashlib.sha256).hexdigest()


@dataclass
class ShopeeCaller:
    """Signs and sends calls; `token`/`shop_id` are used for shop-level paths."""

    client: TestClient
    partner_id: int
    partner_key: str
    shop_id: int
    token: str = ""
    refresh: str = ""
    clock: Callable[[], float] = time.time

    def query(self, path: str, *, ts: int | None = None, token: str | None = None,
              shop_id: int | None = None, key: str | None = None) -> dict[str, Any]:
        ts = int(self.clock()) if ts is None else ts
        token = self.token if token is None else token
        shop_id = self.shop_id if shop_id is None else shop_id
        params: dict[str, Any] = {"partner_id": self.partner_id, "timestamp": ts}
        base = f"{self.partner_id}{path}{ts}"
        if not path.startswith(PUBLIC):
            base += f"{token}{shop_id}"
            params.update(access_token=token, shop_id=shop_id)
        params["sign"] = sign(key or self.partner_key, base)
        return params

    async def get(self, path: str, params: dict[str, Any] | None = None,
                  **sign_opts: Any) -> tuple[int, dict[str, Any]]:
        query = {**self.query(path, **sign_opts), **(params or {})}
        async with self.client.get(path, params=query) as resp:
            return resp.status, await resp.json()

    async def post(self, path: str, body: dict[str, Any] | None = None,
                   **sign_opts: Any) -> tuple[int, dict[str, Any]]:
        async with self.client.post(path, params=self.query(path, **sign_opts),
                                    json=body or {}) as resp:
            return resp.status, await resp.json()

    async def authorize(self, shop_id: int | None = None) -> None:
        """The real flow: auth_partner redirect -> code -> token/get."""
        shop_id = shop_id or self.shop_id
        path = "/api/v2/shop/auth_partner"
        params = {**self.query(path), "redirect": "https://seller.example/cb", "shop_id": shop_id}
        async with self.client.get(path, params=params, allow_redirects=False) as resp:
            assert resp.status == 302, await resp.text()
            location = resp.headers["Location"]
        code = location.split("code=")[1].split("&")[0]
        _, body = await self.post("/api/v2/auth/token/get", {
            "code": code, "partner_id": self.partner_id, "shop_id": shop_id})
        assert body["error"] == "", body
        self.shop_id, self.token = shop_id, body["access_token"]
        self.refresh = body["refresh_token"]

    async def sandbox(self, method: str, path: str, body: Any = None,
                      params: dict[str, Any] | None = None) -> Any:
        async with self.client.request(method, "/sandbox/v1/" + path, json=body,
                                       params=params) as resp:
            data = await resp.json()
            assert resp.status == 200, data
            return data
