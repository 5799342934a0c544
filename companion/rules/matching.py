"""Keyword and regex matching over hostile buyer text (security.md 3.6 R1).

Text and terms are folded the same way (`companion.nlu.fold_for_match`: NFKC,
which also folds full-width letters, zero-width and bidi controls removed,
casefold) and runs of white space collapse to one space. Terms in spaced
scripts match whole words (`cancel` does not match `cancellation`; a trailing
`*` makes a prefix, `cancel*`), terms containing CJK, Thai or similar
unspaced scripts match as substrings. Regexes run on RE2 (linear time) over
the folded text, truncated to 4 KiB.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any, Final

import re2

from companion.nlu.normalize import fold_for_match

MAX_MATCH_INPUT: Final = 4096
_UNSPACED_RANGES: Final = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x2E80, 0x9FFF),  # CJK radicals, kana, CJK ideographs
    (0xAC00, 0xD7AF),  # Hangul
    (0xF900, 0xFAFF),  # CJK compatibility
    (0xFF66, 0xFF9F),  # half-width kana (NFKC folds most, kept for safety)
    (0x20000, 0x3FFFF),  # CJK extensions
)


def fold(text: str) -> str:
    """The one form both buyer text and rule terms are compared in."""
    return " ".join(fold_for_match(text[:MAX_MATCH_INPUT]).split())


def _unspaced(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _UNSPACED_RANGES)


def _wordy(char: str) -> bool:
    """Part of a word in a spaced script: letters, digits, combining marks, not CJK/Thai."""
    if _unspaced(char):
        return False
    return char.isalnum() or char == "_" or unicodedata.category(char).startswith("M")


@dataclass(frozen=True, slots=True)
class TermMatcher:
    """One keyword, pre-folded; `matches` takes text already passed through `fold`."""

    source: str
    needle: str
    whole_word: bool
    prefix: bool

    @classmethod
    def build(cls, term: str) -> TermMatcher:
        prefix = term.endswith("*") and len(term) > 1
        needle = fold(term[:-1] if prefix else term)
        whole_word = not any(_unspaced(c) for c in needle)
        return cls(term, needle, whole_word, prefix)

    def matches(self, folded: str) -> bool:
        if not self.needle:
            return False
        if not self.whole_word:
            return self.needle in folded
        start = folded.find(self.needle)
        while start >= 0:
            end = start + len(self.needle)
            before_ok = start == 0 or not _wordy(folded[start - 1])
            after_ok = self.prefix or end == len(folded) or not _wordy(folded[end])
            if before_ok and after_ok:
                return True
            start = folded.find(self.needle, start + 1)
        return False


def _options() -> Any:
    options = re2.Options()
    options.log_errors = False
    options.max_mem = 8 << 20
    return options


def compile_regex(pattern: str) -> Any:
    """RE2-compile a rule regex; raises `re2.error` for patterns RE2 refuses."""
    return re2.compile(pattern, _options())


def regex_problem(pattern: str) -> str | None:
    """Why a pattern cannot be saved (None when RE2 accepts it)."""
    try:
        compile_regex(pattern)
    except re2.error as exc:
        detail = exc.args[0] if exc.args else "invalid"
        if isinstance(detail, bytes):
            detail = detail.decode("utf-8", "replace")
        return f"regex refused by RE2 (no backreferences or lookaround): {detail}"
    return None
