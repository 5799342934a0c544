"""Strings shown outside the web page (tray menu, notifications) in zh-Hans, zh-Hant and en.

Each domain is one JSON file here, `{lang: {key: text}}`; a key missing in a
language falls back to English. The language comes from the system locale.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

UI_LANGUAGES = ("zh-Hans", "zh-Hant", "en")
FALLBACK = "en"
_TRADITIONAL = ("zh_tw", "zh_hk", "zh_mo", "zh-tw", "zh-hk", "zh-mo", "zh-hant", "zh_hant")


def language_of(tag: str) -> str:
    """Map a locale tag (`zh_TW.UTF-8`, `zh-Hans`, `en_US`) to a UI language."""
    tag = tag.strip().lower().split(".")[0].split("@")[0]
    if tag.startswith(_TRADITIONAL):
        return "zh-Hant"
    if tag.startswith("zh"):
        return "zh-Hans"
    return FALLBACK


def system_language(env: Mapping[str, str] | None = None) -> str:
    """The UI language from LANGUAGE, LC_ALL, LC_MESSAGES or LANG (first one set)."""
    env = os.environ if env is None else env
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            return language_of(value.split(":")[0])
    return FALLBACK


def strings(domain: str, language: str) -> dict[str, str]:
    """The domain's strings in `language`, English filling any gap."""
    table = json.loads(Path(__file__).with_name(f"{domain}.json").read_text(encoding="utf-8"))
    return {**table[FALLBACK], **table.get(language, {})}
