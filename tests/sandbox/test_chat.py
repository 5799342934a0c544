"""Buyer messages injected through /sandbox/v1/ show up in the sellerchat API like real ones."""

from __future__ import annotations

from tests.sandbox.conftest import FakeClock, MakeCaller
from tests.sandbox.shopee_caller import ShopeeCaller

LIST = "/api/v2/sellerchat/get_conversation_list"
MESSAGES = "/api/v2/sellerchat/get_message"


async def test_buyer_message_is_newest_and_unread_in_the_conversation_list(
        api: ShopeeCaller) -> None:
    sent = await api.sandbox("POST", "buyer_messages", {"text": "where is my parcel?"})
    _, body = await api.get(LIST, {"direction": "older", "type": "unread", "page_size": 10})
    first = body["response"]["conversations"][0]
    assert first["conversation_id"] == sent["conversation_id"]
    assert first["latest_message_id"] == sent["message_id"]
    assert first["latest_message_from_id"] == first["to_id"] == sent["buyer_id"]
    assert first["unread_count"] >= 1
    assert first["last_message_timestamp"] == int(sent["created_timestamp_nano"])
    assert len(str(first["last_message_timestamp"])) == 19


async def test_get_message_is_newest_first_with_string_ids_and_seconds(api: ShopeeCaller) -> None:
    sent = await api.sandbox("POST", "buyer_messages", {"text": "hello?"})
    _, body = await api.get(MESSAGES, {"conversation_id": sent["conversation_id"]})
    newest = body["response"]["messages"][0]
    assert newest["message_id"] == sent["message_id"]
    assert isinstance(newest["message_id"], str) and int(newest["message_id"]) > 2**53
    assert newest["content"] == {"text": "hello?"}
    assert newest["from_shop_id"] == 0 and newest["to_shop_id"] == api.shop_id
    assert newest["created_timestamp"] == int(sent["created_timestamp_nano"]) // 10**9


async def test_get_message_pages_by_offset_without_overlap(api: ShopeeCaller) -> None:
    first = await api.sandbox("POST", "buyer_messages", {"text": "one"})
    for text in ("two", "three", "four"):
        await api.sandbox("POST", "buyer_messages", {"text": text, "buyer_id": first["buyer_id"]})
    seen: list[str] = []
    offset = ""
    while True:
        _, body = await api.get(MESSAGES, {"conversation_id": first["conversation_id"],
                                           "page_size": 2, "offset": offset})
        seen += [m["message_id"] for m in body["response"]["messages"]]
        offset = body["response"]["page_result"]["next_offset"]
        if not offset:
            break
    assert len(seen) == len(set(seen)) >= 4
    assert seen == sorted(seen, reverse=True)


async def test_conversation_list_cursor_walks_every_conversation_once(api: ShopeeCaller) -> None:
    ids: list[str] = []
    cursor = ""
    while True:
        params = {"direction": "older", "type": "all", "page_size": 7}
        if cursor:
            params["next_timestamp_nano"] = cursor
        _, body = await api.get(LIST, params)
        page = body["response"]
        ids += [c["conversation_id"] for c in page["conversations"]]
        if not page["page_result"]["more"]:
            break
        cursor = page["page_result"]["next_cursor"]["next_message_time_nano"]
    everything = (await api.sandbox("GET", "conversations",
                                    params={"shop_id": api.shop_id}))["conversations"]
    assert len(ids) == len(set(ids)) == len(everything) > 7


async def test_the_sandbox_lists_every_shops_conversations_without_a_shop_id(
    api: ShopeeCaller,
) -> None:
    shops = (await api.sandbox("GET", "credentials"))["shops"]
    per_shop = {}
    for shop in shops:
        listed = (await api.sandbox("GET", "conversations",
                                    params={"shop_id": shop["shop_id"]}))["conversations"]
        assert listed and {c["shop_id"] for c in listed} == {shop["shop_id"]}
        per_shop[shop["shop_id"]] = {c["conversation_id"] for c in listed}
    everything = (await api.sandbox("GET", "conversations"))["conversations"]
    assert {c["conversation_id"] for c in everything} == set().union(*per_shop.values())
    assert len(per_shop) == 2
    times = [int(c["last_message_timestamp"]) for c in everything]
    assert times == sorted(times, reverse=True)


async def test_read_conversation_clears_unread(api: ShopeeCaller) -> None:
    sent = await api.sandbox("POST", "buyer_messages", {"text": "halo?"})
    _, body = await api.post("/api/v2/sellerchat/read_conversation", {
        "conversation_id": sent["conversation_id"], "last_read_message_id": sent["message_id"]})
    assert body["error"] == ""
    _, one = await api.get("/api/v2/sellerchat/get_one_conversation",
                           {"conversation_id": sent["conversation_id"]})
    assert one["response"]["unread_count"] == 0
    assert one["response"]["last_read_message_id"] == sent["message_id"]


async def test_conversation_route_shows_every_message_with_sent_via(api: ShopeeCaller) -> None:
    sent = await api.sandbox("POST", "buyer_messages", {"text": "stock ada?"})
    buyer = sent["buyer_id"]
    for path in ("send_message", "send_autoreply_message"):
        _, body = await api.post(f"/api/v2/sellerchat/{path}", {
            "to_id": buyer, "message_type": "text", "content": {"text": f"via {path}"}})
        assert body["error"] == ""
    convo = await api.sandbox("GET", f"conversations/{sent['conversation_id']}/messages")
    shop_msgs = [m for m in convo["messages"] if m["direction"] == "shop"][-2:]
    assert [m["sent_via"] for m in shop_msgs] == ["send_message", "send_autoreply_message"]
    assert [m["status"] for m in shop_msgs] == ["normal", "auto_reply"]
    assert all(m["created_timestamp_nano"].isdigit() for m in convo["messages"])


async def test_buyer_message_with_order_attaches_it_as_context(api: ShopeeCaller) -> None:
    order = (await api.sandbox("GET", "orders", params={"status": "SHIPPED",
                                                        "shop_id": api.shop_id}))["orders"][0]
    sent = await api.sandbox("POST", "buyer_messages",
                             {"text": "bila sampai?", "order_sn": order["order_sn"]})
    assert sent["buyer_id"] == order["buyer_id"]
    _, body = await api.get(MESSAGES, {"conversation_id": sent["conversation_id"]})
    assert body["response"]["messages"][0]["source_content"] == {"order_sn": order["order_sn"]}


async def test_buyer_message_for_an_unknown_order_is_refused(api: ShopeeCaller) -> None:
    async with api.client.post("/sandbox/v1/buyer_messages",
                               json={"text": "hi", "order_sn": "000000NOPE0000"}) as resp:
        assert resp.status == 404


async def test_buyers_made_on_demand_are_new_each_with_an_order_and_can_be_answered(
        make_caller: MakeCaller, clock: FakeClock) -> None:
    first = await make_caller(clock=clock)
    again = await make_caller(clock=clock)
    made = (await first.sandbox("POST", "buyers", {"count": 30}))["buyers"]
    assert made == (await again.sandbox("POST", "buyers", {"count": 30}))["buyers"]  # seeded
    seeded = {b["buyer_id"] for b in (await first.sandbox("GET", "buyers"))["buyers"]}
    assert len({b["buyer_id"] for b in made}) == 30 and len(seeded) == 90 + 30
    buyer = made[0]
    sent = await first.sandbox("POST", "buyer_messages", {"text": "status?",
                                                           "order_sn": buyer["order_sn"]})
    assert sent["buyer_id"] == buyer["buyer_id"]
    _, body = await first.post("/api/v2/sellerchat/send_message",
                               {"to_id": buyer["buyer_id"], "message_type": "text",
                                "content": {"text": "Shipped yesterday."}})
    assert body["error"] == ""
