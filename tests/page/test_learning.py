"""Correcting an intent in the page and retraining changes the prediction for that message."""

from __future__ import annotations

from tests.page.conftest import LiveCompanion
from tests.page.helpers import companion_json, eventually, sandbox_json

MESSAGE = "can I pay with my grandma's voucher from the mall"


async def test_correcting_an_intent_and_retraining_changes_the_prediction(
    live: LiveCompanion, page, secret: str
) -> None:
    shop = (await companion_json(live.base, secret, "GET", "/api/v1/health"))["shops"][0]["shop_id"]
    await sandbox_json(
        live.sandbox_url,
        "POST",
        "/sandbox/v1/buyer_messages",
        json={"text": MESSAGE, "shop_id": shop},
    )

    async def decided() -> dict | None:
        body = await companion_json(live.base, secret, "GET", "/api/v1/insights/messages")
        return next((m for m in body["messages"] if m["text"] == MESSAGE and m["intent"]), None)

    message = await eventually(decided, what="the pipeline to understand the message")
    assert message["intent"] != "warranty"
    await page.goto(live.open_url("dashboard"))
    await page.wait_for_selector("body[data-state=ready]")
    await page.click("#tabs button[data-view=messages]")
    row = page.locator(f"[data-role=recent] tr[data-message-id='{message['message_id']}']")
    await row.wait_for()
    await row.locator("[data-role=intent-select]").select_option("warranty")
    await row.locator("[data-role=correct]").click()
    await page.wait_for_selector(".toast.ok")
    # the card counts the saved correction at once, not only after a retrain
    await page.locator("[data-role=model]").get_by_text("corrections saved: 1").wait_for()
    await page.click("[data-role=retrain]")
    await page.wait_for_selector("[data-role=model][data-state=activated]", timeout=60_000)
    now = row.locator("[data-role=now-intent][data-intent]")
    await now.wait_for()
    assert await now.get_attribute("data-intent") == "warranty"
    progress = await page.locator("[data-role=train-progress] span").evaluate(
        "el => el.style.width"
    )
    assert progress == "100%"
    assert page.js_errors == []
