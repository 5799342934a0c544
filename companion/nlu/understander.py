"""The NLU facade: one call turns a raw buyer message into an `Understanding`.

Loads the intent models (one or two, averaged: see `ensemble`), the auxiliary
model written by `train.train_all` and their metadata (thresholds) once;
`understand` is then one normalisation pass plus three fastText lookups.

"Understood" needs two things: an intent score at or over the calibrated
threshold, and at least one word (or placeholder such as an order number) the
models saw in training. Why the second: on a line of made-up words
("blorp fnord") fastText still answers from the character n-grams' hashed
rows, sometimes at 0.5, which passed the threshold; such a line is exactly
what "not understood" is for.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from companion.nlu.calibrate import FLAG_GRID
from companion.nlu.ensemble import IntentEnsemble
from companion.nlu.entities import extract
from companion.nlu.lang import LanguageIdentifier
from companion.nlu.model import LABEL_PREFIX, FastTextModel
from companion.nlu.mood import FlagThresholds, MoodDetector
from companion.nlu.normalize import model_line
from companion.nlu.taxonomy import FALLBACK_INTENT, INTENTS
from companion.nlu.train import DEFAULT_MODEL_PATH, OPTIONAL_FILES, aux_path, sibling_paths
from companion.nlu.types import Entities, Understanding

_NO_ENTITIES = Entities()
AUX_FLOOR = min(t for t in FLAG_GRID if t > 0.0)
_NEG = LABEL_PREFIX + "neg"
_HUMAN = LABEL_PREFIX + "human"


class ModelMissingError(FileNotFoundError):
    """The model files are absent: run `yiwaiwai train` first."""


class Understander:
    """Loaded models + calibrated thresholds; thread-safe for reading."""

    __slots__ = (
        "_aux",
        "_aux_k",
        "_intent",
        "_lang",
        "_mood",
        "_threshold",
        "_vocabulary",
        "meta",
        "model_path",
    )

    def __init__(
        self,
        intent: FastTextModel | IntentEnsemble,
        aux: FastTextModel,
        mood: MoodDetector,
        threshold: float,
        meta: dict[str, Any],
        model_path: Path,
    ) -> None:
        self._intent = intent if isinstance(intent, IntentEnsemble) else IntentEnsemble([intent])
        self._aux = aux
        self._aux_k = len(aux.labels)
        self._lang = LanguageIdentifier()
        self._mood = mood
        self._threshold = threshold
        self._vocabulary = self._intent.words()
        self.meta = meta
        self.model_path = model_path

    @classmethod
    def load(cls, model_path: Path | None = None) -> Understander:
        """Load the shipped model (None) or the one at `model_path` with its sibling files."""
        path = Path(model_path) if model_path is not None else DEFAULT_MODEL_PATH
        paths = sibling_paths(path)
        paths["aux"] = aux_path(path)
        missing = [str(p) for k, p in paths.items() if k not in OPTIONAL_FILES and not p.exists()]
        if missing:
            raise ModelMissingError(
                f"model files missing: {', '.join(missing)}; run `yiwaiwai train`"
            )
        meta = json.loads(paths["meta"].read_text(encoding="utf-8"))
        flags = meta.get("flags", {})
        mood = MoodDetector(
            negative=FlagThresholds(**flags.get("negative", {})),
            human=FlagThresholds(**flags.get("wants_human", {})),
        )
        intent = [FastTextModel.load(paths["intent"])]
        if paths["word"].exists():
            intent.append(FastTextModel.load(paths["word"]))
        return cls(
            IntentEnsemble(intent),
            FastTextModel.load(paths["aux"]),
            mood,
            float(meta["threshold"]),
            meta,
            path,
        )

    def _knows_a_word(self, line: str) -> bool:
        """Whether some token of the line is a training word or a placeholder (`__ordersn__`)."""
        vocabulary = self._vocabulary
        return any(
            token in vocabulary or token.startswith("__") for token in line.split(" ")
        )

    @property
    def threshold(self) -> float:
        """Confidence below which a message counts as not understood."""
        return self._threshold

    def understand(self, text: str, *, entities: bool = True) -> Understanding:
        """Intent, pillar, confidence, language, flags and entities of one raw message."""
        line = model_line(text)
        if not line:
            return self._assemble(text, line, [], [], entities)
        ranked = self._intent.ranked(line)
        # Every aux label is read: a flag score cut off by a top-k would be 0 here but not in
        # the dev calibration (`train._calibrate_mood`), and the thresholds would not hold.
        # Scores under AUX_FLOOR are dropped: every calibrated threshold is 0 or >= the floor,
        # so a dropped score decides exactly as it would have (and it saves a third of the call).
        aux = self._aux.raw(line + "\n", self._aux_k, AUX_FLOOR)
        return self._assemble(text, line, ranked, aux, entities)

    def _assemble(
        self,
        text: str,
        line: str,
        ranked: list[tuple[str, float]],
        aux: list[tuple[float, str]],
        entities: bool,
    ) -> Understanding:
        """One `Understanding` from the model answers for a message."""
        languages: dict[str, float] = {}
        negative_prob = human_prob = 0.0
        for prob, label in aux:
            if label == _NEG:
                negative_prob = prob
            elif label == _HUMAN:
                human_prob = prob
            else:
                languages[label[9:]] = prob
        top = self._mood.pick_intent(ranked, line, human_prob)
        intent, confidence = top or (FALLBACK_INTENT, 0.0)
        if line:
            negative, wants_human = self._mood.flags(line, negative_prob, human_prob, intent)
        else:
            negative = wants_human = False
        return Understanding(
            intent=intent,
            pillar=INTENTS.get(intent, "general"),
            confidence=confidence,
            language=self._lang.identify(line, languages),
            negative=negative,
            wants_human=wants_human,
            understood=confidence >= self._threshold and self._knows_a_word(line),
            entities=extract(text) if entities else _NO_ENTITIES,
        )
