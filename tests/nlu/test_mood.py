"""Mood flags: the fast path (lexicon only when it can matter) agrees with the plain rule."""

from __future__ import annotations

import itertools

from companion.nlu.mood import HUMAN_AGENT_SUPPORT, FlagThresholds, MoodDetector
from companion.nlu.normalize import model_line

LINES = [
    model_line(text)
    for text in (
        "worst seller ever, scam, i will report you",
        "can i talk to a real person please",
        "is the black one still in stock?",
        "骗子店 转人工",
        "ขอคุยกับคนจริงค่ะ ห่วยมาก",
        "quero falar com um atendente, péssimo",
    )
]


def test_flags_agree_with_deciding_on_full_scores() -> None:
    mood = MoodDetector(FlagThresholds(0.6, 0.1), FlagThresholds(0.7, 0.05))
    probs = (0.0, 0.04, 0.05, 0.3, 0.6, 0.69, 0.7, 0.95)
    for line, neg, human, intent in itertools.product(
        LINES, probs, probs, ("stock", "human_agent")
    ):
        expected = mood.decide(mood.scores(line, {"neg": neg, "human": human}), intent)
        assert mood.flags(line, neg, human, intent) == expected, (line, neg, human, intent)


def test_a_lexicon_hit_lowers_the_bar_and_human_agent_always_wants_a_human() -> None:
    mood = MoodDetector(FlagThresholds(0.6, 0.1), FlagThresholds(0.7, 0.05))
    assert mood.flags(LINES[0], 0.2, 0.0, "item_problem") == (True, False)
    assert mood.flags(LINES[2], 0.2, 0.0, "stock") == (False, False)
    assert mood.flags(LINES[1], 0.0, 0.1, "other") == (False, True)
    assert mood.flags(LINES[2], 0.0, 0.0, "human_agent") == (False, True)


def test_a_human_agent_intent_needs_the_aux_model_or_a_lexicon_phrase_behind_it() -> None:
    mood = MoodDetector()
    ranked = [("human_agent", 0.62), ("greeting", 0.31)]
    hello = model_line("admin?")
    # Nothing backs it: the next intent is taken (and with it, no forced wants_human).
    assert mood.pick_intent(ranked, hello, human_prob=0.01) == ("greeting", 0.31)
    assert mood.pick_intent(ranked, hello, human_prob=HUMAN_AGENT_SUPPORT) == ranked[0]
    person = model_line("can i talk to a real person")
    assert mood.pick_intent(ranked, person, human_prob=0.0) == ranked[0]
    # Other intents and lone answers stand as they are.
    assert mood.pick_intent([("stock", 0.4), ("other", 0.3)], hello, 0.0) == ("stock", 0.4)
    assert mood.pick_intent([("human_agent", 0.9)], hello, 0.0) == ("human_agent", 0.9)
    assert mood.pick_intent([], hello, 0.0) is None
