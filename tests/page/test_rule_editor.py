"""The rule editor in a real browser: a rule built in the page answers a real buyer message."""

from __future__ import annotations

from tests.page.conftest import ARTIFACTS, LiveCompanion
from tests.page.helpers import companion_json, eventually, sandbox_json

QUESTION = "hi, when will my parcel arrive?"


async def open_new_rule_form(live: LiveCompanion, page, name: str) -> str:  # type: ignore[no-untyped-def]
    """Open the form for a new rule and name it; returns the id derived from the name."""
    await page.goto(live.open_url("rules"))
    await page.wait_for_selector("[data-role=rule-list] li[data-rule-id]")
    await page.click("[data-role=new-rule]")
    form = page.locator(".rule-form")
    await form.wait_for()
    await page.fill("input[name=name]", name)
    return str(await form.get_attribute("data-rule-id"))


async def test_a_rule_created_in_the_editor_answers_a_matching_buyer_message(
    live: LiveCompanion, page, secret: str
) -> None:
    shop = (await companion_json(live.base, secret, "GET", "/api/v1/health"))["shops"][0]["shop_id"]
    orders = await sandbox_json(
        live.sandbox_url, "GET", "/sandbox/v1/orders", params={"status": "SHIPPED", "shop_id": shop}
    )
    order_sn = orders["orders"][0]["order_sn"]
    rule_id = await open_new_rule_form(live, page, "Parcel on its way")
    assert rule_id.startswith("parcel-on-its-way-")
    await page.select_option("select[name=action]", "auto_reply")
    await page.get_by_label("Shadow mode (log only, do nothing)").uncheck()
    await page.get_by_label("Priority").fill("900")
    await page.select_option("select.add-condition", "intents")
    await page.locator("[data-cond=intents] input[value=order_status]").check()
    await page.select_option("select.add-condition", "keywords_any")
    await page.fill("[data-cond=keywords_any] input", "parcel, package")
    template = page.locator("textarea.template[data-lang=en]")
    await template.fill("Parcel ")
    await page.click("[data-placeholder=order_sn]")
    await template.press("End")
    await template.press_sequentially(" is on its way, thanks for waiting!")
    assert await template.input_value() == "Parcel {{order_sn}} is on its way, thanks for waiting!"

    await page.fill("[data-role=preview-text]", QUESTION)
    await page.get_by_placeholder("order number (optional)").fill(order_sn)
    preview = page.locator(f"[data-role=preview][data-rule-id='{rule_id}']")
    await preview.wait_for()
    assert f"Parcel {order_sn} is on its way" in await preview.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "rule-editor.png"), full_page=True)

    await page.click("[data-role=save]")
    await page.wait_for_selector(f"[data-role=rule-list] li[data-rule-id='{rule_id}']")
    saved = await companion_json(live.base, secret, "GET", f"/api/v1/rules/{rule_id}")
    assert saved["shadow"] is False
    conditions = {key: value for key, value in saved["when"].items() if value not in (None, [])}
    assert conditions == {"intents": ["order_status"], "keywords_any": ["parcel", "package"]}

    await companion_json(live.base, secret, "PUT", "/api/v1/mode", json={"auto": True})
    injected = await sandbox_json(
        live.sandbox_url,
        "POST",
        "/sandbox/v1/buyer_messages",
        json={"text": QUESTION, "shop_id": shop, "order_sn": order_sn},
    )

    async def answered() -> list[dict] | None:
        thread = await sandbox_json(
            live.sandbox_url,
            "GET",
            f"/sandbox/v1/conversations/{injected['conversation_id']}/messages",
        )
        after = int(injected["created_timestamp_nano"])
        return [
            m
            for m in thread["messages"]
            if m["direction"] == "shop" and int(m["created_timestamp_nano"]) > after
        ]

    replies = await eventually(answered, what="the auto-reply to reach the sandbox")
    assert replies[0]["content"]["text"] == f"Parcel {order_sn} is on its way, thanks for waiting!"
    assert replies[0]["sent_via"] == "send_autoreply_message"
    assert page.js_errors == []


async def test_a_rule_change_can_be_undone_from_the_history(
    live: LiveCompanion, page, secret: str
) -> None:
    await page.goto(live.open_url("rules"))
    first = page.locator("[data-role=rule-list] li:not(.disabled)[data-rule-id]").first
    await first.wait_for()
    rule_id = await first.get_attribute("data-rule-id")
    await first.locator("input[type=checkbox]").uncheck()
    await page.wait_for_selector(f"li.disabled[data-rule-id='{rule_id}']")
    assert (await companion_json(live.base, secret, "GET", f"/api/v1/rules/{rule_id}"))[
        "enabled"
    ] is False
    await page.locator("[data-role=history] tr[data-op=disable] [data-role=undo]").click()
    await page.wait_for_selector(f"li:not(.disabled)[data-rule-id='{rule_id}']")
    assert (await companion_json(live.base, secret, "GET", f"/api/v1/rules/{rule_id}"))[
        "enabled"
    ] is True
