"""The default packs: valid against the schema, in sync with their source, complete, mergeable."""

from __future__ import annotations

import json

import pytest

from companion.nlu.taxonomy import INTENTS, LANGUAGES
from companion.rules.models import VOICES, RulePack
from companion.rules.packgen import build_all
from companion.rules.packs import (
    PackError,
    default_pack_path,
    default_rules,
    load_pack,
    packs_dir,
    parse_pack,
)
from companion.rules.templates import placeholders_in

PACKS = [(voice, lang) for voice in VOICES for lang in LANGUAGES]


@pytest.mark.parametrize(("voice", "language"), PACKS)
def test_every_default_pack_validates_against_the_schema(voice, language):
    pack = load_pack(default_pack_path(language, voice))
    assert pack.voice == voice and pack.languages == [language]
    assert all(set(r.templates) <= {language} for r in pack.rules)


def test_the_packs_on_disk_are_exactly_what_the_generator_builds():
    built = build_all()
    assert len(built) == 30
    for path, text in built.items():
        assert path.read_text(encoding="utf-8") == text, f"{path} is stale: run packgen"


def test_all_packs_share_rule_ids_and_conditions():
    reference = load_pack(default_pack_path("en"))
    shape = [(r.id, r.priority, r.action, r.when) for r in reference.rules]
    for voice, language in PACKS:
        pack = load_pack(default_pack_path(language, voice))
        assert [(r.id, r.priority, r.action, r.when) for r in pack.rules] == shape


@pytest.mark.parametrize(("voice", "language"), PACKS)
def test_every_intent_of_every_pillar_has_a_rule_with_a_reply(voice, language):
    pack = load_pack(default_pack_path(language, voice))
    covered = {i for r in pack.rules if r.templates for i in r.when.intents}
    assert covered == set(INTENTS)


def test_live_data_replies_use_order_tracking_stock_and_fee_placeholders():
    pack = load_pack(default_pack_path("en"))
    used = {p for r in pack.rules for t in r.templates.values() for p in placeholders_in(t)}
    assert {"order_status", "tracking_number", "carrier", "last_tracking_event", "eta",
            "ship_by_date", "variant_stock", "in_stock_variants", "shipping_fee",
            "item_name", "shop_name"} <= used


def test_the_three_voices_read_differently():
    for language in ("zh-Hans", "zh-Hant", "en"):
        greetings = {voice: load_pack(default_pack_path(language, voice)).rules for voice in VOICES}
        texts = {voice: next(r for r in rules if r.id == "greeting").templates[language]
                 for voice, rules in greetings.items()}
        assert len(set(texts.values())) == 3


def test_merging_languages_gives_one_rule_per_id_with_every_language():
    rules = default_rules(["en", "ms", "zh-Hans"])
    assert len({r.id for r in rules}) == len(rules)
    greeting = next(r for r in rules if r.id == "greeting")
    assert set(greeting.templates) == {"en", "ms", "zh-Hans"}


def test_a_pack_with_a_bad_field_is_refused_naming_it(tmp_path):
    data = json.loads(default_pack_path("en").read_text(encoding="utf-8"))
    data["rules"][3]["when"]["colour"] = "red"
    with pytest.raises(PackError) as info:
        parse_pack(json.dumps(data))
    assert "rules.3.when.colour" in str(info.value)
    with pytest.raises(PackError):
        parse_pack("{not json")
    with pytest.raises(PackError):
        load_pack(tmp_path / "missing.json")


def test_duplicate_rule_ids_in_a_pack_are_refused():
    rule = {"id": "a", "name": "a", "action": "tag", "add_tags": ["x"]}
    with pytest.raises(PackError):
        parse_pack(json.dumps({"name": "p", "rules": [rule, rule]}))


def test_the_packs_folder_is_the_projects_rules_folder():
    assert (packs_dir() / "README.md").exists()
    assert RulePack.model_json_schema()["properties"]["format"]
