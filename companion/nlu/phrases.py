"""Fast multi-phrase matching on normalised lines (one trie-shaped regex, one pass).

Phrases go through the same `normalize` as messages, so Chinese/Thai phrases
become space-separated characters and every phrase matches at a token start.
A phrase ending in `*` is a prefix ("decepcionad*"); others must end a token.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping

from companion.nlu.normalize import normalize


def trie_pattern(words: Iterable[str]) -> str:
    """A regex alternation shaped like a prefix tree (the longest alternative wins)."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def walk(node: dict[str, dict]) -> str:
        ends = "" in node
        branches = [re.escape(ch) + walk(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return walk(trie)


class PhraseMatcher:
    """Tags (e.g. intents, or "neg") of the phrases found in a normalised line.

    The regex finds the longest phrase at each position; the tags of shorter
    phrases it starts with are folded in at build time, so nesting loses nothing.
    """

    __slots__ = ("_closed", "_open", "_pattern")

    def __init__(
        self, phrases: Mapping[str, Iterable[str]], prefix_by_default: bool = False
    ) -> None:
        prefix_tags: dict[str, set[str]] = defaultdict(set)
        whole_tags: dict[str, set[str]] = defaultdict(set)
        for tag, entries in phrases.items():
            for entry in entries:
                norm = normalize(entry.rstrip("*"))
                if norm:
                    prefix = entry.endswith("*") or prefix_by_default
                    (prefix_tags if prefix else whole_tags)[norm].add(tag)
        keys = set(prefix_tags) | set(whole_tags)
        self._open: dict[str, frozenset[str]] = {}
        self._closed: dict[str, frozenset[str]] = {}
        for key in keys:
            opened: set[str] = set()
            for end in range(1, len(key) + 1):
                head = key[:end]
                opened |= prefix_tags.get(head, set())
                if end < len(key) and key[end] == " ":
                    opened |= whole_tags.get(head, set())
            self._open[key] = frozenset(opened)
            self._closed[key] = frozenset(whole_tags.get(key, set()))
        self._pattern = re.compile(r"(?<![^ ])(" + trie_pattern(keys) + ")")

    def tags(self, line: str) -> set[str]:
        """Tags of every phrase occurring in the line."""
        found: set[str] = set()
        for match in self._pattern.finditer(line):
            phrase = match.group(1)
            found |= self._open[phrase]
            end = match.end()
            if end == len(line) or line[end] == " ":
                found |= self._closed[phrase]
        return found
