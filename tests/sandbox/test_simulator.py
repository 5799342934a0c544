"""The buyer simulator writes real-looking messages from real buyers at roughly its rate."""

from __future__ import annotations

import asyncio

from tests.sandbox.conftest import MakeCaller
from tests.sandbox.shopee_caller import ShopeeCaller


async def buyer_messages(api: ShopeeCaller) -> list[dict]:
    found = []
    for shop in (await api.sandbox("GET", "credentials"))["shops"]:
        convs = await api.sandbox("GET", "conversations", params={"shop_id": shop["shop_id"]})
        for conv in convs["conversations"]:
            msgs = await api.sandbox("GET", f"conversations/{conv['conversation_id']}/messages")
            found += [m for m in msgs["messages"] if m["direction"] == "buyer"]
    return found


async def test_simulator_produces_messages_at_roughly_its_rate(make_caller: MakeCaller) -> None:
    api = await make_caller(authorize=False, buyers_per_minute=1200)  # 20 a second
    before = {m["message_id"] for m in await buyer_messages(api)}
    await asyncio.sleep(1.0)
    new = [m for m in await buyer_messages(api) if m["message_id"] not in before]
    assert 8 <= len(new) <= 40


async def test_simulated_messages_come_from_real_buyers_about_real_orders(
        make_caller: MakeCaller) -> None:
    api = await make_caller(authorize=False, buyers_per_minute=3000)
    before = {m["message_id"] for m in await buyer_messages(api)}
    await asyncio.sleep(0.8)
    new = [m for m in await buyer_messages(api) if m["message_id"] not in before]
    orders = {o["order_sn"]: o for o in (await api.sandbox("GET", "orders"))["orders"]}
    with_order = [m for m in new if m["source_content"].get("order_sn")]
    assert with_order
    for message in with_order:
        assert orders[message["source_content"]["order_sn"]]["buyer_id"] == message["from_id"]
    assert all(m["content"]["text"].strip() and "{" not in m["content"]["text"] for m in new)


async def test_simulator_is_off_at_zero_rate(make_caller: MakeCaller) -> None:
    api = await make_caller(authorize=False)
    before = len(await buyer_messages(api))
    await asyncio.sleep(0.2)
    assert len(await buyer_messages(api)) == before
