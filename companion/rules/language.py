"""Which language to answer in: the buyer's, with the shop's market as a prior.

Detection on a short message is often a coin toss between close siblings
("我要真人客服" is the same in both Chinese scripts; Indonesian and Malay share
most words), so when the detected language is not one the market speaks but
its sibling is, the reply goes out in the sibling (the detected language is
still what gets recorded). Indonesian and Malay always follow the market;
the Chinese scripts, and Spanish and Portuguese, are only swapped when the
text carries nothing that marks it as the detected one (a character only
Traditional uses, a word only Spanish uses), i.e. when detection was a guess. A message in a script
none of our languages use (Arabic, Cyrillic, Hangul...) is answered in the
shop's default language, and `supported` is False so the pipeline only
suggests the reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

from companion.nlu.lang import SIMPLIFIED_ONLY, TRADITIONAL_ONLY
from companion.rules.facts import ShopFacts

Why = Literal["detected", "market_sibling", "unsupported"]

_SIBLINGS: Final[dict[str, str]] = {
    "zh-Hant": "zh-Hans", "zh-Hans": "zh-Hant", "id": "ms", "ms": "id", "es": "pt", "pt": "es",
}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words (and letters) only one of the two languages uses: evidence the detection is not a toss-up.
_MARKERS: Final[dict[str, frozenset[str]]] = {
    "es": _words(
        "hola gracias donde dónde cuando cuándo cuanto cuánto mi mis el y es hay tiene usted "
        "envío envio llega llegó llego ya todavía todavia sí necesito quiero puedo muy bien "
        "buenas buenos días hasta pero"),
    "pt": _words(
        "olá ola obrigado obrigada obg onde cadê cade quando quanto você voce vc não nao meu "
        "minha e é tem ainda chegou entrega preciso quero posso muito bem boa bom dia sim "
        "até"),
}
_MARK_LETTERS: Final[dict[str, re.Pattern[str]]] = {
    "es": re.compile("[ñ¿¡]"), "pt": re.compile("[ãõç]"),
}
_WORD_RE: Final = re.compile(r"[^\W\d_]+")
_SCRIPT_ONLY: Final[dict[str, frozenset[str]]] = {
    "zh-Hans": SIMPLIFIED_ONLY, "zh-Hant": TRADITIONAL_ONLY,
}


@dataclass(frozen=True, slots=True)
class ReplyLanguage:
    """The language to answer in (when a template has it), what was detected, and why."""

    language: str
    detected: str
    why: Why

    @property
    def supported(self) -> bool:
        return self.why != "unsupported"

    def public(self) -> dict[str, str]:
        return {"detected": self.detected, "reply": self.language, "why": self.why}


def _supported_letter(ch: str) -> bool:
    """Latin (with accents), Han or Thai: the scripts our ten languages are written in."""
    o = ord(ch)
    return (ch.isascii() or 0x00C0 <= o <= 0x024F or 0x1E00 <= o <= 0x1EFF
            or 0x0E00 <= o <= 0x0E7F or 0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF
            or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x2FFFF)


def unsupported_script(text: str) -> bool:
    """Most letters are in a script none of our languages use (ids and numbers ignored)."""
    ours = other = 0
    for token in text.split():
        if any(c.isdigit() for c in token):
            continue  # order numbers, item ids: Latin letters that say nothing about language
        for ch in token:
            if ch.isalpha():
                if _supported_letter(ch):
                    ours += 1
                else:
                    other += 1
    return other > ours


def _marked_as(language: str, text: str) -> bool:
    """The text has a character or word only `language` uses (never for id/ms: too close)."""
    if language in _SCRIPT_ONLY:
        return any(ch in _SCRIPT_ONLY[language] for ch in text)
    if language not in _MARKERS:
        return False
    folded = text.casefold()
    if _MARK_LETTERS[language].search(folded):
        return True
    return any(w in _MARKERS[language] for w in _WORD_RE.findall(folded))


def choose_reply_language(detected: str, text: str, shop: ShopFacts) -> ReplyLanguage:
    """The detected language, its market sibling, or the shop default for an unknown script."""
    if unsupported_script(text):
        return ReplyLanguage(shop.default_language, detected, "unsupported")
    if detected in shop.languages:
        return ReplyLanguage(detected, detected, "detected")
    sibling = _SIBLINGS.get(detected)
    if sibling is not None and sibling in shop.languages and not _marked_as(detected, text):
        return ReplyLanguage(sibling, detected, "market_sibling")
    return ReplyLanguage(detected, detected, "detected")
