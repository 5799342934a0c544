"""`yiwaiwai eval`: tables for the model and the keyword baseline, then one JSON line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.nlu.conftest import FIXTURES


def test_eval_prints_tables_and_a_machine_readable_last_line(fixture_model: Path) -> None:
    done = subprocess.run(
        [
            sys.executable, "-m", "companion", "eval",
            "--model", str(fixture_model),
            "--corpus", str(FIXTURES / "corpus"),
            "--split", "train",
            "--classify-lines", "2000",
        ],
        capture_output=True, text=True, timeout=120, check=True,
    )
    lines = done.stdout.strip().splitlines()
    summary = json.loads(lines[-1])
    assert "fastText" in done.stdout and "keywords" in done.stdout
    assert summary["model"]["n"] == summary["baseline"]["n"] > 0
    assert 0.0 <= summary["model"]["accuracy"] <= 1.0
    assert set(summary["model"]["per_language"]) <= {"en", "zh-Hans", "id", "th"}
    perf = summary["performance"]
    # The end-to-end run really went through a `classify` process: one answer per line.
    assert perf["classify_lines"] == perf["classify_answered"] == 2000
    assert perf["classify_msgs_per_cpu_s"] > 0 and perf["classify_peak_rss_mb"] > 0
