"""Averaging the intent models: a character n-gram view and a word view of the same line.

Why two views: the character model generalises over spelling variants and
affixes (Latin scripts), the word model keeps sharper word and word-pair
evidence (Chinese, Thai characters). Averaging their per-label scores gave
+0.6 points on 5-fold cross-validation of train+dev over the character model
alone (Chinese +2). Each model is asked for its top `TOP_K` labels; a label a
model did not list counts as 0 for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter

from companion.nlu.model import FastTextModel

TOP_K = 3


class IntentEnsemble:
    """One or more intent models over the same input line; the label with the best mean wins."""

    __slots__ = ("_k", "_models", "_n", "_short")

    def __init__(self, models: Sequence[FastTextModel], k: int = TOP_K) -> None:
        if not models:
            raise ValueError("an ensemble needs at least one model")
        self._models = tuple(models)
        self._n = len(self._models)
        self._k = k
        self._short = {full: short for m in self._models for full, short in m.short.items()}

    def words(self) -> frozenset[str]:
        """Every word some model of the ensemble knows."""
        return frozenset().union(*(m.words() for m in self._models))

    @property
    def size(self) -> int:
        """How many models are averaged."""
        return self._n

    def ranked(self, line: str) -> list[tuple[str, float]]:
        """(intent, mean score) pairs for one model line, best first; [] when no model answers."""
        line_nl = line + "\n"
        return self._merge([m.raw(line_nl, self._k) for m in self._models])

    def _merge(self, answers: Sequence[list[tuple[float, str]]]) -> list[tuple[str, float]]:
        """Mean score per label over the models' (prob, full label) answers, best first."""
        sums: dict[str, float] = {}
        for answer in answers:
            for prob, label in answer:
                sums[label] = sums.get(label, 0.0) + prob
        n, short = self._n, self._short
        ranked = sorted(sums.items(), key=itemgetter(1), reverse=True)
        return [(short.get(label, label[9:]), min(1.0, total / n)) for label, total in ranked]
