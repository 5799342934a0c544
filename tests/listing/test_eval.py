"""`yiwaiwai eval --listing` and the judge behind it."""

from __future__ import annotations

import json

import pytest

from companion.cli import main
from companion.listing.evaluate import Case, judge, load_cases
from companion.listing.knowledge import ShopKnowledge
from companion.listing.phrases import LANGUAGES


def test_the_eval_set_covers_all_ten_languages_and_three_intents() -> None:
    cases = load_cases()
    assert {c.language for c in cases} == set(LANGUAGES)
    assert {c.intent for c in cases} == {"product_spec", "size_advice", "recommendation"}
    assert len({c.id for c in cases}) == len(cases) >= 100


def test_eval_listing_reports_right_abstained_and_wrong(capsys: pytest.CaptureFixture) -> None:
    assert main(["eval", "--listing"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    summary = json.loads(out[-1])
    assert summary["wrong"] == 0
    assert summary["right"] + summary["abstained"] == summary["cases"]
    assert summary["right_rate"] >= 0.9
    assert set(summary["by_language"]) == set(LANGUAGES)
    assert out[0].startswith("listing eval:")


def test_an_answer_with_the_wrong_fact_counts_as_wrong(my_shop: ShopKnowledge) -> None:
    case = Case("t", "en", "MY", "product_spec", "what material?", "TEE_BASIC", (),
                {"status": "answer", "item": "TEE_BASIC", "attribute": "origin"})
    assert judge(case, my_shop).verdict == "wrong"
    gap = Case("t", "en", "MY", "product_spec", "what material?", "TEE_BASIC", (),
               {"status": "suggest"})
    assert judge(gap, my_shop).verdict == "wrong"
    fine = Case("t", "en", "MY", "product_spec", "what material?", "TEE_BASIC", (),
                {"status": "answer", "item": "TEE_BASIC", "attribute": "material"})
    assert judge(fine, my_shop).verdict == "right"
