"""The dashboard's read-only questions, asked of a real SQLite chat store on disk."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from companion import insights
from companion.insight_topics import aspects_of, phrasing_key
from companion.insights import Window
from companion.nlu.taxonomy import pillar_of
from companion.rules.models import Rule
from companion.rules.packs import default_rules
from companion.store.db import Database
from companion.store.decisions import DecisionLog
from companion.store.messages import MessageLog
from companion.store.models import NewDecision, NewMessage

T0 = 1_750_000_000.0
DAY = 86400


class Chat:
    """Writes buyer messages and their decisions through the store's own API."""

    def __init__(self, db: Database) -> None:
        self.messages = MessageLog(db)
        self.decisions = DecisionLog(db)
        self.ids = itertools.count(1)

    def buyer(
        self,
        text: str,
        intent: str | None,
        *,
        at: float = T0,
        item: str | None = None,
        rule: str | None = None,
        language: str = "en",
        understood: bool = True,
        shop: str = "1",
        reasons: list | None = None,
    ) -> str:
        mid = str(next(self.ids))
        self.messages.add(
            NewMessage(shop, f"c{mid}", mid, "buyer", at, text, buyer_id="b", item_id=item),
            durable=False,
        )
        if intent is not None:
            self.decisions.record(
                NewDecision(
                    shop,
                    f"c{mid}",
                    mid,
                    "auto_reply" if rule else "suggest",
                    intent=intent,
                    pillar=pillar_of(intent),
                    language=language,
                    understood=understood,
                    rule_id=rule,
                    reasons=reasons or [],
                    created_at=at,
                )
            )
        return mid


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "chat.db")
    yield database
    database.close()


@pytest.fixture
def chat(db: Database) -> Chat:
    return Chat(db)


def all_time(shop: str | None = None) -> Window:
    return Window(shop, T0 - 30 * DAY, T0 + 30 * DAY)


def test_timeseries_counts_buyer_messages_per_day_and_pillar(db: Database, chat: Chat) -> None:
    chat.buyer("is it in stock", "stock", at=T0)
    chat.buyer("what material", "product_spec", at=T0 + 60)
    chat.buyer("where is my parcel", "order_status", at=T0 + DAY)
    window = Window(None, T0 - T0 % DAY, T0 - T0 % DAY + 2 * DAY)
    with db.reader() as conn:
        result = insights.timeseries(conn, window, DAY, 0, "pillar")
    assert len(result["buckets"]) == 2
    assert result["series"] == [
        {"key": "pre_sale", "values": [2, 0]},
        {"key": "logistics", "values": [0, 1]},
    ]


def test_timeseries_by_intent_counts_undecided_messages_as_pending(
    db: Database, chat: Chat
) -> None:
    chat.buyer("hello?", None)
    chat.buyer("stock?", "stock")
    with db.reader() as conn:
        result = insights.timeseries(conn, all_time(), DAY, 0, "intent")
    keys = {s["key"]: sum(s["values"]) for s in result["series"]}
    assert keys == {"stock": 1, "pending": 1}


def test_product_mining_finds_the_share_of_pre_sale_questions_about_material(
    db: Database, chat: Chat
) -> None:
    for _ in range(3):
        chat.buyer("What material is this made of?", "product_spec", item="42")
    for text in ("is size M in stock", "ready stock?", "stock for blue?", "any stock left"):
        chat.buyer(text, "stock", item="42")
    for _ in range(8):
        chat.buyer("any discount?", "promotion", item="42")
    chat.buyer("where is my order", "order_status", item="42")
    chat.buyer("material?", "product_spec", item="7")
    with db.reader() as conn:
        result = insights.product_questions(conn, all_time())
    top = result["items"][0]
    assert top["item_id"] == "42"
    assert top["total"] == 16
    material = next(a for a in top["aspects"] if a["aspect"] == "material")
    assert material["count"] == 3
    assert material["share"] == pytest.approx(3 / 15)
    assert top["top_phrasings"][0] == {"text": "any discount?", "count": 8}
    assert {"intent": "promotion", "count": 8, "share": 0.5} in top["intents"]
    assert result["highlights"][0]["item_id"] == "42"
    assert result["highlights"][0]["aspect"] == "material"


def test_a_sellers_correction_moves_the_message_to_the_corrected_intent(
    db: Database, chat: Chat
) -> None:
    mid = chat.buyer("what fabric is it", "stock", item="9")
    chat.decisions.correct("1", mid, "product_spec", by="seller")
    with db.reader() as conn:
        item = insights.product_questions(conn, all_time())["items"][0]
    assert item["intents"] == [{"intent": "product_spec", "count": 1, "share": 1.0}]


def test_drill_down_lists_the_messages_behind_an_item_intent_and_aspect(
    db: Database, chat: Chat
) -> None:
    wanted = chat.buyer("what material?", "product_spec", item="42")
    chat.buyer("what colour?", "product_spec", item="42")
    chat.buyer("what material?", "product_spec", item="7")
    with db.reader() as conn:
        by_aspect = insights.item_messages(conn, all_time(), "42", aspect="material")
        by_intent = insights.item_messages(conn, all_time(), "42", intent="product_spec")
    assert [m["message_id"] for m in by_aspect] == [wanted]
    assert len(by_intent) == 2


def test_unanswered_messages_are_grouped_by_intent_and_language_with_keywords(
    db: Database, chat: Chat
) -> None:
    for text in ("can i pay cod", "cod available?", "do you accept cod payment"):
        chat.buyer(text, "other", language="en")
    chat.buyer("有货吗", "stock", language="zh-Hans")
    chat.buyer("stock?", "stock", rule="stock-reply")
    chat.buyer("asdf qwer", "other", understood=False)
    with db.reader() as conn:
        groups = insights.unanswered_groups(conn, all_time())
    first = groups[0]
    assert (first["intent"], first["language"], first["count"]) == ("other", "en", 3)
    assert first["keywords"][0] == "cod"
    assert {(g["intent"], g["count"]) for g in groups[1:]} == {
        ("stock", 1),
        ("not_understood", 1),
    }
    assert all(s["rule_id"] is None for g in groups for s in g["samples"])


def test_windows_and_shops_are_respected(db: Database, chat: Chat) -> None:
    chat.buyer("stock?", "stock", shop="1")
    chat.buyer("stock?", "stock", shop="2")
    chat.buyer("old", "stock", at=T0 - 60 * DAY)
    with db.reader() as conn:
        rows = list(insights.conversation_rows(conn, all_time("2")))
    assert len(rows) == 1
    assert rows[0][0] == "2"


def test_csv_cells_that_would_run_as_formulas_are_defused() -> None:
    assert insights.csv_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert insights.csv_cell("+60 12") == "'+60 12"
    assert insights.csv_cell("plain") == "plain"
    assert insights.csv_cell(None) == ""
    assert insights.csv_cell(3) == "3"


def test_aspects_and_phrasings_fold_case_width_and_invisible_characters() -> None:
    assert aspects_of("這件的材質是什麼") == ["material"]
    assert aspects_of("Bahan apa kak? warna ada?") == ["material", "colour"]
    assert aspects_of("any colour?") == ["colour"]
    assert aspects_of("comfortable?") == []
    assert phrasing_key("ANY\u200b discount??") == phrasing_key("any discount")


def test_messages_only_the_catch_all_or_a_fallback_answered_count_as_unanswered(
    db: Database, chat: Chat
) -> None:
    catch_all = insights.catch_all_ids(default_rules(["en"]))
    assert "other" in catch_all and not catch_all & {"greeting", "human-agent", "stock.general"}
    for text in ("bulk corporate orders with logo?", "logo printing for bulk orders"):
        chat.buyer(text, "other", rule="other")
    missing = [{"step": "policy", "code": "data_missing", "detail": "missing tracking_number"}]
    chat.buyer("tracking number pls", "tracking_number", rule="tracking.number", reasons=missing)
    chat.buyer("is it in stock", "stock", rule="stock.available")
    with db.reader() as conn:
        before = insights.unanswered_groups(conn, all_time())
        groups = insights.unanswered_groups(conn, all_time(), catch_all=catch_all)
    assert [g["intent"] for g in before] == ["tracking_number"]  # the fallback alone
    assert [(g["intent"], g["count"]) for g in groups] == [("other", 2), ("tracking_number", 1)]
    assert {"bulk", "logo", "orders"} <= set(groups[0]["keywords"])


def test_a_specific_rule_about_other_messages_is_no_catch_all() -> None:
    base = {"name": "n", "action": "suggest", "templates": {"en": "x"}}
    rules = [
        Rule.model_validate({**base, "id": "bare"}),
        Rule.model_validate({**base, "id": "lost", "when": {"understood": False}}),
        Rule.model_validate({**base, "id": "gift", "when": {"intents": ["other"],
                                                             "keywords_any": ["gift"]}}),
        Rule.model_validate({**base, "id": "esc", "action": "escalate",
                             "when": {"intents": ["other"]}}),
    ]
    assert insights.catch_all_ids(rules) == {"bare", "lost"}


def test_recent_messages_come_in_pages(db: Database, chat: Chat) -> None:
    for i in range(5):
        chat.buyer(f"message {i}", None if i % 2 else "stock", at=T0 + i)
    with db.reader() as conn:
        first = insights.recent_messages(conn, all_time(), limit=3)
        rest = insights.recent_messages(conn, all_time(), limit=3, offset=3)
    assert [m["text"] for m in first["messages"]] == ["message 4", "message 3", "message 2"]
    assert first["more"] is True and rest["more"] is False
    assert [m["text"] for m in rest["messages"]] == ["message 1", "message 0"]
    assert [m["classified"] for m in first["messages"]] == [True, False, True]


def test_csv_rows_carry_iso_8601_times_and_the_unix_seconds(db: Database, chat: Chat) -> None:
    chat.buyer("stock?", "stock")
    with db.reader() as conn:
        conversation = next(insights.conversation_rows(conn, all_time()))
        decision = next(insights.decision_rows(conn, all_time()))
    columns = dict(zip(insights.CONVERSATION_COLUMNS, conversation, strict=True))
    assert columns["created_at"] == "2025-06-15T15:06:40+00:00"
    assert columns["created_at_unix"] == T0
    decided = dict(zip(insights.DECISION_COLUMNS, decision, strict=True))
    assert decided["created_at"] == "2025-06-15T15:06:40+00:00"
    assert decided["created_at_unix"] == T0


def test_history_never_decided_is_sorted_by_the_model_for_the_charts_without_deciding_it(
    db: Database, chat: Chat
) -> None:
    chat.buyer("is the blue one in stock", None)
    chat.buyer("where is my parcel", None)
    chat.buyer("stock?", "stock")
    seen: list[str] = []

    def classify(text: str) -> str:
        seen.append(text)
        return "stock" if "stock" in text else "order_status"

    with db.reader() as conn:
        intents = insights.timeseries(conn, all_time(), DAY, 0, "intent", classify)
        pillars = insights.timeseries(conn, all_time(), DAY, 0, "pillar", classify)
        decided = conn.execute("SELECT COUNT(*) FROM decisions").fetchone()[0]
    assert {s["key"]: sum(s["values"]) for s in intents["series"]} == {
        "stock": 2, "order_status": 1,
    }
    assert {s["key"]: sum(s["values"]) for s in pillars["series"]} == {
        "pre_sale": 2, "logistics": 1,
    }
    assert intents["estimated"] == 2 and sorted(set(seen)) == [
        "is the blue one in stock", "where is my parcel",
    ]
    assert decided == 1


def test_the_buyer_of_each_conversation_is_found_in_its_messages(db: Database, chat: Chat) -> None:
    first = chat.buyer("hello", None)
    with db.reader() as conn:
        found = insights.conversation_buyers(conn, "1", [f"c{first}", "c-unknown"])
    assert found == {f"c{first}": "b"}
