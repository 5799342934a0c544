"""Thin typed wrapper over fastText: train, quantize, save, load, predict.

Why a wrapper: one place for the fastText quirks of this machine (numpy-2 safe
predict path through the C++ binding, NaN retries, deterministic single-thread
training), so the rest of the NLU code deals in plain tuples.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

LABEL_PREFIX = "__label__"
# glibc mallopt: M_PERTURB fills every block malloc hands out with (byte ^ 0xFF), so 0xFF -> zeros.
_M_PERTURB = -6
_ZERO_FILL = 0xFF


@dataclass(frozen=True, slots=True)
class HyperParams:
    """fastText supervised settings; the defaults are the tuned ones for the shipped model."""

    epoch: int = 30
    lr: float = 0.3
    dim: int = 40
    word_ngrams: int = 2
    minn: int = 3
    maxn: int = 5
    bucket: int = 40_000
    loss: str = "ova"
    min_count: int = 1
    seed: int = 7
    threads: int = 1
    quantize: bool = True
    cutoff: int = 60_000
    dsub: int = 2
    keyword_hints: bool = False

    def as_dict(self) -> dict[str, Any]:
        """Plain dict for the model's JSON metadata."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> HyperParams:
        """Inverse of `as_dict`; unknown keys are ignored."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


class FastTextModel:
    """A loaded supervised fastText model with a fast single-line predict."""

    __slots__ = ("_f", "_ft", "labels", "short")

    def __init__(self, ft: Any) -> None:
        self._ft = ft
        self._f = ft.f
        self.labels: tuple[str, ...] = tuple(lab[len(LABEL_PREFIX) :] for lab in ft.get_labels())
        # "__label__stock" -> "stock": a dict lookup is cheaper than slicing on every answer.
        self.short: dict[str, str] = {LABEL_PREFIX + lab: lab for lab in self.labels}

    @classmethod
    def load(cls, path: Path) -> FastTextModel:
        """Load a .ftz/.bin file (fastText is imported here, not at module import)."""
        import fasttext

        return cls(fasttext.load_model(str(path)))

    def predict(self, line: str, k: int = 1) -> list[tuple[str, float]]:
        """Top-k (label, probability) for one normalised line (no newline inside)."""
        try:
            raw = self._f.predict(line + "\n", k, 0.0, "strict")
        except RuntimeError:  # "Encountered NaN": a damaged row; treat as no answer
            return []
        return [(label[9:], min(1.0, float(prob))) for prob, label in raw]

    def raw(self, line_nl: str, k: int, threshold: float = 0.0) -> list[tuple[float, str]]:
        """fastText's own answer for a line that already ends in a newline: (prob, full label).

        The hot path of `Understander`: no copies, no conversions; [] on a NaN row.
        Labels scoring below `threshold` are left out (fewer Python objects to build).
        """
        try:
            return self._f.predict(line_nl, k, threshold, "strict")  # type: ignore[no-any-return]
        except RuntimeError:
            return []

    def words(self) -> frozenset[str]:
        """The words of the model's dictionary (what it saw in training, after any pruning)."""
        return frozenset(self._ft.get_words())

    def save(self, path: Path) -> None:
        """Write the model file."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self._ft.save_model(str(path))


def _mallopt() -> Callable[[int, int], int] | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        return ctypes.CDLL(name).mallopt  # type: ignore[no-any-return]
    except (OSError, AttributeError):
        return None


@contextmanager
def zeroed_allocations() -> Iterator[bool]:
    """While inside, every `malloc` returns zero-filled memory (glibc); yields whether it could.

    Why: fastText 0.9.2 with thread=1 fills only the first tenth of the input
    matrix with random values (`DenseMatrix::uniform` splits the work in ten
    blocks, one per thread) and leaves the rest as raw `malloc` memory
    (valgrind: uninitialised values from `createRandomMatrix`). In a fresh
    process that memory happens to be zero; in a process that has freed big
    blocks before, it is whatever was there: sometimes NaN at every learning
    rate, sometimes a model that learnt almost nothing, never the same file
    twice. With zero-filled allocations the untouched rows are zero every time
    (as in a fresh process), so the same corpus gives byte-identical models.
    """
    mallopt = _mallopt()
    active = bool(mallopt and mallopt(_M_PERTURB, _ZERO_FILL))
    try:
        yield active
    finally:
        if active and mallopt is not None:
            mallopt(_M_PERTURB, 0)


def train(train_file: Path, params: HyperParams) -> FastTextModel:
    """Train (and optionally quantize) a supervised model; retries with a lower lr on NaN."""
    import fasttext

    attempt = params
    qnorm = True
    for _ in range(4):
        try:
            with zeroed_allocations():
                ft = fasttext.train_supervised(
                    input=str(train_file),
                    epoch=attempt.epoch,
                    lr=attempt.lr,
                    dim=attempt.dim,
                    wordNgrams=attempt.word_ngrams,
                    minn=attempt.minn,
                    maxn=attempt.maxn,
                    bucket=attempt.bucket,
                    loss=attempt.loss,
                    minCount=attempt.min_count,
                    seed=attempt.seed,
                    thread=attempt.threads,
                    verbose=0,
                )
                if attempt.quantize:
                    ft.quantize(
                        input=str(train_file),
                        qnorm=qnorm,
                        retrain=True,
                        cutoff=attempt.cutoff,
                        dsub=attempt.dsub,
                        epoch=attempt.epoch,
                        lr=attempt.lr,
                        thread=attempt.threads,
                        verbose=0,
                    )
            return FastTextModel(ft)
        except (RuntimeError, ValueError) as exc:
            if "NaN" not in str(exc):
                raise
            attempt = replace(attempt, lr=attempt.lr * 0.6)
    raise RuntimeError("fastText kept diverging (NaN) even at a low learning rate")


def training_line(labels: tuple[str, ...], text: str) -> str:
    """One fastText training line: labels first, then the normalised text."""
    return " ".join(LABEL_PREFIX + label for label in labels) + " " + text
