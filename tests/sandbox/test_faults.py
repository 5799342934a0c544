"""Injected faults: the next N calls to a path fail the chosen way, then calls work again."""

from __future__ import annotations

import asyncio

import pytest

from tests.sandbox.conftest import MakeCaller
from tests.sandbox.shopee_caller import ShopeeCaller

INFO = "/api/v2/shop/get_shop_info"


async def test_http_500_fault_fails_exactly_count_calls(api: ShopeeCaller) -> None:
    await api.sandbox("POST", "faults", {"path": INFO, "kind": "http_500", "count": 2})
    assert [(await api.get(INFO))[0] for _ in range(3)] == [500, 500, 200]


async def test_rate_limit_fault_answers_429_with_error_rate_limit(api: ShopeeCaller) -> None:
    await api.sandbox("POST", "faults", {"path": "shop/get_shop_info", "kind": "rate_limit",
                                         "count": 1})
    status, body = await api.get(INFO)
    assert (status, body["error"]) == (429, "error_rate_limit")


async def test_expired_token_fault_looks_like_an_expired_token(api: ShopeeCaller) -> None:
    await api.sandbox("POST", "faults", {"path": INFO, "kind": "expired_token", "count": 1})
    assert (await api.get(INFO))[1]["error"] == "invalid_acceess_token"
    assert (await api.get(INFO))[1]["error"] == ""


async def test_fault_only_hits_its_own_path(api: ShopeeCaller) -> None:
    await api.sandbox("POST", "faults", {"path": INFO, "kind": "http_500", "count": 1})
    _, body = await api.get("/api/v2/voucher/get_voucher_list", {"status": "all"})
    assert body["error"] == ""


async def test_timeout_fault_stalls_longer_than_the_client_waits(make_caller: MakeCaller) -> None:
    api = await make_caller(fault_timeout=0.6)
    await api.sandbox("POST", "faults", {"path": INFO, "kind": "timeout", "count": 1})
    with pytest.raises(asyncio.TimeoutError):
        async with asyncio.timeout(0.2):
            await api.get(INFO)
    await asyncio.sleep(0.5)
    assert (await api.get(INFO))[0] == 200


async def test_unknown_fault_kind_is_rejected(api: ShopeeCaller) -> None:
    async with api.client.post("/sandbox/v1/faults",
                               json={"path": INFO, "kind": "explode"}) as resp:
        assert resp.status == 400


CHAT_LIST = "/api/v2/sellerchat/get_conversation_list"


async def test_a_shop_without_chat_api_access_is_refused_every_chat_call_and_only_those(
    api: ShopeeCaller,
) -> None:
    query = {"direction": "older", "type": "all"}
    off = await api.sandbox("POST", "chat_api", {"shop_id": api.shop_id, "enabled": False})
    assert off == {"shop_id": api.shop_id, "chat_api": False}
    status, body = await api.get(CHAT_LIST, query)
    assert (status, body["error"]) == (403, "error_api_permission")
    status, body = await api.post("/api/v2/sellerchat/send_message",
                                  {"to_id": 1, "message_type": "text", "content": {"text": "x"}})
    assert (status, body["error"]) == (403, "error_api_permission")
    assert (await api.get(INFO))[1]["error"] == ""
    await api.sandbox("POST", "chat_api", {"shop_id": api.shop_id, "enabled": True})
    status, body = await api.get(CHAT_LIST, query)
    assert (status, body["error"]) == (200, "")


async def test_the_chat_api_switch_needs_a_boolean(api: ShopeeCaller) -> None:
    async with api.client.post("/sandbox/v1/chat_api", json={"enabled": "no"}) as resp:
        assert resp.status == 400
