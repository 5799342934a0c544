"""The real client against the real sandbox shop on 127.0.0.1: auth flow, typed calls, faults."""

from __future__ import annotations

import asyncio
import io
import json
import stat
import time

import httpx
import pytest

from companion.commands.auth import AuthOptions, authorize
from companion.sandbox.app import create_sandbox_app
from companion.shopee import errors
from companion.shopee.auth import Redirect, exchange_code
from companion.shopee.client import ShopeeClient
from companion.shopee.models import NewVoucher
from companion.shopee.session import RetryPolicy
from companion.shopee.tokens import TokenStore


class Sleeps:
    """Injected sleep: records the back-off and returns at once (the sandbox uses real time)."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@pytest.fixture
async def sandbox(aiohttp_server):
    server = await aiohttp_server(create_sandbox_app(seed=11, fault_timeout=1.0))
    base = f"http://127.0.0.1:{server.port}"
    async with httpx.AsyncClient(base_url=base, trust_env=False) as http:
        creds = (await http.get("/sandbox/v1/credentials")).json()
        yield base, creds, http


@pytest.fixture
def sleeps():
    return Sleeps()


@pytest.fixture
async def client(sandbox, tmp_path, sleeps):
    """A client whose shop was authorized through the real code exchange."""
    base, creds, http = sandbox
    shop_id = str(creds["shop_id"])
    code = (await http.post("/sandbox/v1/auth_code", json={"shop_id": creds["shop_id"]})).json()
    client = ShopeeClient(
        partner_id=creds["partner_id"],
        partner_key=creds["partner_key"],
        base_url=base,
        token_store=TokenStore(tmp_path),
        sleep=sleeps,
        retry=RetryPolicy(attempts=3),
        timeout=0.3,
    )
    await exchange_code(client, Redirect(code["code"], shop_id=shop_id))
    yield client, shop_id, http
    await client.aclose()


async def _fault(http: httpx.AsyncClient, path: str, kind: str, count: int) -> None:
    answer = await http.post(
        "/sandbox/v1/faults", json={"path": path, "kind": kind, "count": count}
    )
    assert answer.status_code == 200


async def test_the_auth_command_flow_works_end_to_end_against_the_sandbox(sandbox, tmp_path):
    base, creds, _http = sandbox
    region = creds["shops"][0]["region"]
    options = AuthOptions(
        partner_id=creds["partner_id"],
        region=region,
        data_dir=tmp_path,
        host=base,
        port=0,
        timeout=10,
    )
    visits: list[asyncio.Task[httpx.Response]] = []

    async def browse(url: str) -> httpx.Response:
        async with httpx.AsyncClient(trust_env=False, follow_redirects=True) as browser:
            return await browser.get(url)

    def seller_browser(url: str) -> None:
        visits.append(asyncio.get_running_loop().create_task(browse(url)))

    out = io.StringIO()
    stored = await authorize(options, creds["partner_key"], opener=seller_browser, out=out)
    page = await visits[0]
    assert page.status_code == 200 and "authorized" in page.text
    assert [t.shop_id for t in stored] == [str(creds["shop_id"])]
    assert f"Authorized shop {creds['shop_id']}" in out.getvalue()
    assert creds["partner_key"] not in out.getvalue()

    token_file = tmp_path / "tokens" / f"{creds['shop_id']}.json"
    secret_file = tmp_path / "secrets" / "partner.json"
    for path in (token_file, secret_file):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(secret_file.read_text())["partner_key"] == creds["partner_key"]
    config = json.loads((tmp_path / "config.json").read_text())
    assert config["partner_id"] == creds["partner_id"]
    assert config["api_host"] == base
    assert config["shops"] == [
        {"shop_id": str(creds["shop_id"]), "region": region, "environment": "sandbox"}
    ]

    async with ShopeeClient(
        partner_id=creds["partner_id"],
        partner_key=creds["partner_key"],
        base_url=base,
        token_store=TokenStore(tmp_path),
    ) as client:
        info = await client.get_shop_info(str(creds["shop_id"]))
    assert info.region == region and info.shop_name


async def test_a_code_cannot_be_exchanged_twice(client, sandbox):
    shopee, shop_id, http = client
    code = (await http.post("/sandbox/v1/auth_code", json={"shop_id": int(shop_id)})).json()
    await exchange_code(shopee, Redirect(code["code"], shop_id=shop_id))
    with pytest.raises(errors.ReauthorizeError) as caught:
        await exchange_code(shopee, Redirect(code["code"], shop_id=shop_id))
    assert caught.value.error == "invalid_code"


async def test_orders_items_and_tracking_parse_from_the_sandbox(client):
    shopee, shop_id, _http = client
    now = int(time.time())
    page = await shopee.get_order_list(shop_id, time_from=now - 15 * 86400, time_to=now)
    assert page.order_list
    orders = await shopee.get_order_detail(shop_id, [o.order_sn for o in page.order_list[:5]])
    assert orders and all(o.buyer_user_id and o.item_list for o in orders)
    line = orders[0].item_list[0]
    models = await shopee.get_model_list(shop_id, line.item_id)
    (item,) = await shopee.get_item_base_info(shop_id, [line.item_id])
    assert item.item_id == line.item_id and item.item_name
    assert models.model or item.stock_info_v2 is not None
    shipped = [
        o for o in orders if o.order_status in ("SHIPPED", "TO_CONFIRM_RECEIVE", "COMPLETED")
    ]
    for order in shipped[:1]:
        number = await shopee.get_tracking_number(shop_id, order.order_sn)
        info = await shopee.get_tracking_info(shop_id, order.order_sn)
        assert number.tracking_number and info.tracking_info


async def test_chat_calls_parse_from_the_sandbox(client):
    shopee, shop_id, _http = client
    page = await shopee.get_conversation_list(shop_id, page_size=5)
    assert page.conversations
    conversation = page.conversations[0]
    assert len(str(conversation.last_message_timestamp)) == 19  # nanoseconds
    if page.next_cursor_nano:
        older = await shopee.get_conversation_list(
            shop_id, page_size=5, next_timestamp_nano=page.next_cursor_nano
        )
        assert all(
            c.last_message_timestamp < conversation.last_message_timestamp
            for c in older.conversations
        )
    one = await shopee.get_one_conversation(shop_id, conversation.conversation_id)
    assert one.conversation_id == conversation.conversation_id
    messages = await shopee.get_message(shop_id, conversation.conversation_id, page_size=10)
    assert messages.messages
    read = await shopee.read_conversation(
        shop_id, conversation.conversation_id, messages.messages[0].message_id
    )
    assert read.conversation_id == conversation.conversation_id


async def test_performance_returns_and_vouchers_parse_from_the_sandbox(client):
    shopee, shop_id, _http = client
    performance = await shopee.get_shop_performance(shop_id)
    assert performance.metric_list
    returns = await shopee.get_return_list(shop_id)
    assert isinstance(returns.returns, list)
    now = int(time.time())
    voucher = NewVoucher(
        voucher_name="Thank you",
        voucher_code="TY001",
        start_time=now + 3600,
        end_time=now + 7 * 86400,
        usage_quantity=1,
        min_basket_price=10,
        discount_amount=2,
    )
    created = await shopee.add_voucher(shop_id, voucher)
    assert created.voucher_id


async def test_server_errors_twice_then_success_against_the_sandbox(client, sleeps):
    shopee, shop_id, http = client
    await _fault(http, "/api/v2/shop/get_shop_info", "http_500", 2)
    assert (await shopee.get_shop_info(shop_id)).shop_name
    assert len(sleeps.delays) == 2 and sleeps.delays[1] > sleeps.delays[0] / 2


async def test_the_sandbox_outage_gives_up_after_the_bound(client, sleeps):
    shopee, shop_id, http = client
    await _fault(http, "/api/v2/shop/get_shop_info", "http_500", 5)
    with pytest.raises(errors.ServerError, match="gave up after 3 attempts"):
        await shopee.get_shop_info(shop_id)
    assert len(sleeps.delays) == 2


async def test_sandbox_rate_limit_is_backed_off(client, sleeps):
    shopee, shop_id, http = client
    await _fault(http, "/api/v2/product/get_item_list", "rate_limit", 1)
    assert (await shopee.get_item_list(shop_id)).item
    assert len(sleeps.delays) == 1 and sleeps.delays[0] >= 1.0


async def test_sandbox_timeouts_on_a_send_are_not_retried(client):
    shopee, shop_id, http = client
    page = await shopee.get_conversation_list(shop_id, page_size=1)
    await _fault(http, "/api/v2/sellerchat/send_message", "timeout", 1)
    with pytest.raises(errors.WriteOutcomeUnknownError):
        await shopee.send_text(shop_id, page.conversations[0].to_id, "hello")


async def test_expired_token_refreshes_rotates_and_retries_against_the_sandbox(
    client, sandbox, tmp_path
):
    shopee, shop_id, http = client
    base, creds, _http = sandbox
    store = TokenStore(tmp_path)
    before = store.load(shop_id)
    await _fault(http, "/api/v2/shop/get_shop_info", "expired_token", 1)
    assert (await shopee.get_shop_info(shop_id)).shop_name
    after = store.load(shop_id)
    assert after.refresh_token != before.refresh_token
    assert after.access_token != before.access_token
    # The old refresh token is spent on the sandbox: only the persisted new one works.
    store.save(before.model_copy(update={"expires_at": 0.0}))
    async with ShopeeClient(
        partner_id=creds["partner_id"],
        partner_key=creds["partner_key"],
        base_url=base,
        token_store=store,
    ) as fresh:
        with pytest.raises(errors.ReauthorizeError):
            await fresh.get_shop_info(shop_id)


async def test_a_shortened_token_life_is_refreshed_ahead_of_expiry(aiohttp_server, tmp_path):
    now = [time.time()]
    server = await aiohttp_server(create_sandbox_app(seed=3, clock=lambda: now[0]))
    base = f"http://127.0.0.1:{server.port}"
    async with httpx.AsyncClient(base_url=base, trust_env=False) as http:
        creds = (await http.get("/sandbox/v1/credentials")).json()
        await http.post("/sandbox/v1/token_ttl", json={"seconds": 60})
        code = (await http.post("/sandbox/v1/auth_code", json={})).json()
    shop_id = str(creds["shop_id"])
    store = TokenStore(tmp_path)
    async with ShopeeClient(
        partner_id=creds["partner_id"],
        partner_key=creds["partner_key"],
        base_url=base,
        token_store=store,
        clock=lambda: now[0],
    ) as shopee:
        (first,) = await exchange_code(shopee, Redirect(code["code"], shop_id=shop_id))
        assert first.lifetime == 60
        now[0] += 44  # 16 s left: outside the margin (a quarter of 60 s)
        await shopee.get_shop_info(shop_id)
        assert store.load(shop_id).access_token == first.access_token
        now[0] += 2  # 14 s left: refresh before the call, not after a rejection
        await shopee.get_shop_info(shop_id)
        second = store.load(shop_id)
        assert second.access_token != first.access_token
        now[0] += 3600  # long expired: refreshed before use
        assert (await shopee.get_shop_info(shop_id)).shop_name
        assert store.load(shop_id).access_token != second.access_token
