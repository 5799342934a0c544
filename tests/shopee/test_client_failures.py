"""Retries, back-off, quota, refresh and write safety of the client, against scripted answers."""

from __future__ import annotations

import asyncio
import logging

import pytest

from companion.shopee import errors
from companion.shopee.client import ShopeeClient
from companion.shopee.session import Call, RetryPolicy
from companion.shopee.tokens import ShopTokens, TokenStore
from tests.shopee.scripted import TIMEOUT, ScriptedShopee

KEY = "shpk-test-partner-key-0123456789"
SHOP = "1001"
INFO = "/api/v2/shop/get_shop_info"
REFRESH = "/api/v2/auth/access_token/get"
SEND = "/api/v2/sellerchat/send_message"
T0 = 1_700_000_000.0


class FakeTime:
    """Injected clock and sleep: sleeping advances the clock instantly and is recorded."""

    def __init__(self) -> None:
        self.now = T0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def shopee():
    fake = ScriptedShopee()
    fake.success[INFO] = {"shop_name": "Demo", "region": "SG", "status": "NORMAL"}
    fake.success[REFRESH] = {
        "access_token": "access-2",
        "refresh_token": "refresh-2",
        "expire_in": 14400,
        "shop_id": int(SHOP),
    }
    return fake


@pytest.fixture
def clock():
    return FakeTime()


@pytest.fixture
def store(tmp_path):
    store = TokenStore(tmp_path)
    store.save(
        ShopTokens(
            shop_id=SHOP,
            access_token="access-1",
            refresh_token="refresh-1",
            expires_at=T0 + 14400,
            issued_at=T0,
        )
    )
    return store


@pytest.fixture
async def client(aiohttp_server, shopee, clock, store):
    server = await aiohttp_server(shopee.app())
    client = ShopeeClient(
        partner_id=42,
        partner_key=KEY,
        base_url=f"http://127.0.0.1:{server.port}",
        token_store=store,
        clock=clock,
        sleep=clock.sleep,
        rand=lambda: 0.5,
        retry=RetryPolicy(attempts=4, base_delay=0.5, max_delay=8, rate_limit_delay=2),
        timeout=0.2,
    )
    yield client
    await client.aclose()


async def test_server_errors_twice_then_success_returns_the_payload(client, shopee, clock):
    shopee.script[INFO] = [500, (503, "error_server", "busy")]
    info = await client.get_shop_info(SHOP)
    assert info.shop_name == "Demo"
    assert len(shopee.calls(INFO)) == 3
    assert clock.sleeps == [0.375, 0.75]  # 0.5*2**n with equal jitter at rand=0.5
    timestamps = [c.query["timestamp"] for c in shopee.calls(INFO)]
    assert timestamps == [str(int(T0)), str(int(T0)), str(int(T0) + 1)]  # stamped per attempt


async def test_persistent_server_errors_give_up_after_the_bound(client, shopee, clock):
    shopee.script[INFO] = [(200, "error_system_busy", "try later")] * 10
    with pytest.raises(errors.ServerError, match="gave up after 4 attempts") as caught:
        await client.get_shop_info(SHOP)
    assert caught.value.error == "error_system_busy"
    assert len(shopee.calls(INFO)) == 4
    assert len(clock.sleeps) == 3


async def test_timeouts_on_reads_are_retried_then_reported_as_transport_errors(client, shopee):
    shopee.script[INFO] = [TIMEOUT] * 4
    with pytest.raises(errors.TransportError, match="gave up after 4 attempts"):
        await client.get_shop_info(SHOP)
    assert len(shopee.calls(INFO)) == 4


async def test_rate_limits_back_off_longer_and_then_succeed(client, shopee, clock):
    shopee.script[INFO] = [(200, "error_rate_limit", "slow down"), 429]
    assert (await client.get_shop_info(SHOP)).region == "SG"
    assert clock.sleeps == [1.5, 3.0]  # rate-limit base 2 s, doubled


async def test_daily_limit_stops_all_calls_until_midnight_utc_plus_8(client, shopee, clock):
    shopee.script[INFO] = [(200, "error_limit", "daily quota")]
    with pytest.raises(errors.DailyLimitError) as caught:
        await client.get_shop_info(SHOP)
    resume_at = caught.value.resume_at
    assert resume_at.timestamp() > clock.now
    assert resume_at.astimezone(errors.UTC8).hour == 0
    with pytest.raises(errors.DailyLimitError):
        await client.get_shop_info(SHOP)
    assert len(shopee.calls(INFO)) == 1  # the second call never left the process
    assert clock.sleeps == []
    clock.now = resume_at.timestamp() + 1
    assert (await client.get_shop_info(SHOP)).shop_name == "Demo"


async def test_sign_and_param_errors_are_not_retried(client, shopee):
    shopee.script[INFO] = [
        (403, "error_sign", "Wrong sign."),
        (400, "error_param", "Timestamp is expired."),
    ]
    with pytest.raises(errors.SignError):
        await client.get_shop_info(SHOP)
    with pytest.raises(errors.ParamError):
        await client.get_shop_info(SHOP)
    assert len(shopee.calls(INFO)) == 2


async def test_expired_token_is_refreshed_once_and_the_call_repeated(client, shopee, store):
    shopee.script[INFO] = [(403, "invalid_acceess_token", "Invalid access_token.")]
    assert (await client.get_shop_info(SHOP)).shop_name == "Demo"
    first, second = shopee.calls(INFO)
    assert first.query["access_token"] == "access-1"
    assert second.query["access_token"] == "access-2"
    (refresh,) = shopee.calls(REFRESH)
    assert refresh.body == {"refresh_token": "refresh-1", "partner_id": 42, "shop_id": 1001}
    assert "access_token" not in refresh.query and "shop_id" not in refresh.query
    assert store.load(SHOP).refresh_token == "refresh-2"


async def test_a_token_rejected_again_after_refresh_is_raised(client, shopee):
    shopee.script[INFO] = [(403, "invalid_acceess_token", "Invalid access_token.")] * 2
    with pytest.raises(errors.InvalidTokenError):
        await client.get_shop_info(SHOP)
    assert len(shopee.calls(REFRESH)) == 1


async def test_tokens_are_refreshed_ahead_of_expiry(client, shopee, clock, store):
    clock.now = T0 + 14400 - 200  # inside the 5-minute margin
    await client.get_shop_info(SHOP)
    assert len(shopee.calls(REFRESH)) == 1
    assert shopee.calls(INFO)[0].query["access_token"] == "access-2"
    assert store.load(SHOP).expires_at == clock.now + 14400


async def test_concurrent_calls_refresh_only_once(client, shopee, clock):
    clock.now = T0 + 14400 - 10
    shopee.delay = 0.02
    results = await asyncio.gather(*(client.get_shop_info(SHOP) for _ in range(6)))
    assert {r.shop_name for r in results} == {"Demo"}
    assert len(shopee.calls(REFRESH)) == 1
    assert {c.query["access_token"] for c in shopee.calls(INFO)} == {"access-2"}


async def test_a_spent_refresh_token_asks_for_reauthorization(client, shopee, clock):
    shopee.script[REFRESH] = [(403, "error_auth", "Invalid refresh_token.")]
    clock.now = T0 + 14400 + 1
    with pytest.raises(errors.ReauthorizeError):
        await client.get_shop_info(SHOP)


async def test_a_shop_without_tokens_is_not_authorized(client):
    with pytest.raises(errors.NotAuthorizedError):
        await client.get_shop_info("9999")


async def test_a_write_that_timed_out_is_not_retried(client, shopee):
    shopee.script[SEND] = [TIMEOUT]
    with pytest.raises(errors.WriteOutcomeUnknownError):
        await client.send_text(SHOP, "555", "hello")
    assert len(shopee.calls(SEND)) == 1


async def test_a_write_that_got_an_ambiguous_server_error_is_not_retried(client, shopee):
    shopee.script[SEND] = [(500, "error_server", "internal")]
    with pytest.raises(errors.WriteOutcomeUnknownError):
        await client.send_text(SHOP, "555", "hello")
    assert len(shopee.calls(SEND)) == 1


async def test_a_write_refused_by_rate_limit_is_retried(client, shopee):
    shopee.script[SEND] = [(429, "error_rate_limit", "slow down")]
    shopee.success[SEND] = {"message_id": 2**62 + 1, "conversation_id": 2**62 + 3, "to_id": 555}
    sent = await client.send_text(SHOP, "555", "hello")
    assert sent.message_id == str(2**62 + 1) and sent.conversation_id == str(2**62 + 3)
    assert len(shopee.calls(SEND)) == 2
    assert shopee.calls(SEND)[0].body == {
        "to_id": 555,
        "message_type": "text",
        "content": {"text": "hello"},
    }


async def test_send_restrictions_are_raised_with_their_reason(client, shopee):
    shopee.script[SEND] = [(200, "reach_5_message_limit", "wait for the buyer")]
    with pytest.raises(errors.SendRestrictedError) as caught:
        await client.send_text(SHOP, "555", "hello")
    assert caught.value.reason == "reach_5_message_limit"


async def test_overlong_text_is_refused_without_calling_shopee(client, shopee):
    with pytest.raises(errors.SendRestrictedError):
        await client.send_autoreply_message(SHOP, "555", "x" * 601)
    assert shopee.seen == []


async def test_common_params_go_in_the_query_and_business_params_follow_the_doc(client, shopee):
    await client.get_order_detail(SHOP, ["A1", "B2"])
    await client.get_item_list(SHOP, item_status=["NORMAL", "UNLIST"])
    detail = shopee.calls("/api/v2/order/get_order_detail")[0].query
    assert set(detail) >= {"partner_id", "timestamp", "sign", "access_token", "shop_id"}
    assert detail["order_sn_list"] == "A1,B2"
    assert "buyer_user_id" in detail["response_optional_fields"]
    assert detail["partner_id"] == "42" and detail["shop_id"] == SHOP
    assert len(detail["sign"]) == 64


async def test_logs_and_errors_never_carry_tokens_keys_or_signs(client, shopee, caplog):
    caplog.set_level(logging.DEBUG)
    shopee.script[INFO] = [500, (403, "invalid_acceess_token", "Invalid access_token.")]
    shopee.script[SEND] = [(200, "error_sign", "Wrong sign.")]
    await client.get_shop_info(SHOP)
    with pytest.raises(errors.SignError) as caught:
        await client.send_text(SHOP, "555", "hello")
    signs = [c.query["sign"] for c in shopee.seen]
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("companion.")]
    text = "\n".join(ours) + str(caught.value)
    for secret in ["access-1", "access-2", "refresh-1", "refresh-2", KEY, *signs]:
        assert secret not in text
    assert any(INFO in line for line in ours)


def test_hosts_outside_the_allowlist_are_refused(tmp_path):
    with pytest.raises(ValueError):
        ShopeeClient(
            partner_id=1,
            partner_key=KEY,
            base_url="https://shopee.evil.example",
            token_store=TokenStore(tmp_path),
        )


async def test_merchant_calls_are_signed_with_the_documented_vector(
    aiohttp_server, shopee, tmp_path
):
    server = await aiohttp_server(shopee.app())
    doc_key = "57615053704d6470644f554a78656d50484143644964436a5568777544524579"
    async with ShopeeClient(
        partner_id=2001887,
        partner_key=doc_key,
        base_url=f"http://127.0.0.1:{server.port}",
        token_store=TokenStore(tmp_path),
        clock=lambda: 1655714431.4,
    ) as client:
        path = "/api/v2/global_product/get_category"
        merchant = ("1000000", "09777174636962737266615546704c6d")
        await client.execute(Call("GET", path, merchant=merchant))
        await client.get("/api/v2/public/get_shops_by_partner")
    merchant_query = shopee.calls(path)[0].query
    assert merchant_query["merchant_id"] == "1000000"
    assert merchant_query["sign"] == (
        "a50a2229b148e76048e21ad69a9d619885a21bd4aa7738bc524e1207df73a151"
    )
    assert shopee.calls("/api/v2/public/get_shops_by_partner")[0].query["sign"] == (
        "60ab8c4a535009ab33b8a0029ee18a667ef6eaeb16481ed3d573a5059122d4df"
    )
