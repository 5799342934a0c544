"""Keyword matching over `keywords.KEYWORDS`: the Shopee-auto-reply-style baseline and hint tokens.

Keywords and messages go through the same `normalize` (see `phrases`), and a
keyword matches as a prefix at a token start, like Shopee's "contains" rules.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from companion.nlu.keywords import KEYWORDS, PRIORITY
from companion.nlu.normalize import normalize
from companion.nlu.phrases import PhraseMatcher
from companion.nlu.taxonomy import FALLBACK_INTENT, INTENTS


def keyword_phrases(
    keywords: Mapping[str, Mapping[str, Iterable[str]]] = KEYWORDS,
) -> dict[str, list[str]]:
    """Intent -> keywords of every language, each marked as a prefix (`*`)."""
    merged: dict[str, list[str]] = defaultdict(list)
    for per_intent in keywords.values():
        for intent, words in per_intent.items():
            merged[intent].extend(word.rstrip("*") + "*" for word in words)
    return merged


def hint_tokens(tags: Iterable[str]) -> str:
    """Feature tokens like `__kw_return_refund__` for the intents among `tags` (sorted)."""
    return " ".join(f"__kw_{tag}__" for tag in sorted(tags) if tag in INTENTS)


class KeywordMatcher:
    """Which intents' keywords occur in a normalised line (keywords match as prefixes)."""

    __slots__ = ("_matcher",)

    def __init__(self, keywords: Mapping[str, Mapping[str, Iterable[str]]] = KEYWORDS) -> None:
        self._matcher = PhraseMatcher(keyword_phrases(keywords))

    def intents(self, line: str) -> set[str]:
        """Intents with at least one keyword in the line."""
        return self._matcher.tags(line)

    def hint_tokens(self, line: str) -> str:
        """Feature tokens like `__kw_return_refund__` for the fastText model (sorted)."""
        return hint_tokens(self.intents(line))


class KeywordBaseline:
    """First match wins, in `PRIORITY` order; nothing matched means `other`."""

    __slots__ = ("_matcher",)

    def __init__(self, matcher: KeywordMatcher | None = None) -> None:
        self._matcher = matcher or KeywordMatcher()

    def classify(self, text: str) -> str:
        """The baseline intent of one raw message."""
        found = self._matcher.intents(normalize(text))
        for intent in PRIORITY:
            if intent in found:
                return intent
        return FALLBACK_INTENT
