"""The rule list in a real browser: evaluation order, readable names, moving, importing, and
the small things around it (empty editor, #view links, language switch, id from the name)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.page.conftest import LiveCompanion
from tests.page.helpers import companion_json, eventually

ITEMS = "[data-role=rule-list] li[data-rule-id]"


async def open_rules(live: LiveCompanion, page) -> None:  # type: ignore[no-untyped-def]
    await page.goto(live.open_url("rules"))
    await page.wait_for_selector(ITEMS)


async def listed_ids(page) -> list[str]:  # type: ignore[no-untyped-def]
    return await page.locator(ITEMS).evaluate_all("els => els.map(e => e.dataset.ruleId)")


async def test_the_list_shows_the_evaluation_order_with_readable_names_and_an_empty_editor(
    live: LiveCompanion, page, secret: str
) -> None:
    await companion_json(live.base, secret, "POST", "/api/v1/rules", json={
        "id": "qa-gift-wrap", "name": "Gift wrapping question from a buyer", "action": "suggest",
        "templates": {"en": "Yes, we gift-wrap for free."}})  # a shadow rule with a long name
    await open_rules(live, page)
    body = await companion_json(live.base, secret, "GET", "/api/v1/rules")
    assert await listed_ids(page) == body["evaluation_order"]
    widths = await page.locator(f"{ITEMS} .name").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().width)")
    assert min(widths) > 150, widths
    shadow = page.locator(f"{ITEMS}[data-rule-id=qa-gift-wrap]")
    assert await shadow.locator("[data-role=shadow]").count() == 1
    assert await page.locator("[data-role=editor-empty]").is_visible()
    await shadow.locator(".name").click()
    await page.wait_for_selector(".rule-form[data-rule-id=qa-gift-wrap]")
    assert page.js_errors == []


async def test_moving_a_rule_up_changes_what_is_evaluated_first(
    live: LiveCompanion, page, secret: str
) -> None:
    await open_rules(live, page)
    before = await listed_ids(page)
    at = before.index("other")
    above = before[at - 1]
    await page.locator(f"{ITEMS}[data-rule-id=other] button.move").first.click()

    async def moved() -> list[str] | None:
        ids = await listed_ids(page)
        return ids if ids.index("other") < ids.index(above) else None

    shown = await eventually(moved, what="the moved rule to be listed above its neighbour")
    body = await companion_json(live.base, secret, "GET", "/api/v1/rules")
    order = body["evaluation_order"]
    assert order.index("other") == order.index(above) - 1
    assert shown == order
    priorities = {r["id"]: r["priority"] for r in body["rules"]}
    assert priorities["other"] == priorities[above]
    change = page.locator("tr[data-op=reorder]").first
    await change.wait_for()
    assert (await change.inner_text()).lower().count("reorder") == 1  # not "Reordered reordered"
    assert page.js_errors == []


async def test_a_pack_import_asks_replace_merge_or_cancel_and_names_the_bad_fields(
    live: LiveCompanion, page, secret: str, tmp_path: Path
) -> None:
    await open_rules(live, page)
    count = len(await listed_ids(page))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"name": "broken", "rules": [{"id": "x"}]}), encoding="utf-8")
    await page.set_input_files("input[type=file]", str(bad))
    await page.wait_for_selector("[data-role=import-merge]")
    assert await page.locator("[data-role=import-replace]").is_visible()
    await page.click("[data-role=import-merge]")
    errors = page.locator("[data-role=import-errors] li[data-field]")
    await errors.first.wait_for()
    fields = await errors.evaluate_all("els => els.map(e => e.dataset.field)")
    assert any(f.startswith("pack.rules.0.") for f in fields), fields
    await page.click("[data-role=import-cancel]")
    assert await page.locator("[data-role=import]").is_hidden()

    good = tmp_path / "good.json"
    good.write_text(json.dumps({"format": "yiwaiwai.rules/1", "name": "extra", "rules": [
        {"id": "qa-imported", "name": "Imported", "action": "suggest", "templates": {"en": "ok"}}
    ]}), encoding="utf-8")
    await page.set_input_files("input[type=file]", str(good))
    await page.click("[data-role=import-merge]")
    await page.wait_for_selector(f"{ITEMS}[data-rule-id=qa-imported]")
    assert len(await listed_ids(page)) == count + 1
    assert [e for e in page.js_errors if "status of 422" not in e] == []  # the refused import


async def test_a_view_link_followed_later_switches_the_view(live: LiveCompanion, page) -> None:
    await page.goto(live.open_url("dashboard"))
    await page.wait_for_selector("body[data-state=ready]")
    await page.evaluate("location.hash = '#view=rules'")
    await page.wait_for_selector("#view[data-view=rules] " + ITEMS)
    assert await page.locator("#tabs button.active").get_attribute("data-view") == "rules"
    await page.wait_for_timeout(500)  # the dashboard, still loading, must not draw over it
    assert await page.locator("#view [data-role=kpis]").count() == 0
    assert await page.locator("#view " + ITEMS).count() > 0


async def test_the_new_rules_id_follows_its_name_and_a_language_switch_keeps_the_form(
    live: LiveCompanion, page
) -> None:
    await open_rules(live, page)
    await page.click("[data-role=new-rule]")
    await page.fill("input[name=name]", "Gift Wrap")
    form = page.locator(".rule-form")
    assert (await form.get_attribute("data-rule-id") or "").startswith("gift-wrap-")
    assert await page.get_by_label("Priority").input_value() == "650"
    await page.select_option("#lang", "zh-Hant")
    await page.wait_for_selector("html[lang=zh-Hant] .rule-form")
    assert await page.input_value("input[name=name]") == "Gift Wrap"
    assert "試運行" in await page.locator(".rule-form").inner_text()
    assert page.js_errors == []
