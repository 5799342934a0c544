"""The learning view and the unanswered-messages card in a real browser."""

from __future__ import annotations

from tests.page.conftest import LiveCompanion
from tests.page.helpers import companion_json, eventually


async def test_never_classified_messages_say_so_and_preselect_no_intent(
    live: LiveCompanion, page, secret: str
) -> None:
    async def unclassified() -> dict | None:
        body = await companion_json(live.base, secret, "GET", "/api/v1/insights/messages")
        return next((m for m in body["messages"] if m["text"] and not m["classified"]), None)

    message = await eventually(unclassified, what="seeded history without a decision")
    await page.goto(live.open_url("messages"))
    row = page.locator(f"[data-role=recent] tr[data-message-id='{message['message_id']}']")
    await row.wait_for()
    assert await row.locator("td[data-classified=no]").inner_text() == "Not classified"
    select = row.locator("[data-role=intent-select]")
    assert await select.input_value() == ""
    save = row.locator("[data-role=correct]")
    assert await save.is_disabled()
    await select.select_option("stock")
    assert await save.is_enabled()
    assert page.js_errors == []


async def test_draft_a_rule_from_a_group_carries_its_common_words(
    live: LiveCompanion, page
) -> None:
    await page.goto(live.open_url("dashboard"))
    await page.wait_for_selector("body[data-state=ready]")
    draft = await page.evaluate("""async () => {
        const { draftFromGroup } = await import("/js/mining.js");
        const t = (key, vars = {}) => `${key}:${vars.intent || ""}`;
        t.has = () => false;
        return [
          draftFromGroup(t, { intent: "other", language: "en",
                              keywords: ["logo", "bulk", "custom"] }),
          draftFromGroup(t, { intent: "tracking_number", language: "ms", keywords: ["courier"] }),
        ];
    }""")
    other, tracking = draft
    assert other["when"] == {"keywords_any": ["logo", "bulk", "custom"], "languages": ["en"]}
    assert tracking["when"] == {
        "intents": ["tracking_number"], "keywords_any": ["courier"], "languages": ["ms"]
    }
    assert "logo" in other["name"]
