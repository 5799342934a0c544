"""The seller's intent corrections, kept as shop examples for `train --shop`.

One JSON line per correction in `<data_dir>/shop/corrections.jsonl` (0600,
append-only, so a crash loses at most the line being written). When the same
message (after normalisation) was corrected twice, the latest label wins.
Kept here rather than in the chat store because it is training data, read
whole by the trainer and never queried.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from companion.nlu.normalize import normalize
from companion.nlu.taxonomy import INTENTS, LANGUAGES
from companion.securefile import check_private, ensure_private_dir

log = logging.getLogger(__name__)
MAX_TEXT = 2000


def corrections_path(data_dir: Path) -> Path:
    return data_dir / "shop" / "corrections.jsonl"


class InvalidCorrectionError(ValueError):
    """The correction names an unknown intent or language, or has no usable text."""


@dataclass(frozen=True, slots=True)
class Correction:
    """One message relabelled by the seller."""

    id: str
    text: str
    intent: str
    lang: str
    at: float
    previous_intent: str | None = None
    message_id: str | None = None

    @property
    def norm(self) -> str:
        return normalize(self.text)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class ShopExamples:
    """Append and read the corrections file; safe to share between threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def add(
        self,
        text: str,
        intent: str,
        lang: str,
        *,
        previous_intent: str | None = None,
        message_id: str | None = None,
    ) -> Correction:
        """Validate and append one correction; returns it."""
        text = text.strip()
        if not text or len(text) > MAX_TEXT or not normalize(text):
            raise InvalidCorrectionError("text is empty or too long")
        if intent not in INTENTS:
            raise InvalidCorrectionError(f"unknown intent {intent!r}")
        if lang not in LANGUAGES:
            raise InvalidCorrectionError(f"unknown language {lang!r}")
        correction = Correction(
            secrets.token_hex(8), text, intent, lang, time.time(), previous_intent, message_id
        )
        line = json.dumps(correction.as_dict(), ensure_ascii=False) + "\n"
        with self._lock:
            ensure_private_dir(self.path.parent)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line.encode("utf-8"))
                os.fsync(fd)
            finally:
                os.close(fd)
        return correction

    def all(self) -> list[Correction]:
        """Every distinct corrected message, latest label per normalised text, oldest first."""
        if not self.path.exists():
            return []
        with self._lock:
            check_private(self.path)
            raw = self.path.read_text(encoding="utf-8")
        latest: dict[str, Correction] = {}
        for number, line in enumerate(raw.splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                correction = Correction(**row)
            except (ValueError, TypeError):
                log.warning("skipping unreadable correction on line %d", number)
                continue
            if correction.intent in INTENTS and correction.lang in LANGUAGES:
                latest.pop(correction.norm, None)
                latest[correction.norm] = correction
        return list(latest.values())
