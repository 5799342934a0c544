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

from companion.nlu.model import FastTextModel

TOP_K = 3


class IntentEnsemble:
    """One or more intent models over the same input line; the label with the best mean wins."""

    __slots__ = ("_k", "_models", "_n")

    def __init__(self, models: Sequence[FastTextModel], k: int = TOP_K) -> None:
        if not models:
            raise ValueError("an ensemble needs at least one model")
        self._models = tuple(models)
        self._n = len(self._models)
        self._k = k

    @property
    def size(self) -> int:
        """How many models are averaged."""
        return self._n

    def predict(self, line: str) -> tuple[str, float] | None:
        """(intent, mean score) for one model line; None when no model answers."""
        if self._n == 1:
            top = self._models[0].predict(line, 1)
            return top[0] if top else None
        sums: dict[str, float] = {}
        for m in self._models:
            for label, prob in m.predict(line, self._k):
                sums[label] = sums.get(label, 0.0) + prob
        if not sums:
            return None
        best = max(sums, key=sums.__getitem__)
        return best, sums[best] / self._n
