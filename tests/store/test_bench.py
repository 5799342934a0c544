"""`yiwaiwai bench --store` runs end to end on a small log and prints the comparison."""

from __future__ import annotations

import pytest

from companion.cli import main


def test_the_store_benchmark_prints_both_engines(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "--store", "--messages", "400", "--tinydb-budget", "0.2"]) == 0
    out = capsys.readouterr().out
    assert "SQLite (WAL)" in out and "TinyDB 4.9" in out
    assert "dedupe lookup" in out and "peak RSS" in out
    # Both engines ran the same KPI code on the same history.
    summary = out.strip().splitlines()[-1]
    chats = summary.split("computed ")[1].split(" chats")[0].split(" / ")
    assert chats[0] == chats[1]

