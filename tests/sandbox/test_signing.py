"""Signature, timestamp and path checks of the sandbox gate."""

from __future__ import annotations

from companion.sandbox.signing_check import expected_sign
from tests.sandbox.shopee_caller import ShopeeCaller

DOC_KEY = "57615053704d6470644f554a78656d50484143644964436a5568777544524579"


def test_sandbox_signer_matches_the_documented_vectors() -> None:
    shop = "2001887/api/v2/shop/get_shop_info165571443159777174636562737266615546704c6d14701711"
    public = "2001887/api/v2/public/get_shops_by_partner1655714431"
    padded = "2001887/api/v2/shop/auth_partner1655714431"
    assert expected_sign(DOC_KEY, shop) == (
        "b914bea03c13799deb036bb9d10e689f5a6bade160c44af568646f1ef7d796c1")
    assert expected_sign(DOC_KEY, public) == (
        "60ab8c4a535009ab33b8a0029ee18a667ef6eaeb16481ed3d573a5059122d4df")
    assert expected_sign(DOC_KEY, padded) == (
        "0073b5b6e36428d5f469ae927416d50b34ed92480534178c39c7347be0535402")


async def test_good_sign_is_accepted_and_shop_info_is_top_level(api: ShopeeCaller) -> None:
    status, body = await api.get("/api/v2/shop/get_shop_info")
    assert status == 200
    assert body["error"] == ""
    assert body["region"] == "MY"
    assert "response" not in body


async def test_bad_sign_is_rejected(api: ShopeeCaller) -> None:
    status, body = await api.get("/api/v2/shop/get_shop_info", key="not-the-partner-key")
    assert (status, body["error"], body["message"]) == (403, "error_sign", "Wrong sign.")


async def test_sign_made_for_another_path_is_rejected(api: ShopeeCaller) -> None:
    query = api.query("/api/v2/order/get_order_list")
    async with api.client.get("/api/v2/shop/get_shop_info", params=query) as resp:
        assert (await resp.json())["error"] == "error_sign"


async def test_stale_timestamp_is_rejected(api: ShopeeCaller) -> None:
    stale = int(api.clock()) - 301
    _, body = await api.get("/api/v2/shop/get_shop_info", ts=stale)
    assert body["error"] == "error_param"
    assert body["message"] == "Timestamp is expired."


async def test_timestamp_inside_the_window_is_accepted(api: ShopeeCaller) -> None:
    _, body = await api.get("/api/v2/shop/get_shop_info", ts=int(api.clock()) - 250)
    assert body["error"] == ""


async def test_unknown_access_token_is_refused(api: ShopeeCaller) -> None:
    _, body = await api.get("/api/v2/shop/get_shop_info", token="0" * 32)
    assert (body["error"], body["message"]) == ("error_auth", "Invalid access_token.")


async def test_token_of_one_shop_cannot_call_for_another(api: ShopeeCaller) -> None:
    creds = await api.sandbox("GET", "credentials")
    other = creds["shops"][1]["shop_id"]
    _, body = await api.get("/api/v2/shop/get_shop_info", shop_id=other)
    assert body["error"] == "error_auth"


async def test_unknown_path_and_wrong_method_answer_a_not_found_envelope(api: ShopeeCaller) -> None:
    status, body = await api.get("/api/v2/order/no_such_api")
    assert (status, body["error"]) == (404, "error_not_found")
    status, body = await api.post("/api/v2/order/get_order_list")
    assert (status, body["error"]) == (404, "error_not_found")
