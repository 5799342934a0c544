"""Buyer names, the follow-up queue, page assist without chat API, the page auto-send opt-in.

Real Chromium with the unpacked extension against the real companion and sandbox
(issue 9 items 4-5, issue 7's queue in the overlay). The tests share one browser
and one companion and run in order: pair, names, follow-ups (API shop, MY), then
page assist and the auto-send opt-in on the TW shop with its chat API switched off.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from companion.web.keys import connection_key
from companion.web.routes_pipeline import pipeline_key
from tests.extension.conftest import EXTENSION, Browser, Companion, default_page
from tests.extension.test_overlay import OVERLAY, _chat_page, _pair
from tests.pipeline.conftest import until

pytestmark = pytest.mark.asyncio(loop_scope="module")
GREETING = "Hello! How can we help you today?"
shared: dict[str, Any] = {}


def _message(key: str) -> str:
    messages = json.loads((EXTENSION / "_locales" / "en" / "messages.json").read_text("utf-8"))
    return str(messages[key]["message"])


async def _draft_is(page: Any, text: str) -> None:
    await page.wait_for_function(
        """text => document.querySelector('#yiwaiwai-overlay').shadowRoot
            .querySelector('[data-yww=draft]')?.value === text""",
        arg=text,
    )


async def test_pairing_from_the_options_page(browser: Browser, companion_server: Companion) -> None:
    shared["options"] = await _pair(browser, companion_server, companion_server.secret)


async def test_the_overlay_shows_the_buyers_name_and_will_not_insert_into_another_conversation(
    browser: Browser, companion_server: Companion
) -> None:
    sandbox = companion_server.sandbox
    order = await sandbox.order("SHIPPED", index=11)
    name = order["buyer_username"]
    layout = default_page(name)
    layout["current"] = 1  # another buyer's conversation is open
    browser.pages["seller.shopee.com.my"] = layout
    page = await _chat_page(browser, "https://seller.shopee.com.my/new-webchat/conversations")
    injected = await sandbox.inject("hello", order_sn=order["order_sn"])
    row = page.locator(f"{OVERLAY} [data-yww=row][data-key$=':{injected['conversation_id']}']")
    await row.locator("[data-yww=intent]").wait_for(timeout=8_000)
    assert await row.locator(".name").inner_text() == name
    await row.click()
    await _draft_is(page, GREETING)
    await page.click(f"{OVERLAY} [data-yww=insert]")
    toast = page.locator(f"{OVERLAY} [data-yww=toast]")
    await toast.filter(has_text=_message("conversationChanged")).wait_for()
    assert await page.evaluate("window.fixture.draft()") == ""
    await page.evaluate("window.fixture.switchTo(0)")
    await page.click(f"{OVERLAY} [data-yww=insert]")
    await page.wait_for_function(f"window.fixture.draft() === '{GREETING}'")
    await browser.shot(page, "overlay-buyer-name")
    shared["my_page"] = page


async def _api(companion: Companion, method: str, path: str, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {companion.secret}"}
    async with httpx.AsyncClient(trust_env=False, timeout=20) as http:
        response = await http.request(method, f"{companion.url}{path}", json=body,
                                      headers=headers)  # fmt: skip
    assert response.status_code == 200, response.text
    return response.json()


async def _contactable_order(companion: Companion) -> dict[str, Any]:
    """A shipped order whose buyer may be contacted and has no open return."""
    http, shop_id = companion.sandbox.http, companion.sandbox.shop_id
    buyers = (await http.get("/sandbox/v1/buyers", params={"shop_id": shop_id})).json()["buyers"]
    fine = {str(b["buyer_id"]) for b in buyers if not b["open_return"] and b["can_contact"]}
    params = {"shop_id": shop_id, "status": "SHIPPED"}
    orders = (await http.get("/sandbox/v1/orders", params=params)).json()["orders"]
    return next(o for o in orders[12:] if str(o["buyer_id"]) in fine)


async def test_a_queued_follow_up_is_sent_from_the_overlay_and_lands_once(
    browser: Browser, companion_server: Companion
) -> None:
    page = shared["my_page"]
    await _api(companion_server, "PUT", "/api/v1/followups/settings", {
        "shop_id": companion_server.sandbox.shop_id, "quiet_start_hour": 0, "quiet_end_hour": 0,
        "plans": {"review_request": {"delay_hours": 0}}})  # fmt: skip
    order = await _contactable_order(companion_server)
    moved = await companion_server.sandbox.http.post(
        f"/sandbox/v1/orders/{order['order_sn']}/status", json={"status": "TO_CONFIRM_RECEIVE"}
    )
    moved.raise_for_status()
    await _api(companion_server, "POST", "/api/v1/followups/run")
    item = page.locator(f"{OVERLAY} [data-yww=followup][data-order='{order['order_sn']}']")
    await item.wait_for(timeout=8_000)
    reason = await item.locator("[data-yww=followup-reason]").inner_text()
    assert reason.startswith(_message("reasonWaiting")) and "_" not in reason, reason
    text = await item.locator("[data-yww=followup-text]").inner_text()
    assert order["order_sn"] in text
    await browser.shot(page, "overlay-followups")
    await item.locator("[data-yww=followup-send]").click()
    await item.wait_for(state="detached", timeout=8_000)
    listed = await _api(companion_server, "GET", "/api/v1/followups?state=sent&limit=500")
    sent = next(f for f in listed["followups"] if f["order_sn"] == order["order_sn"])
    url = f"/sandbox/v1/conversations/{sent['conversation_id']}/messages"
    messages = (await companion_server.sandbox.http.get(url)).json()["messages"]
    texts = [m["content"].get("text") for m in messages if m["direction"] == "shop"]
    assert texts.count(text) == 1 and sent["sent_by"] == "person"
    await page.close()


async def test_page_assist_without_chat_api_reads_a_message_and_its_suggestion_fills_the_box(
    browser: Browser, companion_server: Companion
) -> None:
    tw = companion_server.app[connection_key].shops[1]
    pipeline = companion_server.app[pipeline_key]
    switched = await companion_server.sandbox.http.post(
        "/sandbox/v1/chat_api", json={"shop_id": tw.shop_id, "enabled": False}
    )
    assert switched.json()["chat_api"] is False
    await until(lambda: not pipeline.pollers[tw.shop_id].chat_api)
    await shared["options"].check("[data-yww=page-assist]")
    browser.pages["seller.shopee.tw"] = default_page("tw_buyer")
    page = await _chat_page(browser, "https://seller.shopee.tw/new-webchat/conversations")
    await page.wait_for_selector(f"{OVERLAY} [data-yww=footer]:has-text('on')")
    await page.evaluate("window.fixture.buyerSends('hello', '10:20')")
    row = page.locator(f"{OVERLAY} [data-yww=row][data-key*=':page-']")
    await row.locator("[data-yww=intent]").wait_for(timeout=8_000)
    assert await row.locator(".name").inner_text() == "tw_buyer"
    assert await row.locator("[data-yww=intent]").inner_text() == "greeting"
    await row.click()
    await _draft_is(page, GREETING)
    assert await page.locator(f"{OVERLAY} [data-yww=send]").count() == 0  # sent from the page
    await page.click(f"{OVERLAY} [data-yww=insert]")
    await page.wait_for_function(f"window.fixture.draft() === '{GREETING}'")
    log = await page.evaluate("window.fixtureLog")
    assert log["enterKeydowns"] == 0 and log["pageSends"] == []
    conversation_id = (await row.get_attribute("data-key") or "").split(":", 1)[1]
    claims = pipeline.store.messages.recent(tw.shop_id, conversation_id)
    assert [(m.text, m.source, m.verified) for m in claims] == [("hello", "page", False)]
    decision = pipeline.store.decisions.for_message(tw.shop_id, claims[0].message_id)
    assert decision is not None and decision.action == "suggest"
    await browser.shot(page, "overlay-page-assist-no-api")
    await page.close()


async def test_sending_from_the_page_without_a_click_is_off_until_the_seller_opts_in(
    browser: Browser, companion_server: Companion
) -> None:
    options = shared["options"]
    assert not await options.is_checked("[data-yww=page-auto-send]")
    browser.pages["seller.shopee.tw"] = default_page("tw_auto")
    page = await _chat_page(browser, "https://seller.shopee.tw/webchat/conversations")
    await page.wait_for_selector(f"{OVERLAY} [data-yww=footer]:has-text('on')")
    await page.evaluate("window.fixture.buyerSends('hello', '11:00')")
    row = page.locator(f"{OVERLAY} [data-yww=row]:has(.name:text-is('tw_auto'))")
    await row.click(timeout=8_000)
    await _draft_is(page, GREETING)
    await page.wait_for_timeout(800)
    log = await page.evaluate("window.fixtureLog")
    assert log["pageSends"] == [] and log["enterKeydowns"] == 0, "sent without opt-in"
    assert await page.evaluate("window.fixture.draft()") == ""

    dialogs: list[str] = []

    async def refuse(dialog: Any) -> None:
        dialogs.append(dialog.message)
        await dialog.dismiss()

    options.once("dialog", refuse)
    await options.click("[data-yww=page-auto-send]")
    await until(lambda: dialogs)
    assert not await options.is_checked("[data-yww=page-auto-send]")

    async def accept(dialog: Any) -> None:
        dialogs.append(dialog.message)
        await dialog.accept()

    options.once("dialog", accept)
    await options.click("[data-yww=page-auto-send]")
    await until(lambda: len(dialogs) == 2)
    assert dialogs == [_message("pageAutoSendWarning")] * 2
    stored = await options.evaluate("chrome.storage.local.get('pageAutoSend')")
    assert stored == {"pageAutoSend": True}
    await page.wait_for_timeout(300)
    log = await page.evaluate("window.fixtureLog")
    assert log["pageSends"] == [], "a suggestion from before the opt-in was sent"
    await page.evaluate("window.fixture.buyerSends('hi, good morning', '11:02')")
    await page.wait_for_function("window.fixtureLog.pageSends.length > 0", timeout=8_000)
    await page.wait_for_timeout(500)
    log = await page.evaluate("window.fixtureLog")
    assert log["pageSends"] == [GREETING] and log["enterKeydowns"] == 1
    await options.click("[data-yww=page-auto-send]")  # off again: no confirmation needed
    assert not await options.is_checked("[data-yww=page-auto-send]")
    tw = companion_server.app[connection_key].shops[1]
    await companion_server.sandbox.http.post(
        "/sandbox/v1/chat_api", json={"shop_id": tw.shop_id, "enabled": True}
    )
    await page.close()
