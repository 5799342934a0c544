"""The store is a lower layer: it must not import the pipeline, the web layer or the tray."""

from __future__ import annotations

import ast
from pathlib import Path

import companion.store

FORBIDDEN = ("companion.web", "companion.pipeline", "companion.tray", "aiohttp")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_store_imports_nothing_from_higher_layers() -> None:
    folder = Path(companion.store.__file__).parent
    files = sorted(folder.glob("*.py"))
    assert len(files) > 5
    bad = {(f.name, name) for f in files for name in _imports(f)
           if name.startswith(FORBIDDEN)}
    assert bad == set()
