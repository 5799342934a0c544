"""The `/ws` door: origin pinning, challenge-response, close codes (security.md P3, W1-W3, W7)."""

from __future__ import annotations

import asyncio
import base64
import json
import os

import pytest
from aiohttp.test_utils import TestClient
from websockets.exceptions import ConnectionClosed, InvalidStatus

from companion.web import handshake as handshake_module
from tests.module_app import Fresh, fresh_companion, module_companion, module_settings
from tests.web.ws_client import SHIPPED_ORIGIN, ImpersonationError, handshake, open_raw, pair

pytestmark = pytest.mark.asyncio(loop_scope="module")
settings = module_settings()  # one companion for the module's tests
companion = module_companion()
fresh = fresh_companion()  # a companion of its own, for tests that need a pristine one


async def test_server_speaks_first_with_a_version_stamped_hello(companion: TestClient) -> None:
    ws = await open_raw(companion.port)
    hello = json.loads(await ws.recv())
    assert hello["type"] == "hello" and hello["v"] == 1
    assert hello["product"] == "yiwaiwai"
    assert hello["protocol"] == [1, 1]
    assert "resume" in hello["features"]
    await ws.close()


async def test_paired_extension_gets_ready_with_shops_and_mode(
    companion: TestClient, secret: str
) -> None:
    client = await pair(companion.port, secret)
    assert client.ready["protocol"] == 1
    assert [s["region"] for s in client.ready["shops"]] == ["MY", "TW"]
    assert client.ready["auto"] is False
    assert client.ready["demo"] is True
    status = await client.next_event("shop.status")
    assert status["seq"] == 0 and len(status["data"]["shops"]) == 2
    await client.ws.close()


async def test_the_secret_never_crosses_the_socket(companion: TestClient, secret: str) -> None:
    ws = await open_raw(companion.port)
    seen = [await ws.recv()]
    nc = os.urandom(16)
    start = {"v": 1, "type": "auth.start", "nc": base64.b64encode(nc).decode()}
    await ws.send(json.dumps({**start, "protocol": 1, "client_version": "t"}))
    seen.append(await ws.recv())
    assert secret not in "".join(str(s) for s in seen)
    await ws.close()


async def test_wrong_secret_is_closed_4001(companion: TestClient, secret: str) -> None:
    ws = await open_raw(companion.port)
    other = base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode()
    with pytest.raises(ImpersonationError):
        await handshake(ws, other)
    await ws.close()
    ws = await open_raw(companion.port)
    hello = json.loads(await ws.recv())
    assert hello["type"] == "hello"
    nc = base64.b64encode(os.urandom(16)).decode()
    await ws.send(
        json.dumps({"type": "auth.start", "nc": nc, "protocol": 1, "client_version": "t"})
    )
    await ws.recv()
    await ws.send(json.dumps({"type": "auth", "cp": base64.b64encode(os.urandom(32)).decode()}))
    assert json.loads(await ws.recv())["code"] == "unauthorized"
    with pytest.raises(ConnectionClosed) as closed:
        await ws.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4001


async def test_a_program_without_our_secret_cannot_prove_itself(secret: str) -> None:
    """The extension's check, done with the client helper: a squatter's `sp` never verifies."""
    from tests.web.ws_client import hmac_b64

    nc, ns = os.urandom(16), os.urandom(16)
    squatter = hmac_b64(base64.urlsafe_b64encode(os.urandom(32)).decode(), b"srv", nc, ns)
    assert squatter != hmac_b64(secret, b"srv", nc, ns)


async def test_web_page_origin_is_refused_before_the_upgrade(companion: TestClient) -> None:
    for origin in ("https://seller.shopee.co.id", f"http://127.0.0.1:{companion.port}", None):
        with pytest.raises(InvalidStatus) as refused:
            await open_raw(companion.port, origin)
        assert refused.value.response.status_code == 403, origin


async def test_unknown_extension_origin_is_refused_before_the_upgrade(
    companion: TestClient,
) -> None:
    with pytest.raises(InvalidStatus) as refused:
        await open_raw(companion.port, "chrome-extension://abcdefghabcdefghabcdefghabcdefgh")
    assert refused.value.response.status_code == 403


async def test_first_pairing_pins_the_origin(fresh: Fresh) -> None:
    companion, secret, auth = fresh.client, fresh.secret, fresh.auth  # never paired before
    before = await (await companion.get("/api/v1/pairing", headers=auth)).json()
    assert before["pinned_origin"] is None
    client = await pair(companion.port, secret)
    after = await (await companion.get("/api/v1/pairing", headers=auth)).json()
    assert after["pinned_origin"] == SHIPPED_ORIGIN
    await client.ws.close()


async def test_protocol_version_outside_the_range_is_closed_4002(
    companion: TestClient, secret: str
) -> None:
    ws = await open_raw(companion.port)
    error = await handshake(ws, secret, protocol=7)
    assert error == {"v": 1, "type": "error", "code": "protocol_unsupported"}
    with pytest.raises(ConnectionClosed) as closed:
        await ws.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4002


async def test_a_command_before_the_handshake_closes_1008(companion: TestClient) -> None:
    ws = await open_raw(companion.port)
    await ws.recv()
    await ws.send(json.dumps({"v": 1, "type": "ping", "id": 1}))
    with pytest.raises(ConnectionClosed) as closed:
        await ws.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008


async def test_silence_during_the_handshake_closes_1008(
    companion: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(handshake_module, "STEP_TIMEOUT_S", 0.3)
    ws = await open_raw(companion.port)
    await ws.recv()
    with pytest.raises(ConnectionClosed) as closed:
        await asyncio.wait_for(ws.recv(), 3)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008


async def test_a_new_session_replaces_the_old_one_with_1000(
    companion: TestClient, secret: str
) -> None:
    first = await pair(companion.port, secret)
    second = await pair(companion.port, secret)
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            await first.recv()
    assert closed.value.rcvd is not None
    assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (1000, "replaced")
    assert (await second.request("ping"))["ok"] is True
    await second.ws.close()


async def test_revoke_drops_sessions_4003_and_the_old_secret_stops_working(fresh: Fresh) -> None:
    companion, secret, auth = fresh.client, fresh.secret, fresh.auth  # revoking rotates it
    client = await pair(companion.port, secret)
    response = await companion.post("/api/v1/pairing/revoke", headers=auth)
    assert response.status == 200
    assert (await response.json())["pinned_origin"] is None
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            await client.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4003
    ws = await open_raw(companion.port)
    with pytest.raises(ImpersonationError):
        await handshake(ws, secret)
    await ws.close()


async def test_revoke_is_refused_from_an_extension_origin(
    companion: TestClient, secret: str, auth: dict[str, str]
) -> None:
    await (await pair(companion.port, secret)).ws.close()
    response = await companion.post(
        "/api/v1/pairing/revoke", headers={**auth, "Origin": SHIPPED_ORIGIN}
    )
    assert response.status == 403
