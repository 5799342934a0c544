"""Follow-ups sit beside the pipeline: they never import the web layer or the tray."""

from __future__ import annotations

import ast
from pathlib import Path

import companion.followups

FORBIDDEN = ("companion.web", "companion.tray", "companion.sandbox", "aiohttp")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_follow_ups_import_nothing_from_higher_layers_or_the_sandbox() -> None:
    folder = Path(companion.followups.__file__).parent
    files = sorted(folder.glob("*.py"))
    assert len(files) > 5
    bad = {(f.name, n) for f in files for n in _imports(f) if n.startswith(FORBIDDEN)}
    assert bad == set()


def test_no_clock_is_read_behind_the_injected_one() -> None:
    folder = Path(companion.followups.__file__).parent
    hidden = [f.name for f in folder.glob("*.py")
              if "time" in _imports(f) or ".now(" in f.read_text("utf-8")]
    assert hidden == []
