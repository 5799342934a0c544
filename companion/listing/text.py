"""Text helpers shared by the listing modules: one folding, one way to find a term.

Why: buyer text mixes scripts. Latin-script terms must match whole words ("ori"
must not fire inside "original" or "kategori"), while Chinese and Thai have no
spaces, so their terms match as substrings.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_SPACELESS = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[a-z0-9\u00c0-\u024f\u1e00-\u1eff]+|[\u0e00-\u0e7f]+|[\u3400-\u9fff]",
                   re.IGNORECASE)


def fold(text: str) -> str:
    """NFKC (full-width digits and letters), lower case, curly quotes made straight."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return folded.replace("’", "'").replace("‘", "'").replace("”", '"').replace("“", '"')


def is_spaceless(term: str) -> bool:
    return bool(_SPACELESS.search(term))


def find_term(folded_text: str, term: str) -> int:
    """Position of `term` in already folded text (-1 when absent), whole words for Latin."""
    needle = fold(term)
    if is_spaceless(needle):
        return folded_text.find(needle)
    match = re.search(r"(?<![\w])" + re.escape(needle) + r"(?![\w])", folded_text)
    return match.start() if match else -1


def first_position(folded_text: str, terms: Iterable[str]) -> int:
    """Earliest position of any of `terms`, or -1."""
    found = [p for p in (find_term(folded_text, t) for t in terms) if p >= 0]
    return min(found) if found else -1


def tokens(text: str) -> list[str]:
    """Words for Latin/Thai runs, single characters for CJK (bigrams are built by callers)."""
    return _WORD.findall(fold(text))
