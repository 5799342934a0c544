"""Dependencies point one way: web and tray on top, then pipeline, then the core packages.

Checked on the import statements themselves (ast), so a violation anywhere in a
module — even inside a function — fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "companion"
TOP = ("companion.web", "companion.tray", "companion.traybridge", "companion.runtime")
CORE = ("nlu", "rules", "shopee", "store", "sandbox", "listing")


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def modules_importing(folder: str, forbidden: tuple[str, ...]) -> list[str]:
    paths = sorted((PACKAGE / folder).rglob("*.py"))
    assert paths, f"no modules found in companion/{folder}"
    offenders = []
    for path in paths:
        bad = [m for m in imported_modules(path) if m.startswith(forbidden)]
        if bad:
            offenders.append(f"{path.relative_to(PACKAGE)} imports {', '.join(sorted(bad))}")
    return offenders


@pytest.mark.parametrize("folder", [*CORE, "pipeline", "followups"])
def test_lower_layers_never_import_the_web_layer_or_the_tray(folder: str) -> None:
    assert modules_importing(folder, TOP) == []


@pytest.mark.parametrize("folder", CORE)
def test_core_packages_never_import_the_pipeline(folder: str) -> None:
    assert modules_importing(folder, ("companion.pipeline", "companion.followups")) == []


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [("store", ("aiohttp",)), ("followups", ("companion.sandbox", "aiohttp"))],
)
def test_the_store_and_follow_ups_stay_off_aiohttp_and_the_sandbox(
    folder: str, forbidden: tuple[str, ...]
) -> None:
    assert modules_importing(folder, forbidden) == []


def test_the_sandbox_never_imports_the_client_it_is_meant_to_check() -> None:
    assert modules_importing("sandbox", ("companion.shopee",)) == []
