"""The overlay in real Chromium against the real companion and sandbox (issue 9, item 5).

The tests share one browser and one companion and run in order: pair, then the API
shop flows (suggest, insert, approve-and-send, auto switch, escalation, worker
restart, web-page socket refused), then page assist, markets, revoke and re-pair.
"""

from __future__ import annotations

import base64
import json
import os
import re
import time
from typing import Any

import httpx
import pytest
from aiohttp import web

from companion.web.keys import pairing_key
from companion.web.routes_pipeline import pipeline_key
from tests.extension.conftest import Browser, Companion, default_page, free_port
from tests.pipeline.conftest import until

pytestmark = pytest.mark.asyncio(loop_scope="module")
OVERLAY = "#yiwaiwai-overlay"
shared: dict[str, Any] = {}


async def _pair(browser: Browser, companion: Companion, secret: str) -> Any:
    page = await browser.context.new_page()
    await page.goto(browser.ext_url("src/options/options.html"))
    await page.fill("[data-yww=address]", companion.url)
    await page.fill("[data-yww=secret]", secret)
    await page.click("[data-yww=pair]")
    await page.wait_for_selector("[data-yww=options-status][data-status=ready]", timeout=10_000)
    return page


async def _chat_page(browser: Browser, url: str) -> Any:
    page = await browser.context.new_page()
    await page.goto(url)
    await page.wait_for_selector(f"{OVERLAY} [data-yww=status][data-status=ready]", timeout=10_000)
    return page


async def test_the_extension_pairs_from_the_options_page_and_the_companion_pins_it(
    browser: Browser, companion_server: Companion
) -> None:
    page = await _pair(browser, companion_server, companion_server.secret)
    match = page.locator("[data-yww=fingerprint-match]")
    await match.wait_for()
    await until(lambda: True)
    fingerprint = await page.inner_text("[data-yww=local-fingerprint]")
    assert re.fullmatch(r"[a-z]+(-[a-z]+){3}", fingerprint)
    await page.wait_for_function(
        "document.querySelector('[data-yww=fingerprint-match]').textContent.length > 0"
    )
    assert fingerprint in await match.inner_text()
    pinned = companion_server.app[pairing_key].pinned
    assert pinned == f"chrome-extension://{browser.extension_id}"
    await browser.shot(page, "options")
    shared["options"] = page


async def test_a_buyer_message_appears_classified_with_its_suggestion_within_2_seconds(
    browser: Browser, companion_server: Companion
) -> None:
    sandbox = companion_server.sandbox
    order = await sandbox.order("SHIPPED")
    browser.pages["seller.shopee.com.my"] = default_page(order["buyer_username"])
    page = await _chat_page(browser, "https://seller.shopee.com.my/new-webchat/conversations")
    started = time.monotonic()
    injected = await sandbox.inject(
        f"Hello, where is my order {order['order_sn']}?", order_sn=order["order_sn"]
    )
    row = page.locator(f"{OVERLAY} [data-yww=row][data-key$=':{injected['conversation_id']}']")
    draft = page.locator(f"{OVERLAY} [data-yww=draft]")
    await row.locator("[data-yww=intent]").wait_for(timeout=5_000)
    await row.click()
    await page.wait_for_function(
        f"""() => {{
            const d = document.querySelector('{OVERLAY}').shadowRoot
                .querySelector('[data-yww=draft]');
            return d && d.value.includes('{order["order_sn"]}');
        }}"""
    )
    elapsed = time.monotonic() - started
    assert elapsed < 2.0, f"suggestion shown after {elapsed:.2f}s"
    assert await row.locator("[data-yww=intent]").inner_text() == "order_status"
    assert await row.locator("[data-yww=pillar]").inner_text() == "logistics"
    assert await row.locator("[data-yww=language]").inner_text() == "en"
    assert re.fullmatch(r"\d+%", await row.locator("[data-yww=confidence]").inner_text())
    assert await row.locator("[data-yww=mood]").count() == 1
    assert "auto" in (await page.locator(f"{OVERLAY} [data-yww=reason]").inner_text()).lower()
    await browser.shot(page, "overlay-suggestion")
    shared.update(page=page, injected=injected, order=order, draft=await draft.input_value())


async def test_insert_puts_the_suggestion_into_the_react_chat_box_without_sending(
    browser: Browser,
) -> None:
    page = shared["page"]
    await page.click(f"{OVERLAY} [data-yww=insert]")
    await page.wait_for_function("window.fixture.draft().length > 0")
    assert await page.evaluate("window.fixture.draft()") == shared["draft"]
    assert await page.input_value("#inputField textarea") == shared["draft"]
    log = await page.evaluate("window.fixtureLog")
    assert log["enterKeydowns"] == 0 and log["sendClicks"] == 0


async def test_approve_and_send_with_an_edit_lands_in_the_sandbox_exactly_once(
    companion_server: Companion,
) -> None:
    page = shared["page"]
    edited = shared["draft"] + " Thanks for waiting!"
    await page.fill(f"{OVERLAY} [data-yww=draft]", edited)
    await page.click(f"{OVERLAY} [data-yww=send]")
    sandbox = companion_server.sandbox
    replies = await until(lambda: sandbox.shop_replies(shared["injected"]))
    await page.wait_for_timeout(500)
    replies = await sandbox.shop_replies(shared["injected"])
    assert [m["content"]["text"] for m in replies] == [edited]
    await page.locator(f"{OVERLAY} [data-yww=send]").wait_for(state="detached")


async def test_the_popup_auto_switch_changes_the_companions_mode(
    browser: Browser, companion_server: Companion
) -> None:
    popup = await browser.context.new_page()
    await popup.goto(browser.ext_url("src/popup/popup.html"))
    await popup.wait_for_selector("[data-yww=popup-status][data-status=ready]")
    await popup.click("[data-yww=popup-auto]")
    assert (await until(companion_server.mode))["auto"] in (True, False)
    await until(lambda: _mode_is(companion_server, True))
    await popup.wait_for_function("document.querySelector('[data-yww=popup-auto]').checked")
    await browser.shot(popup, "popup")
    await popup.click("[data-yww=popup-auto]")
    await until(lambda: _mode_is(companion_server, False))
    await popup.close()


async def _mode_is(companion: Companion, auto: bool) -> bool:
    return (await companion.mode())["auto"] is auto


async def test_an_escalation_shows_its_alert_with_the_12_hour_countdown(
    browser: Browser, companion_server: Companion
) -> None:
    page = shared["page"]
    sandbox = companion_server.sandbox
    order = await sandbox.order("COMPLETED")
    injected = await sandbox.inject(
        f"This is broken, I want a refund for {order['order_sn']}", order_sn=order["order_sn"]
    )
    alert = page.locator(f"{OVERLAY} [data-yww=alert][data-key$=':{injected['conversation_id']}']")
    await alert.wait_for(timeout=8_000)
    countdown = await alert.locator("[data-yww=countdown]").inner_text()
    assert re.search(r"^(12:00:00|11:[0-5]\d:[0-5]\d) left", countdown), countdown
    beeps = await page.evaluate(f"document.querySelector('{OVERLAY}').dataset.beeps")
    assert int(beeps) >= 1
    await browser.shot(page, "overlay-escalation")


async def _session(_browser: Browser) -> dict[str, Any]:
    """What the worker persisted for resuming, read from an extension page (not the worker:
    Playwright's handle on a stopped worker goes stale)."""
    page = shared["options"]
    return await page.evaluate("chrome.storage.session.get('resume').then(r => r.resume)")  # type: ignore[no-any-return]


async def test_a_restarted_service_worker_resumes_without_losing_or_repeating_events(
    browser: Browser, companion_server: Companion
) -> None:
    page = shared["page"]
    store = companion_server.app[pipeline_key].store
    before = await _session(browser)
    boot = (await _worker_state())["boot"]
    statuses: list[str] = []
    cdp = await browser.context.new_cdp_session(page)
    cdp.on(
        "ServiceWorker.workerVersionUpdated",
        lambda e: statuses.extend(v["runningStatus"] for v in e["versions"]),
    )
    await cdp.send("ServiceWorker.enable")
    await cdp.send("ServiceWorker.stopAllWorkers")
    await until(lambda: "stopped" in statuses)
    sandbox = companion_server.sandbox
    order = await sandbox.order("SHIPPED", index=5)
    conversations = {c["conversation_id"] for c in before["overlay"]["conversations"].values()}
    injected = await sandbox.inject(
        f"order {order['order_sn']} status?", order_sn=order["order_sn"]
    )

    def processed() -> bool:
        stored = store.messages.get(sandbox.shop_id, injected["message_id"])
        return stored is not None and stored.state == "processed"

    assert injected["conversation_id"] not in conversations
    await until(processed)
    latest = store.events.latest_seq()
    row = page.locator(f"{OVERLAY} [data-yww=row][data-key$=':{injected['conversation_id']}']")
    await row.wait_for(timeout=10_000)  # the overlay's port reconnect wakes the worker
    assert (await _worker_state())["boot"] != boot, "the worker did not restart"
    after = await until(lambda: _caught_up(browser, latest))
    applied = after["overlay"]["applied"]
    assert len(applied) == len(set(applied)), "an event was applied twice"
    assert applied == sorted(applied)
    assert set(range(before["lastSeq"] + 1, latest + 1)) <= set(applied), "an event was lost"
    conv = next(c for c in after["overlay"]["conversations"].values()
                if c["conversation_id"] == injected["conversation_id"])  # fmt: skip
    assert [m["id"] for m in conv["messages"]].count(injected["message_id"]) == 1
    await cdp.detach()


async def _worker_state() -> dict[str, Any]:
    page = shared["options"]
    return await page.evaluate(  # type: ignore[no-any-return]
        "chrome.runtime.sendMessage({type: 'state.get'}).then(r => r.data)"
    )


async def _caught_up(browser: Browser, latest: int) -> dict[str, Any] | None:
    session = await _session(browser)
    return session if session and session["lastSeq"] >= latest else None


async def test_a_websocket_from_a_web_page_is_refused(
    companion_server: Companion,
) -> None:
    page = shared["page"]
    outcome = await page.evaluate(
        """port => new Promise(resolve => {
            const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
            ws.onopen = () => resolve('open');
            ws.onclose = (e) => resolve('closed');
            setTimeout(() => resolve('timeout'), 4000);
        })""",
        companion_server.port,
    )
    assert outcome == "closed"
    async with httpx.AsyncClient(trust_env=False) as http:
        refused = await http.get(
            f"{companion_server.url}/ws",
            headers={
                "Origin": "https://seller.shopee.com.my",
                "Connection": "Upgrade",
                "Upgrade": "websocket",
                "Sec-WebSocket-Version": "13",
                "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
            },
        )
    assert refused.status_code == 403


async def _greeting_suggestion(page: Any, companion: Companion, index: int) -> Any:
    """A fresh API-shop suggestion ("hello" -> the greeting rule), selected in the overlay."""
    sandbox = companion.sandbox
    order = await sandbox.order("SHIPPED", index=index)
    injected = await sandbox.inject("hello", order_sn=order["order_sn"])
    row = page.locator(f"{OVERLAY} [data-yww=row][data-key$=':{injected['conversation_id']}']")
    await row.wait_for(timeout=8_000)
    await row.click()
    draft = page.locator(f"{OVERLAY} [data-yww=draft]")
    await page.wait_for_function(
        f"""() => document.querySelector('{OVERLAY}').shadowRoot
            .querySelector('[data-yww=draft]')?.value === '{GREETING}'"""
    )
    return draft


GREETING = "Hello! How can we help you today?"


async def test_page_assist_reads_each_new_buyer_message_once_as_a_claim(
    browser: Browser, companion_server: Companion
) -> None:
    options = shared["options"]
    await options.check("[data-yww=page-assist]")
    await shared["page"].close()
    browser.pages["seller.shopee.com.my"] = default_page("page_buyer")
    page = await _chat_page(browser, "https://seller.shopee.com.my/webchat/conversations")
    await page.wait_for_selector(f"{OVERLAY} [data-yww=footer]:has-text('on')")
    await page.evaluate("window.fixture.buyerSends('hello there', '10:20')")
    await page.evaluate("window.fixture.buyerSends('is it in stock?', '10:20')")
    row = page.locator(f"{OVERLAY} [data-yww=row][data-key*=':page-']")
    await row.first.wait_for(timeout=8_000)
    await row.first.click()
    shown = page.locator(f"{OVERLAY} [data-yww=buyer-message]")
    assert await shown.all_inner_texts() == ["hello there\nis it in stock?"]
    await page.evaluate("window.fixture.recycle(); window.fixture.recycle()")
    await page.evaluate("window.fixture.switchTo(1); window.fixture.switchTo(0)")
    await page.wait_for_timeout(1_800)
    store = companion_server.app[pipeline_key].store
    conversation_id = (await row.first.get_attribute("data-key") or "").split(":", 1)[1]
    claims = store.messages.recent(companion_server.sandbox.shop_id, conversation_id)
    assert [m.text for m in claims] == ["hello there\nis it in stock?"], "history was re-emitted"
    assert claims[0].source == "page" and not claims[0].verified
    shared["assist"] = page


async def test_the_chat_box_keeps_the_sellers_own_text_unless_they_choose_replace(
    browser: Browser, companion_server: Companion
) -> None:
    page = shared["assist"]
    await _greeting_suggestion(page, companion_server, index=7)
    buyer = (await companion_server.sandbox.order("SHIPPED", index=7))["buyer_username"]
    await page.evaluate("name => window.fixture.open(name)", buyer)  # insert needs its chat open
    await page.evaluate("window.fixture.typeAsSeller('my own words')")
    await page.click(f"{OVERLAY} [data-yww=insert]")
    await page.locator(f"{OVERLAY} [data-yww=replace]").wait_for()
    assert await page.evaluate("window.fixture.draft()") == "my own words"
    await page.click(f"{OVERLAY} [data-yww=replace]")
    await page.wait_for_function(f"window.fixture.draft() === '{GREETING}'")
    log = await page.evaluate("window.fixtureLog")
    assert log["enterKeydowns"] == 0 and log["sendClicks"] == 0
    await browser.shot(page, "overlay-page-assist")
    await page.close()


async def test_page_assist_and_insert_work_on_the_layout_without_data_cy_hooks(
    browser: Browser, companion_server: Companion
) -> None:
    from companion.web.ws_services import page_conversation_id

    browser.pages["seller.shopee.com.my"] = default_page("stripped_buyer")
    page = await _chat_page(
        browser, "https://seller.shopee.com.my/new-webchat/conversations?variant=stripped"
    )
    assert await page.locator("[data-cy]").count() == 0
    await page.wait_for_timeout(300)
    await page.evaluate("window.fixture.buyerSends('anyone there?', '11:00')")
    store = companion_server.app[pipeline_key].store
    conversation_id = page_conversation_id("seller.shopee.com.my|open-conversation")
    shop_id = companion_server.sandbox.shop_id
    claims = await until(lambda: store.messages.recent(shop_id, conversation_id))
    assert [m.text for m in claims] == ["anyone there?"]
    await _greeting_suggestion(page, companion_server, index=9)
    await page.click(f"{OVERLAY} [data-yww=insert]")
    await page.wait_for_function(f"window.fixture.draft() === '{GREETING}'")
    assert await page.input_value("textarea.E2MWg3w8y6") == GREETING
    await page.close()


async def test_the_overlay_runs_on_every_chat_route_and_market_but_not_elsewhere(
    browser: Browser,
) -> None:
    for url in (
        "https://banhang.shopee.vn/new-webchat/conversations",
        "https://seller.shopee.cn/webchat/conversations?cnsc_shop_id=1",
        "https://seller.shopee.co.id/new-webchat/conversations/123",
    ):
        page = await browser.context.new_page()
        await page.goto(url)
        await page.wait_for_selector(OVERLAY, state="attached", timeout=5_000)
        await page.close()
    page = await browser.context.new_page()
    await page.goto("https://seller.shopee.co.id/portal/sale/order")
    await page.wait_for_timeout(1_000)
    assert await page.locator(OVERLAY).count() == 0
    await page.close()


async def test_a_program_squatting_the_port_is_refused_before_the_extension_proves_anything(
    browser: Browser, companion_server: Companion
) -> None:
    seen: list[str] = []

    async def squatter(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json(
            {
                "v": 1,
                "type": "hello",
                "product": "yiwaiwai",
                "server_version": "9",
                "protocol": [1, 1],
            }
        )
        async for msg in ws:
            frame = json.loads(msg.data)
            seen.append(frame["type"])
            if frame["type"] == "auth.start":
                fake = base64.b64encode(os.urandom(32)).decode()
                ns = base64.b64encode(os.urandom(16)).decode()
                await ws.send_json({"v": 1, "type": "auth.challenge", "ns": ns, "sp": fake})
        return ws

    app = web.Application()
    app.router.add_get("/ws", squatter)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    options = shared["options"]
    try:
        await options.fill("[data-yww=address]", f"http://127.0.0.1:{port}")
        await options.fill("[data-yww=secret]", companion_server.secret)
        await options.click("[data-yww=pair]")
        await options.wait_for_selector("[data-yww=options-status][data-status=impersonation]")
        assert seen == ["auth.start"], "the extension sent its proof to an impostor"
    finally:
        await options.fill("[data-yww=address]", companion_server.url)
        await options.click("[data-yww=pair]")
        await options.wait_for_selector("[data-yww=options-status][data-status=ready]")
        await runner.cleanup()


async def test_revoking_the_pairing_stops_the_extension_until_it_is_paired_again(
    browser: Browser, companion_server: Companion
) -> None:
    options = shared["options"]
    headers = {"Authorization": f"Bearer {companion_server.secret}"}
    async with httpx.AsyncClient(trust_env=False) as http:
        response = await http.post(f"{companion_server.url}/api/v1/pairing/revoke", headers=headers)
    assert response.status_code == 200
    await options.wait_for_selector("[data-yww=options-status][data-status=revoked]")
    new_secret = companion_server.app[pairing_key].secret()
    await options.fill("[data-yww=secret]", new_secret)
    await options.click("[data-yww=pair]")
    await options.wait_for_selector("[data-yww=options-status][data-status=ready]")
    assert companion_server.app[pairing_key].pinned == f"chrome-extension://{browser.extension_id}"
