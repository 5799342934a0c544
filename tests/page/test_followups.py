"""The follow-ups view: a delivered order's review request waits in the page and one click sends it.

The clock control the follow-up service offers a running companion is its
settings: the review request's delay set to 0 hours (and quiet hours off) makes
it due the moment the order is delivered, so `POST /api/v1/followups/run` decides
it at once, as it would 48 hours later.
"""

from __future__ import annotations

from typing import Any

from tests.page.conftest import ARTIFACTS, LiveCompanion
from tests.page.helpers import companion_json, sandbox_json

REVIEW = "review_request"
QUESTION = "is it near?"


async def _delivered_order_with_chat(live: LiveCompanion, shop: str) -> tuple[str, dict[str, Any]]:
    """A shipped order of a buyer who can be written to, asked about, then delivered."""
    buyers = (await sandbox_json(live.sandbox_url, "GET", "/sandbox/v1/buyers",
                                 params={"shop_id": shop}))["buyers"]
    reachable = {str(b["buyer_id"]): len(b["order_sns"]) for b in buyers
                 if b["conversation_id"] and not b["open_return"] and b["can_contact"]}
    orders = (await sandbox_json(live.sandbox_url, "GET", "/sandbox/v1/orders",
                                 params={"shop_id": shop, "status": "SHIPPED"}))["orders"]
    candidates = [o for o in orders if str(o["buyer_id"]) in reachable]
    assert candidates, "the seed has no shipped order of a buyer with a chat"
    order_sn = min(candidates, key=lambda o: reachable[str(o["buyer_id"])])["order_sn"]
    asked = await sandbox_json(live.sandbox_url, "POST", "/sandbox/v1/buyer_messages",
                               json={"text": QUESTION, "shop_id": shop, "order_sn": order_sn})
    await sandbox_json(live.sandbox_url, "POST", f"/sandbox/v1/orders/{order_sn}/status",
                       json={"status": "TO_CONFIRM_RECEIVE"})
    return order_sn, asked


async def _shop_messages_after(live: LiveCompanion, asked: dict[str, Any]) -> list[dict[str, Any]]:
    thread = await sandbox_json(live.sandbox_url, "GET",
                                f"/sandbox/v1/conversations/{asked['conversation_id']}/messages")
    after = int(asked["created_timestamp_nano"])
    return [m for m in thread["messages"]
            if m["direction"] == "shop" and int(m["created_timestamp_nano"]) > after]


async def test_a_delivered_orders_review_request_waits_in_the_page_and_one_click_sends_it_once(
    live: LiveCompanion, page, secret: str
) -> None:
    shop = (await companion_json(live.base, secret, "GET", "/api/v1/health"))["shops"][0]["shop_id"]
    await page.goto(live.open_url("dashboard"))
    await page.wait_for_selector("body[data-state=ready]")
    await page.click("#tabs button[data-view=followups]")
    review = page.locator(f"[data-role=fu-settings] fieldset[data-plan={REVIEW}]")
    await review.wait_for()

    await review.locator("input[name=delay_hours]").fill("0")
    await page.fill("input[name=quiet_start_hour]", "0")
    await page.fill("input[name=quiet_end_hour]", "0")
    await page.fill("input[name=cap_per_buyer]", "10")
    await page.click("[data-role=fu-save]")
    await page.wait_for_selector(".toast.ok")
    saved = (await companion_json(live.base, secret, "GET", "/api/v1/followups/settings",
                                  params={"shop_id": shop}))["settings"]
    assert saved["plans"][REVIEW]["delay_hours"] == 0
    shop_wide = (saved["quiet_start_hour"], saved["quiet_end_hour"], saved["cap_per_buyer"])
    assert shop_wide == (0, 0, 10)
    assert saved["plans"][REVIEW]["templates"]["zh-Hant"]  # untouched languages are kept

    order_sn, asked = await _delivered_order_with_chat(live, shop)
    report = await companion_json(live.base, secret, "POST", "/api/v1/followups/run")
    assert report["errors"] == []
    await page.click("[data-role=fu-refresh]")
    item = page.locator(
        f"[data-role=fu-queue] .fu-item[data-plan={REVIEW}][data-order-sn='{order_sn}']"
    )
    await item.wait_for()
    reason = item.locator(".fu-reason")
    assert await reason.get_attribute("data-reason") == "platform_rules_proactive_needs_person"
    assert "a person sends it" in await reason.inner_text()
    draft = item.locator("[data-role=fu-text]")
    original = await draft.input_value()
    assert order_sn in original
    assert await _shop_messages_after(live, asked) == []
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "followups.png"), full_page=True)

    edited = original + " :)"
    await draft.fill(edited)
    await item.locator("[data-role=fu-send]").click()
    sent_row = page.locator(f"[data-role=fu-sent] tr[data-order-sn='{order_sn}']")
    await sent_row.wait_for()
    await page.wait_for_selector(".toast.ok")
    assert await item.count() == 0
    assert edited in await sent_row.inner_text()
    sent_count = page.locator(
        f"[data-role=fu-metrics] tr[data-plan={REVIEW}] [data-role=sent-count]"
    )
    assert await sent_count.inner_text() == "1"

    messages = await _shop_messages_after(live, asked)
    assert [(m["content"]["text"], m["sent_via"]) for m in messages] == [(edited, "send_message")]
    listed = (await companion_json(live.base, secret, "GET", "/api/v1/followups",
                                   params={"shop_id": shop, "state": "sent"}))["followups"]
    mine = [f for f in listed if f["order_sn"] == order_sn and f["plan"] == REVIEW]
    assert [(f["sent_by"], f["text"]) for f in mine] == [("person", edited)]
    await page.click("[data-role=fu-refresh]")
    await page.wait_for_selector("#view[data-loaded=yes]")
    assert await page.locator(f"[data-role=fu-queue] [data-order-sn='{order_sn}']").count() == 0
    assert len(await _shop_messages_after(live, asked)) == 1
    assert page.js_errors == []
