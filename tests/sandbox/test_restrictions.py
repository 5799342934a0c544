"""Chat send restrictions (platform doc 0.4 / 7.4), each with its documented error name."""

from __future__ import annotations

from typing import Any

from tests.sandbox.conftest import FakeClock, MakeCaller
from tests.sandbox.shopee_caller import ShopeeCaller

SEND = "/api/v2/sellerchat/send_message"
AUTO = "/api/v2/sellerchat/send_autoreply_message"


async def buyers(api: ShopeeCaller, shop_index: int = 0) -> list[dict[str, Any]]:
    creds = await api.sandbox("GET", "credentials")
    shop_id = creds["shops"][shop_index]["shop_id"]
    return (await api.sandbox("GET", "buyers", params={"shop_id": shop_id}))["buyers"]


async def chatting_buyer(api: ShopeeCaller, text: str = "hi, is this in stock?") -> int:
    """A buyer who just wrote to the shop, so the window is open and the thread exists."""
    sent = await api.sandbox("POST", "buyer_messages", {"text": text, "shop_id": api.shop_id})
    return sent["buyer_id"]


async def send_text(api: ShopeeCaller, to_id: int, text: str, path: str = SEND) -> dict[str, Any]:
    body: dict[str, Any] = {"to_id": to_id, "content": {"text": text}}
    if path == SEND:
        body["message_type"] = "text"
    return (await api.post(path, body))[1]


async def test_text_longer_than_600_characters_is_refused(api: ShopeeCaller) -> None:
    buyer = await chatting_buyer(api)
    assert (await send_text(api, buyer, "x" * 601))["error"] == "message_too_long"
    assert (await send_text(api, buyer, "x" * 600))["error"] == ""


async def test_sixth_shop_message_in_a_row_is_refused_until_the_buyer_replies(
        api: ShopeeCaller) -> None:
    buyer = await chatting_buyer(api)
    for n in range(5):
        assert (await send_text(api, buyer, f"update {n}"))["error"] == ""
    assert (await send_text(api, buyer, "update 5"))["error"] == "reach_5_message_limit"
    await api.sandbox("POST", "buyer_messages", {"text": "ok", "buyer_id": buyer})
    assert (await send_text(api, buyer, "update 5"))["error"] == ""


async def test_auto_replies_count_toward_five_in_a_row(api: ShopeeCaller) -> None:
    buyer = await chatting_buyer(api)
    for n in range(5):
        assert (await send_text(api, buyer, f"auto {n}", AUTO))["error"] == ""
    assert (await send_text(api, buyer, "manual"))["error"] == "reach_5_message_limit"


async def test_identical_text_to_the_same_buyer_within_24_hours_is_refused(
        make_caller: MakeCaller, clock: FakeClock) -> None:
    api = await make_caller(clock=clock)
    buyer = await chatting_buyer(api)
    assert (await send_text(api, buyer, "Your parcel ships today."))["error"] == ""
    assert (await send_text(api, buyer, "Your parcel ships today."))["error"] == "error_business"
    clock.advance(24 * 3600 + 1)
    await api.authorize()
    assert (await send_text(api, buyer, "Your parcel ships today."))["error"] == ""


async def test_buyer_outside_the_contact_window_is_forbidden(api: ShopeeCaller) -> None:
    cold = next(b for b in await buyers(api) if not b["can_contact"])
    assert (await send_text(api, cold["buyer_id"], "hello"))["error"] == "user_is_forbidden"


async def test_open_return_keeps_the_contact_window_open(make_caller: MakeCaller,
                                                         clock: FakeClock) -> None:
    api = await make_caller(clock=clock)
    everyone = await buyers(api)
    clock.advance(45 * 86400)  # every seeded order and chat is now older than its window
    await api.authorize()
    returning = next(b for b in everyone if b["open_return"])
    other = next(b for b in everyone if not b["open_return"] and b["order_sns"])
    card = {"message_type": "order", "content": {"order_sn": returning["order_sns"][0]}}
    assert (await api.post(SEND, {"to_id": returning["buyer_id"], **card}))[1]["error"] == ""
    other_card = {"message_type": "order", "content": {"order_sn": other["order_sns"][0]}}
    _, refused = await api.post(SEND, {"to_id": other["buyer_id"], **other_card})
    assert refused["error"] == "user_is_forbidden"


async def test_first_message_of_a_new_conversation_needs_order_info(api: ShopeeCaller) -> None:
    fresh = next(b for b in await buyers(api)
                 if b["can_contact"] and not b["conversation_id"] and b["order_sns"])
    text = await send_text(api, fresh["buyer_id"], "Thanks for your order!")
    assert text["error"] == "first_chat_without_order_info"
    card = {"to_id": fresh["buyer_id"], "message_type": "order",
            "content": {"order_sn": fresh["order_sns"][0]}}
    _, sent = await api.post(SEND, card)
    assert sent["error"] == "", sent
    assert isinstance(sent["response"]["conversation_id"], str)
    assert (await send_text(api, fresh["buyer_id"], "Thanks for your order!"))["error"] == ""


async def test_text_with_order_source_content_may_open_a_conversation(api: ShopeeCaller) -> None:
    fresh = next(b for b in await buyers(api)
                 if b["can_contact"] and not b["conversation_id"] and b["order_sns"])
    _, sent = await api.post(SEND, {"to_id": fresh["buyer_id"], "message_type": "text",
                                    "content": {"text": "Hi!"},
                                    "source_content": {"order_sn": fresh["order_sns"][0]}})
    assert sent["error"] == ""


async def test_autoreply_endpoint_is_refused_for_the_tw_shop(tw_api: ShopeeCaller) -> None:
    buyer = await chatting_buyer(tw_api, "請問還有貨嗎")
    body = await send_text(tw_api, buyer, "您好，我們會盡快回覆", AUTO)
    assert body["error"] == "error_api_permission"
    assert (await send_text(tw_api, buyer, "您好，我們會盡快回覆"))["error"] == ""
