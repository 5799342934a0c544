"""Follow-ups read time only through the injected clock, so tests can move it."""

from __future__ import annotations

from pathlib import Path

import companion.followups
from tests.test_layers import imported_modules


def test_no_clock_is_read_behind_the_injected_one() -> None:
    folder = Path(companion.followups.__file__).parent
    hidden = [f.name for f in folder.glob("*.py")
              if "time" in imported_modules(f) or ".now(" in f.read_text("utf-8")]
    assert hidden == []
