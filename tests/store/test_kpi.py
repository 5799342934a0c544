"""KPIs on a fixture history, checked against values worked out by hand (in the comments)."""

from __future__ import annotations

from typing import cast

import pytest

from companion.store import KpiMessage, NewDecision, NewMessage, Store, kpi, kpi_report
from companion.store.models import Action, Sender

H = 3600.0
DAY = 86400.0
B = 1_700_000_000.0  # fixture origin; times below are hours after it
NOW = B + 100 * H

# (conversation, sender, hour)
HISTORY = [
    # a: buyer 0, reply 1 -> chat a1 answered in 1 h. Buyer 5 is 4 h after the last message:
    # same chat. Buyer 18 is 13 h after the last message (5): new chat a2, answered at 20 (2 h).
    ("a", "buyer", 0), ("a", "shop_manual", 1), ("a", "buyer", 5), ("a", "buyer", 18),
    ("a", "shop_manual", 20),
    # b: buyer 2 -> chat b1. Auto-replies at 2.01 and 11 do not answer it and do not keep it
    # alive: buyer 15 is 13 h after the last counted message (2) -> new chat b2. b1 never gets a
    # manual reply (late); b2 is answered at 40, 25 h later (late).
    ("b", "buyer", 2), ("b", "shop_auto", 2.01), ("b", "shop_auto", 11), ("b", "buyer", 15),
    ("b", "shop_manual", 40),
    # c: answered after 13 h -> late.
    ("c", "buyer", 30), ("c", "shop_manual", 43),
    # d, e, g answered in 0.5 h, 1 h, 2 h. e's system notice is ignored. f never answered.
    ("d", "buyer", 50), ("d", "shop_manual", 50.5),
    ("e", "system", 59), ("e", "buyer", 60), ("e", "shop_manual", 61),
    ("f", "buyer", 70),
    ("g", "buyer", 80), ("g", "shop_manual", 82),
    # h, i: no manual reply yet, deadlines 107 and 111 are after NOW (100): open, at risk.
    ("h", "buyer", 95), ("h", "shop_auto", 95.01),
    ("i", "buyer", 99),
    # z: 91 days ago, outside the 90-day window.
    ("z", "buyer", -91 * 24), ("z", "shop_manual", -91 * 24 + 1),
]


def messages() -> list[KpiMessage]:
    return [KpiMessage(conv, cast(Sender, sender), B + hour * H) for conv, sender, hour in HISTORY]


def test_chats_are_split_at_12_hours_and_auto_replies_do_not_count() -> None:
    chats = {(c.conversation_id, c.started_at): c for c in kpi.split_chats(messages())}
    starts = sorted((conv, (at - B) / H) for conv, at in chats)
    assert starts == [("a", 0), ("a", 18), ("b", 2), ("b", 15), ("c", 30), ("d", 50),
                      ("e", 60), ("f", 70), ("g", 80), ("h", 95), ("i", 99), ("z", -2184)]
    b1 = chats[("b", B + 2 * H)]
    assert b1.first_reply_at is None and b1.auto_replied and not b1.responded()
    assert chats[("a", B)].response_time == 1 * H


def test_chat_response_rate_matches_the_hand_calculation() -> None:
    # Counted (started in the window, outcome known), by start: a1 ok, b1 late, b2 late, a2 ok,
    # c1 late, d1 ok, e1 ok, f1 late, g1 ok -> 9 chats, 5 answered in time: 5/9.
    # Latest 25 %: ceil(9 / 4) = 3 chats: e1 ok, f1 late, g1 ok -> 2/3.
    # CRR = 0.5 * 5/9 + 0.5 * 2/3 = 5/18 + 6/18 = 11/18 = 0.6111.
    rate = kpi.chat_response_rate(kpi.split_chats(messages()), NOW)
    assert (rate.chats, rate.responded, rate.open_chats) == (9, 5, 2)
    assert (rate.latest_chats, rate.latest_responded) == (3, 2)
    assert rate.rate_window == pytest.approx(5 / 9)
    assert rate.rate_latest == pytest.approx(2 / 3)
    assert rate.crr == pytest.approx(11 / 18)
    assert not rate.preset


def test_first_response_time_median_and_mean() -> None:
    # Replied chats in the window: a1 1, a2 2, b2 25, c1 13, d1 0.5, e1 1, g1 2 (hours).
    # Sorted 0.5 1 1 2 2 13 25: median 2 h; mean 44.5 / 7 h.
    times = kpi.first_response_times(kpi.split_chats(messages()), NOW)
    assert times.replied == 7
    assert times.median_s == pytest.approx(2 * H)
    assert times.mean_s == pytest.approx(44.5 / 7 * H)


def test_at_risk_lists_open_chats_with_time_left() -> None:
    # h: deadline 95 + 12 = 107 -> 7 h left (its auto-reply does not help); i: 111 -> 11 h left.
    chats = kpi.split_chats(messages())
    risky = kpi.at_risk(chats, NOW)
    assert [(r.conversation_id, r.seconds_left / H) for r in risky] == [("h", 7), ("i", 11)]
    assert risky[0].auto_replied and risky[0].deadline == B + 107 * H
    assert [r.conversation_id for r in kpi.at_risk(chats, NOW, horizon_s=8 * H)] == ["h"]


def test_exactly_12_hours_is_still_the_same_chat_and_still_in_time() -> None:
    at = [KpiMessage("x", "buyer", 0.0), KpiMessage("x", "buyer", 12 * H),
          KpiMessage("x", "shop_manual", 12 * H)]
    (chat,) = kpi.split_chats(at)
    assert chat.responded() and chat.response_time == 12 * H
    late = [KpiMessage("y", "buyer", 0.0), KpiMessage("y", "shop_manual", 12 * H + 1)]
    assert not kpi.split_chats(late)[0].responded()


def test_weighting_puts_half_the_score_on_the_latest_quarter() -> None:
    # 8 chats, the 6 oldest answered, the 2 newest not: window 6/8, latest ceil(8/4) = 2 -> 0/2.
    # CRR = 0.5 * 0.75 + 0.5 * 0 = 0.375 (an unweighted rate would say 0.75).
    rows: list[KpiMessage] = []
    for n in range(8):
        rows.append(KpiMessage(f"c{n}", "buyer", n * H))
        if n < 6:
            rows.append(KpiMessage(f"c{n}", "shop_manual", n * H + 60))
    rate = kpi.chat_response_rate(kpi.split_chats(rows), now=8 * H + 13 * H)
    assert rate.rate_window == 0.75 and rate.rate_latest == 0.0
    assert rate.crr == pytest.approx(0.375)


def test_a_new_shop_shows_the_preset_rate() -> None:
    rate = kpi.chat_response_rate(kpi.split_chats([KpiMessage("c", "buyer", 0.0)]), now=DAY)
    assert rate.preset and rate.crr == 0.57 and rate.chats == 1 and rate.rate_window == 0.0


def test_days_are_counted_in_the_shops_time_zone() -> None:
    rows = [(B, "logistics", "order_status"), (B + 1 * H, "logistics", "order_status"),
            (B + 20 * H, "pre_sale", "stock")]
    # B is 2023-11-14 22:13:20 UTC: at UTC+8 the first two fall on the 15th, the third on the 16th.
    counted = [(d.day, d.intent, d.count) for d in kpi.by_day(rows, utc_offset_s=8 * H)]
    assert counted == [("2023-11-15", "order_status", 2), ("2023-11-16", "stock", 1)]


def test_the_report_from_the_store_agrees(store: Store) -> None:
    for n, (conv, sender, hour) in enumerate(HISTORY):
        at = B + hour * H
        store.messages.add(NewMessage("s1", conv, f"m{n}", cast(Sender, sender), at))
        if sender == "buyer" and hour >= 0:
            action: Action = "auto_reply" if conv in ("b", "h") else "suggest"
            store.decisions.record(NewDecision("s1", conv, f"m{n}", action, pillar="logistics",
                                               intent="order_status", created_at=at))
    store.escalations.raise_("s1", "f", "wants_human", at=B + 70 * H)
    store.escalations.raise_("s1", "b", "negative_mood", at=B + 15 * H)
    store.escalations.raise_("s1", "c", "negative_mood", at=B + 30 * H)
    report = kpi_report(store, "s1", NOW)
    assert report.response_rate.crr == pytest.approx(11 / 18)
    assert report.response_times.median_s == pytest.approx(2 * H)
    assert [r.conversation_id for r in report.at_risk] == ["h", "i"]
    # Shop replies in the window: 3 automatic (b twice, h), 7 manual -> 3/10.
    assert report.automation.auto_share_of_replies == pytest.approx(0.3)
    # Buyer messages decided: a 3, b 2, c d e f g h i 1 each = 12; b's 2 and h's 1 automatic
    # -> 3/12.
    assert report.automation.decided == 12
    assert report.automation.rate == pytest.approx(3 / 12)
    assert report.escalations_by_reason == {"negative_mood": 2, "wants_human": 1}
    assert sum(d.count for d in report.by_day) == 12
