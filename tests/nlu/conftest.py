"""NLU fixtures: a model trained once per session on the small fixture corpus."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from companion.nlu.model import HyperParams
from companion.nlu.train import train_all

FIXTURES = Path(__file__).with_name("fixtures")
FIXTURE_LANGUAGES = ("en", "zh-Hans", "id", "th")
# Tiny corpus: more epochs, a higher rate, no quantization (on a matrix this small fastText
# quantization sometimes yields NaN rows; the shipped model is quantized and probed).
FIXTURE_PARAMS = HyperParams(epoch=150, lr=0.5, dim=16, bucket=5000, quantize=False, loss="softmax")
FIXTURE_WORD = HyperParams(
    epoch=150, lr=0.5, dim=16, bucket=5000, quantize=False, loss="softmax", minn=0, maxn=0
)
FIXTURE_AUX = HyperParams(
    epoch=150, lr=0.5, dim=16, bucket=5000, quantize=False, keyword_hints=False
)


@pytest.fixture(scope="session")
def fixture_training(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float, dict]:
    """(model path, seconds taken, metadata) of a model trained on tests/nlu/fixtures/corpus."""
    out = tmp_path_factory.mktemp("model") / "intent.ftz"
    started = time.perf_counter()
    meta = train_all(
        FIXTURES / "corpus",
        out,
        FIXTURE_PARAMS,
        progress=lambda _: None,
        aux_params=FIXTURE_AUX,
        minimum=3,
        languages=FIXTURE_LANGUAGES,
        word_params=FIXTURE_WORD,
    )
    return out, time.perf_counter() - started, meta


@pytest.fixture(scope="session")
def fixture_model(fixture_training: tuple[Path, float, dict]) -> Path:
    """Path of the fixture-trained intent model (siblings next to it)."""
    return fixture_training[0]
