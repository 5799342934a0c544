"""`yiwaiwai classify` as a real subprocess: streaming, order, bad lines."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _start(model: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "companion", "classify", "--model", str(model), *extra],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


def test_classify_keeps_order_and_reports_bad_lines(fixture_model: Path) -> None:
    lines = [
        json.dumps({"id": 1, "text": "have you shipped my order yet"}),
        "{not json",
        json.dumps({"id": "b", "text": "还有货吗"}),
        json.dumps({"id": 3}),
        json.dumps({"id": 4, "text": "ขอยกเลิกออเดอร์"}),
    ]
    proc = _start(fixture_model)
    out, err = proc.communicate("\n".join(lines) + "\n", timeout=60)
    assert proc.returncode == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert [row.get("id") for row in rows] == [1, None, "b", 3, 4]
    assert "error" in rows[1]
    assert "error" in rows[3]
    first = rows[0]
    assert set(first) >= {
        "id",
        "intent",
        "pillar",
        "confidence",
        "language",
        "negative",
        "wants_human",
    }
    assert first["language"] == "en"
    assert first["pillar"] in {"pre_sale", "logistics", "after_sale", "general"}
    assert first["confidence"] == round(first["confidence"], 4)
    assert rows[2]["language"] == "zh-Hans"
    assert rows[4]["language"] == "th"


def test_classify_answers_each_line_before_stdin_closes(fixture_model: Path) -> None:
    proc = _start(fixture_model, "--entities")
    assert proc.stdin is not None and proc.stdout is not None
    try:
        for n, text in enumerate(["hi", "order 231124QW8E7R2K where?"]):
            proc.stdin.write(json.dumps({"id": n, "text": text}) + "\n")
            proc.stdin.flush()
            row = json.loads(proc.stdout.readline())
            assert row["id"] == n
        assert row["entities"]["order_sns"] == ["231124QW8E7R2K"]
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)
        proc.stdout.close()
        assert proc.stderr is not None
        proc.stderr.close()
    assert proc.returncode == 0


def test_classify_without_a_model_fails_clearly(tmp_path: Path) -> None:
    proc = _start(tmp_path / "missing.ftz")
    _, err = proc.communicate("", timeout=60)
    assert proc.returncode == 2
    assert "yiwaiwai train" in err
