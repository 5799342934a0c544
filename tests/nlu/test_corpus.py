"""The corpus checker: passes on the shipped corpus, fails on a bad one; splits are fixed."""

from __future__ import annotations

from pathlib import Path

from companion.nlu import corpus

FIXTURES = Path(__file__).with_name("fixtures")


def test_shipped_corpus_passes_every_check() -> None:
    report = corpus.check()
    assert report.problems == []
    assert len(report.examples) >= 8500


def test_bad_corpus_fails_with_each_problem_named() -> None:
    report = corpus.check(FIXTURES / "bad_corpus", minimum=1, languages=("en",))
    text = "\n".join(report.problems)
    assert not report.ok
    assert "duplicate of en.jsonl:1" in text
    assert "unknown intent 'greetings'" in text
    assert "unknown lang 'xx'" in text
    assert "missing field 'wants_human'" in text
    assert "not JSON" in text


def test_too_few_examples_per_intent_and_language_fail() -> None:
    report = corpus.check(FIXTURES / "corpus", minimum=30, languages=("en",))
    assert any(p.startswith("en/stock: ") for p in report.problems)
    assert corpus.check(FIXTURES / "corpus", minimum=3, languages=("en", "zh-Hans", "id", "th")).ok


def test_splits_are_a_fixed_function_of_the_normalised_text() -> None:
    assert corpus.split_of("hello") == corpus.split_of("hello")
    splits = [corpus.split_of(f"message {n}") for n in range(2000)]
    assert 0.75 < splits.count("train") / 2000 < 0.85
    assert 0.07 < splits.count("test") / 2000 < 0.13


def test_no_normalised_text_is_in_two_splits() -> None:
    seen: dict[str, str] = {}
    for ex in corpus.load().examples:
        assert seen.setdefault(ex.norm, ex.split) == ex.split
