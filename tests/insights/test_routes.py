"""The insight routes on the real companion (demo sandbox, real store): shapes, CSV, refusals."""

from __future__ import annotations

import asyncio
import csv
import io

from aiohttp.test_utils import TestClient

from companion.web.keys import connection_key
from tests.page.helpers import sandbox_json


async def test_timeseries_answers_buckets_and_series(
    companion: TestClient, auth: dict[str, str]
) -> None:
    response = await companion.get(
        "/api/v1/insights/timeseries?days=7&bucket=day&by=intent&tz=480", headers=auth
    )
    assert response.status == 200
    body = await response.json()
    assert body["by"] == "intent"
    assert len(body["buckets"]) in (7, 8)
    assert all(len(s["values"]) == len(body["buckets"]) for s in body["series"])


async def test_kpis_report_crr_at_risk_automation_and_escalations(
    companion: TestClient, auth: dict[str, str]
) -> None:
    shop = (await (await companion.get("/api/v1/health")).json())["shops"][0]["shop_id"]
    response = await companion.get(f"/api/v1/insights/kpis?shop_id={shop}", headers=auth)
    assert response.status == 200
    body = await response.json()
    assert {"response_rate", "response_times", "at_risk", "automation"} <= set(body)
    assert "escalations_by_reason" in body


async def test_conversation_export_is_a_csv_with_a_header_row(
    companion: TestClient, auth: dict[str, str]
) -> None:
    response = await companion.get("/api/v1/export/conversations.csv?days=90", headers=auth)
    assert response.status == 200
    assert response.content_type == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO((await response.read()).decode("utf-8-sig"))))
    assert rows[0][:3] == ["shop_id", "conversation_id", "message_id"]


async def test_unknown_query_parameters_and_bad_values_are_422(
    companion: TestClient, auth: dict[str, str]
) -> None:
    for query in ("days=0", "days=1000", "shop_id=abc", "by=buyer", "extra=1"):
        response = await companion.get(f"/api/v1/insights/products?{query}", headers=auth)
        assert response.status == 422, query


async def test_insights_need_the_token(companion: TestClient) -> None:
    for path in ("/api/v1/insights/unanswered", "/api/v1/export/decisions.csv"):
        assert (await companion.get(path)).status == 401


async def test_recent_messages_page_on_with_offset_and_say_when_more_follow(
    companion: TestClient, auth: dict[str, str]
) -> None:
    for _ in range(100):  # the demo shop's history is synced in the background
        first = await (
            await companion.get("/api/v1/insights/messages?limit=2&days=120", headers=auth)
        ).json()
        if first["more"]:
            break
        await asyncio.sleep(0.1)
    assert len(first["messages"]) == 2 and first["more"] is True
    second = await (
        await companion.get("/api/v1/insights/messages?limit=2&offset=2&days=120", headers=auth)
    ).json()
    assert {m["message_id"] for m in first["messages"]}.isdisjoint(
        m["message_id"] for m in second["messages"]
    )
    too_big = await companion.get("/api/v1/insights/messages?limit=5000", headers=auth)
    assert too_big.status == 422


async def _eventually(check, what: str):  # type: ignore[no-untyped-def]
    for _ in range(150):
        found = await check()
        if found:
            return found
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


async def test_history_before_the_companion_is_charted_by_the_model_not_left_pending(
    companion: TestClient, auth: dict[str, str]
) -> None:
    async def history() -> bool:
        body = await (
            await companion.get("/api/v1/insights/messages?limit=500&days=120", headers=auth)
        ).json()
        return any(not m["classified"] for m in body["messages"])

    await _eventually(history, "the demo shop's history to be synced")
    for by in ("pillar", "intent"):
        response = await companion.get(
            f"/api/v1/insights/timeseries?days=120&by={by}", headers=auth
        )
        body = await response.json()
        assert body["estimated"] > 0, by
        assert "pending" not in {s["key"] for s in body["series"]}, by
    decided = await (
        await companion.get("/api/v1/insights/messages?limit=500&days=120", headers=auth)
    ).json()
    assert any(not m["classified"] for m in decided["messages"])  # charting decided nothing


async def test_chats_at_risk_name_their_buyer(
    companion: TestClient, auth: dict[str, str]
) -> None:
    shop = (await (await companion.get("/api/v1/health")).json())["shops"][0]["shop_id"]
    sandbox = companion.app[connection_key].sandbox_url
    sent = await sandbox_json(
        sandbox, "POST", "/sandbox/v1/buyer_messages",
        json={"text": "hello, is anyone there?", "shop_id": shop},
    )
    assert sent

    async def at_risk() -> list[dict]:
        url = f"/api/v1/insights/kpis?shop_id={shop}"
        body = await (await companion.get(url, headers=auth)).json()
        return [r for r in body["at_risk"] if r["buyer_name"]]

    rows = await _eventually(at_risk, "a chat at risk with its buyer's name")
    for row in rows:
        assert row["buyer_name"] != row["conversation_id"]
        assert row["buyer_id"] and isinstance(row["auto_replied"], bool)
        assert row["seconds_left"] > 0
