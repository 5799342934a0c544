"""Threshold calibration on the dev split (explicit, reproducible criteria).

Intent: the "not understood" threshold is the lowest confidence at which the
accepted dev predictions reach the target precision (default 0.95), never
below a floor (default 0.30) because the held-out chat is messier than dev.
Flags: per flag, the (plain, lexicon) threshold pair with the best recall whose
dev precision reaches the target; failing that, the best F1.
"""

from __future__ import annotations

from collections.abc import Sequence

from companion.nlu.mood import FlagThresholds

INTENT_TARGET_PRECISION = 0.95
# Flag thresholds tried: fine steps at the low end, where one-vs-all scores of rare labels sit.
# 0.0 as the lexicon threshold means "a lexicon hit alone sets the flag".
FLAG_GRID = (0.0, 0.01, 0.02, 0.03, 0.05, 0.075, *(round(0.05 * i, 2) for i in range(2, 20)))
INTENT_FLOOR = 0.30


def intent_threshold(
    confidences: Sequence[float],
    correct: Sequence[bool],
    target: float = INTENT_TARGET_PRECISION,
    floor: float = INTENT_FLOOR,
) -> float:
    """Lowest confidence t with precision(conf >= t) >= target, clamped to >= floor."""
    pairs = sorted(zip(confidences, correct, strict=True), key=lambda p: -p[0])
    best = None
    hits = 0
    for n, (conf, ok) in enumerate(pairs, 1):
        hits += ok
        if hits / n >= target:
            best = conf
    if best is None:
        best = pairs[0][0] if pairs else 0.5
    return round(max(floor, best), 4)


def precision_recall(pred: Sequence[bool], gold: Sequence[bool]) -> tuple[float, float]:
    """(precision, recall) of a binary decision; 1.0 when undefined (nothing to find/claim)."""
    tp = sum(p and g for p, g in zip(pred, gold, strict=True))
    claimed = sum(pred)
    actual = sum(gold)
    return (tp / claimed if claimed else 1.0), (tp / actual if actual else 1.0)


def flag_thresholds(
    probs: Sequence[float],
    hits: Sequence[bool],
    gold: Sequence[bool],
    forced: Sequence[bool],
    target_precision: float,
) -> FlagThresholds:
    """Grid-search (plain, lexicon) thresholds; `forced` marks items already flagged by rule."""
    grid = list(FLAG_GRID)
    best: tuple[tuple[float, ...], FlagThresholds] | None = None
    for plain in grid:
        for lex in (g for g in grid if g <= plain):
            th = FlagThresholds(plain, lex)
            pred = [f or th.decide(p, h) for p, h, f in zip(probs, hits, forced, strict=True)]
            precision, recall = precision_recall(pred, gold)
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            meets = precision >= target_precision
            key = (float(meets), recall if meets else f1, precision, plain)
            if best is None or key > best[0]:
                best = (key, th)
    assert best is not None
    return best[1]
