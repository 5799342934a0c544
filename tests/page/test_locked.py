"""The page refuses to work without the one-time launch token (security.md P4)."""

from __future__ import annotations

from companion.web.keys import sessions_key
from tests.page.conftest import LiveCompanion


async def test_page_without_a_launch_token_stays_locked_and_calls_no_api(
    live: LiveCompanion, page
) -> None:
    api_calls: list[str] = []
    page.on("request", lambda r: api_calls.append(r.url) if "/api/" in r.url else None)
    await page.goto(f"{live.base}/#view=rules")
    await page.wait_for_selector("body[data-state=locked]")
    assert await page.is_visible("#locked")
    assert await page.is_hidden("#tabs")
    assert await page.locator("#view").inner_text() == ""
    assert "yiwaiwai open" in await page.inner_text("#locked")  # headless: no tray to click
    assert api_calls == []


async def test_a_forged_launch_token_is_refused_and_the_page_stays_locked(
    live: LiveCompanion, page
) -> None:
    await page.goto(f"{live.base}/#lt=forged-token-forged-token-forged&view=dashboard")
    await page.wait_for_selector("body[data-state=locked]")
    assert "expired" in await page.inner_text("#locked-reason")
    assert await page.evaluate("sessionStorage.length") == 0


async def test_a_launch_token_works_once_and_leaves_no_trace_in_the_address(
    live: LiveCompanion, browser
) -> None:
    url = live.open_url("dashboard")
    first = await browser.new_page()
    await first.goto(url)
    await first.wait_for_selector("body[data-state=ready]")
    assert "lt=" not in first.url
    assert await first.evaluate("sessionStorage.length") == 1
    await first.reload()  # the session survives a reload of the same tab
    await first.wait_for_selector("body[data-state=ready]")
    second = await browser.new_page()
    await second.goto(url)
    await second.wait_for_selector("body[data-state=locked]")
    await first.close()
    await second.close()


async def test_an_ended_session_locks_the_page_on_its_next_call(live: LiveCompanion, page) -> None:
    await page.goto(live.open_url("dashboard"))
    await page.wait_for_selector("body[data-state=ready]")
    token = await page.evaluate("sessionStorage.getItem('yiwaiwai.session')")
    live.app[sessions_key].end(token)
    await page.click("#tabs button[data-view=messages]")
    await page.wait_for_selector("body[data-state=locked]")
    assert await page.evaluate("sessionStorage.length") == 0
