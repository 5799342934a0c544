"""Authorization flow: single-use codes, expiring access tokens, rotating refresh tokens."""

from __future__ import annotations

from tests.sandbox.conftest import FakeClock, MakeCaller
from tests.sandbox.shopee_caller import ShopeeCaller

REFRESH = "/api/v2/auth/access_token/get"
TOKEN = "/api/v2/auth/token/get"


async def test_auth_partner_redirects_to_the_given_url_with_code_and_shop_id(
        make_caller: MakeCaller) -> None:
    api = await make_caller(authorize=False)
    path = "/api/v2/shop/auth_partner"
    params = {**api.query(path), "redirect": "https://seller.example/cb?x=1"}
    async with api.client.get(path, params=params, allow_redirects=False) as resp:
        location = resp.headers["Location"]
    assert location.startswith("https://seller.example/cb?x=1&code=")
    assert f"shop_id={api.shop_id}" in location


async def test_auth_code_works_once(make_caller: MakeCaller) -> None:
    api = await make_caller(authorize=False)
    code = (await api.sandbox("POST", "auth_code", {}))["code"]
    body = {"code": code, "partner_id": api.partner_id, "shop_id": api.shop_id}
    _, first = await api.post(TOKEN, body)
    _, second = await api.post(TOKEN, body)
    assert first["error"] == "" and first["expire_in"] == 14400
    assert second["error"] == "invalid_code"


async def test_auth_code_expires_after_ten_minutes(make_caller: MakeCaller,
                                                   clock: FakeClock) -> None:
    api = await make_caller(authorize=False, clock=clock)
    code = (await api.sandbox("POST", "auth_code", {}))["code"]
    clock.advance(601)
    _, body = await api.post(TOKEN, {"code": code, "partner_id": api.partner_id,
                                     "shop_id": api.shop_id})
    assert body["error"] == "invalid_code"


async def test_access_token_expires_after_its_ttl(make_caller: MakeCaller,
                                                  clock: FakeClock) -> None:
    api = await make_caller(clock=clock, token_ttl=600)
    clock.advance(599)
    assert (await api.get("/api/v2/shop/get_shop_info"))[1]["error"] == ""
    clock.advance(2)
    status, body = await api.get("/api/v2/shop/get_shop_info")
    assert (status, body["error"]) == (403, "invalid_acceess_token")


async def test_token_ttl_route_shortens_tokens_already_issued(make_caller: MakeCaller,
                                                              clock: FakeClock) -> None:
    api = await make_caller(clock=clock)
    assert (await api.sandbox("POST", "token_ttl", {"seconds": 5}))["token_ttl"] == 5
    clock.advance(6)
    assert (await api.get("/api/v2/shop/get_shop_info"))[1]["error"] == "invalid_acceess_token"


async def test_refresh_rotates_and_the_old_refresh_token_is_refused(api: ShopeeCaller) -> None:
    body = {"refresh_token": api.refresh, "partner_id": api.partner_id, "shop_id": api.shop_id}
    _, fresh = await api.post(REFRESH, body)
    assert fresh["error"] == ""
    assert fresh["refresh_token"] != api.refresh and fresh["access_token"] != api.token
    assert fresh["shop_id"] == api.shop_id
    _, again = await api.post(REFRESH, body)
    assert again["error"] == "error_auth"
    _, next_round = await api.post(REFRESH, {**body, "refresh_token": fresh["refresh_token"]})
    assert next_round["error"] == ""


async def test_old_access_token_works_five_more_minutes_after_refresh(
        make_caller: MakeCaller, clock: FakeClock) -> None:
    api = await make_caller(clock=clock)
    _, fresh = await api.post(REFRESH, {"refresh_token": api.refresh,
                                        "partner_id": api.partner_id, "shop_id": api.shop_id})
    clock.advance(299)
    assert (await api.get("/api/v2/shop/get_shop_info"))[1]["error"] == ""
    clock.advance(2)
    assert (await api.get("/api/v2/shop/get_shop_info"))[1]["error"] == "invalid_acceess_token"
    _, body = await api.get("/api/v2/shop/get_shop_info", token=fresh["access_token"])
    assert body["error"] == ""


async def test_token_get_with_wrong_partner_in_body_is_refused(make_caller: MakeCaller) -> None:
    api = await make_caller(authorize=False)
    code = (await api.sandbox("POST", "auth_code", {}))["code"]
    _, body = await api.post(TOKEN, {"code": code, "partner_id": 1, "shop_id": api.shop_id})
    assert body["error"] == "error_param"
