"""Phrase matching on normalised lines: whole tokens, prefixes, overlaps, Chinese and Thai."""

from __future__ import annotations

from companion.nlu.normalize import model_line
from companion.nlu.phrases import PhraseMatcher

MATCHER = PhraseMatcher(
    {
        "neg": ["worst seller", "scam", "decepcionad*", "não gost*", "骗子", "แย่มาก"],
        "human": ["real person", "seller ever", "人工"],
    }
)


def tags(text: str) -> set[str]:
    return MATCHER.tags(model_line(text))


def test_whole_phrases_match_whole_tokens_only() -> None:
    assert tags("this is a SCAM!!") == {"neg"}
    assert tags("scammer") == set()
    assert tags("a real personal matter") == set()


def test_prefix_phrases_match_the_start_of_the_last_token() -> None:
    assert tags("fiquei muito decepcionada") == {"neg"}
    assert tags("eu não gostei do produto") == {"neg"}
    assert tags("indecepcionado") == set()


def test_overlapping_phrases_are_all_found() -> None:
    assert tags("worst seller ever") == {"neg", "human"}


def test_chinese_and_thai_phrases_match_inside_unspaced_text() -> None:
    assert tags("你们是骗子吧 我要转人工") == {"neg", "human"}
    assert tags("ของแย่มากเลยค่ะ") == {"neg"}
    assert tags("") == set()
