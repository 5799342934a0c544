"""Commands after `ready`: envelope rules, limits and their observable effects (style.md 5)."""

from __future__ import annotations

import json

import pytest
from aiohttp.test_utils import TestClient
from websockets.exceptions import ConnectionClosed

from tests.module_app import module_companion, module_settings
from tests.web.ws_client import Client, pair

pytestmark = pytest.mark.asyncio(loop_scope="module")
settings = module_settings()  # one companion for the module's tests
companion = module_companion()


async def _closed_code(client: Client) -> int:
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            await client.recv()
    assert closed.value.rcvd is not None
    return closed.value.rcvd.code


async def test_ping_answers_ok_with_the_server_time(companion: TestClient, secret: str) -> None:
    client = await pair(companion.port, secret)
    result = await client.request("ping")
    assert result["ok"] is True and result["id"] == 1 and result["data"]["now"] > 0
    await client.ws.close()


async def test_mode_set_switches_auto_and_everyone_hears_mode_changed(
    companion: TestClient, secret: str, auth: dict[str, str]
) -> None:
    client = await pair(companion.port, secret)
    result = await client.request("mode.set", auto=True)
    assert result["ok"] is True and result["data"]["auto"] is True
    event = await client.next_event("mode.changed")
    assert event["data"]["auto"] is True
    mode = await (await companion.get("/api/v1/mode", headers=auth)).json()
    assert mode["auto"] is True
    await client.ws.close()


async def test_mode_set_for_an_unknown_shop_is_unknown_shop(
    companion: TestClient, secret: str
) -> None:
    client = await pair(companion.port, secret)
    result = await client.request("mode.set", auto=True, shop_id="999")
    assert result["ok"] is False and result["error"]["code"] == "unknown_shop"
    await client.ws.close()


async def test_a_command_id_that_does_not_increase_is_id_reuse(
    companion: TestClient, secret: str
) -> None:
    client = await pair(companion.port, secret)
    await client.request("ping")
    client.next_id = 1
    result = await client.request("ping")
    assert result["ok"] is False and result["error"]["code"] == "id_reuse"
    await client.ws.close()


async def test_an_unknown_field_is_invalid_format_naming_the_field(
    companion: TestClient, secret: str
) -> None:
    client = await pair(companion.port, secret)
    result = await client.request("mode.set", auto=True, navigate="https://evil.example")
    assert result["error"]["code"] == "invalid_format"
    assert "navigate" in result["error"]["message"]
    await client.ws.close()


async def test_three_unknown_types_close_the_socket_1003(
    companion: TestClient, secret: str
) -> None:
    client = await pair(companion.port, secret)
    await client.drain(0.2)
    for n in range(3):
        await client.send({"v": 1, "type": "page.eval", "id": n + 1, "code": "alert(1)"})
        assert (await client.next_event("error"))["code"] == "bad_message"
    assert await _closed_code(client) == 1003


async def test_an_oversized_frame_closes_1009(companion: TestClient, secret: str) -> None:
    client = await pair(companion.port, secret)
    await client.ws.send(json.dumps({"v": 1, "type": "ping", "id": 1, "x": "a" * 70_000}))
    assert await _closed_code(client) == 1009


async def test_a_flood_of_frames_closes_1008(companion: TestClient, secret: str) -> None:
    client = await pair(companion.port, secret)
    for n in range(80):
        await client.send({"v": 1, "type": "ping", "id": n + 1})
    assert await _closed_code(client) == 1008


async def test_reply_send_for_an_unknown_conversation_is_not_found(
    companion: TestClient, secret: str, auth: dict[str, str]
) -> None:
    shop_id = (await (await companion.get("/api/v1/health")).json())["shops"][0]["shop_id"]
    client = await pair(companion.port, secret)
    result = await client.request("reply.send", shop_id=shop_id, conversation_id="1", text="hi")
    assert result["ok"] is False and result["error"]["code"] == "not_found"
    await client.ws.close()
