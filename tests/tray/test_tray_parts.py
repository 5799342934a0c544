"""The tray's parts that need no display: pictures per state and the menu language."""

from __future__ import annotations

import pytest

from companion.locales import UI_LANGUAGES, language_of, strings, system_language
from companion.tray_icons import IconCache, IconState, draw


def test_every_state_has_its_own_picture() -> None:
    states = [
        IconState(auto, paused, connected, escalations)
        for auto in (False, True)
        for paused in (False, True)
        for connected in (False, True)
        for escalations in (0, 1, 12)
    ]
    pictures = {draw(s).tobytes() for s in states if not (s.paused and not s.auto)}
    assert len(pictures) == len([s for s in states if not (s.paused and not s.auto)])


def test_badges_above_nine_share_one_picture() -> None:
    cache = IconCache()
    ten, many = IconState(True, False, True, 10), IconState(True, False, True, 99)
    assert cache.get(ten) is cache.get(many)
    assert draw(IconState(True, False, True, 10)).size == (64, 64)


@pytest.mark.parametrize(
    ("tag", "language"),
    [
        ("zh_CN.UTF-8", "zh-Hans"),
        ("zh_SG", "zh-Hans"),
        ("zh_TW.UTF-8", "zh-Hant"),
        ("zh_HK.Big5", "zh-Hant"),
        ("en_US.UTF-8", "en"),
        ("ms_MY", "en"),
    ],
)
def test_locale_tags_map_to_a_ui_language(tag: str, language: str) -> None:
    assert language_of(tag) == language


def test_the_system_language_comes_from_the_first_locale_variable_set() -> None:
    assert system_language({"LANG": "zh_TW.UTF-8"}) == "zh-Hant"
    assert system_language({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}) == "zh-Hans"
    assert system_language({"LANG": "C.UTF-8"}) == "en"
    assert system_language({}) == "en"


def test_every_tray_string_exists_in_every_ui_language() -> None:
    english = strings("tray", "en")
    for language in UI_LANGUAGES:
        table = strings("tray", language)
        assert set(table) == set(english)
        if language != "en":
            assert table["quit"] != english["quit"]
