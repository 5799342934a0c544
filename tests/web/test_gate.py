"""The request gate refuses what security.md says it must, with the exact status codes."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient

from tests.module_app import Fresh, fresh_companion, module_companion, module_settings

pytestmark = pytest.mark.asyncio(loop_scope="module")
settings = module_settings()  # one companion for the module's tests
companion = module_companion()
fresh = fresh_companion()  # a companion of its own, for tests that need a pristine one


async def test_health_answers_without_a_token_and_stamps_versions(companion: TestClient) -> None:
    response = await companion.get("/api/v1/health")
    assert response.status == 200
    body = await response.json()
    assert body["product"] == "yiwaiwai"
    assert body["mode"] == "demo"
    assert body["sandbox_url"].startswith("http://127.0.0.1:")
    assert len(body["shops"]) == 2
    assert response.headers["X-Yiwaiwai-Version"] == body["version"]
    assert response.headers["X-Yiwaiwai-Protocol"] == "1"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert not [h for h in response.headers if h.lower().startswith("access-control-")]


async def test_api_without_a_token_is_401(companion: TestClient) -> None:
    response = await companion.get("/api/v1/mode")
    assert response.status == 401
    assert (await response.json())["error"] == "unauthorized"


async def test_wrong_token_is_401(companion: TestClient) -> None:
    response = await companion.get("/api/v1/mode", headers={"Authorization": "Bearer nope"})
    assert response.status == 401


async def test_token_in_the_query_string_is_not_accepted(
    companion: TestClient, secret: str
) -> None:
    response = await companion.get(f"/api/v1/mode?token={secret}")
    assert response.status == 401


async def test_unknown_api_route_is_401_before_auth_and_404_after(
    companion: TestClient, auth: dict[str, str]
) -> None:
    assert (await companion.get("/api/v1/nothing-here")).status == 401
    assert (await companion.get("/api/v1/nothing-here", headers=auth)).status == 404


async def test_foreign_host_is_refused_with_403(
    companion: TestClient, auth: dict[str, str]
) -> None:
    for host in ("evil.example:%d", "127.0.0.1", "127.0.0.1:1", "[::1]:%d", "localhost.evil:%d"):
        value = host % companion.port if "%d" in host else host
        response = await companion.get("/api/v1/health", headers={"Host": value, **auth})
        assert response.status == 403, value
        assert (await response.json())["error"] == "host_not_allowed"


async def test_localhost_host_with_our_port_is_allowed(companion: TestClient) -> None:
    response = await companion.get(
        "/api/v1/health", headers={"Host": f"LOCALHOST.:{companion.port}"}
    )
    assert response.status == 200


async def test_foreign_origin_is_refused_with_403(
    companion: TestClient, auth: dict[str, str]
) -> None:
    for origin in (
        "https://evil.example",
        "http://127.0.0.1:1",
        "chrome-extension://abcdefgh",
        "null",
    ):
        response = await companion.get("/api/v1/mode", headers={"Origin": origin, **auth})
        assert response.status == 403, origin
        assert (await response.json())["error"] == "origin_not_allowed"


async def test_own_origin_is_allowed(companion: TestClient, auth: dict[str, str]) -> None:
    origin = f"http://127.0.0.1:{companion.port}"
    response = await companion.get("/api/v1/mode", headers={"Origin": origin, **auth})
    assert response.status == 200


async def test_cross_site_fetch_metadata_is_refused(
    companion: TestClient, auth: dict[str, str]
) -> None:
    response = await companion.get("/api/v1/mode", headers={"Sec-Fetch-Site": "cross-site", **auth})
    assert response.status == 403


async def test_cors_preflight_is_refused(companion: TestClient) -> None:
    response = await companion.options(
        "/api/v1/mode",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "PUT"},
    )
    assert response.status == 403
    assert "Access-Control-Allow-Origin" not in response.headers


async def test_websocket_path_without_extension_origin_is_refused(companion: TestClient) -> None:
    response = await companion.get("/ws", headers={"Origin": f"http://127.0.0.1:{companion.port}"})
    assert response.status == 403


async def test_repeated_auth_failures_lock_out_with_429(fresh: Fresh) -> None:
    companion = fresh.client  # its own failure budget: the shared one's is partly spent
    statuses = [(await companion.get("/api/v1/mode")).status for _ in range(12)]
    assert statuses[:10] == [401] * 10
    locked = await companion.get("/api/v1/mode", headers=fresh.auth)
    assert locked.status == 429
    assert int(locked.headers["Retry-After"]) > 0


async def test_a_cross_site_navigation_may_open_the_page_shell_but_not_the_api(
    companion: TestClient, auth: dict[str, str]
) -> None:
    """The tray's launch file is a file:// page: Chromium marks its redirect cross-site."""
    navigate = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate",
                "Sec-Fetch-Dest": "document"}
    shell = await companion.get("/", headers=navigate)
    assert shell.status == 200
    assert "text/html" in shell.headers["Content-Type"]
    api = await companion.get("/api/v1/mode", headers={**navigate, **auth})
    assert api.status == 403
    fetched = await companion.get("/", headers={**navigate, "Sec-Fetch-Mode": "no-cors"})
    assert fetched.status == 403
