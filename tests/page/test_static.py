"""The page's static files: served from a fixed map, hardened, complete in three languages."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import get_args

import pytest
from aiohttp.test_utils import TestClient

from companion.nlu.taxonomy import INTENTS, LANGUAGES
from companion.rules import models
from companion.web.routes_static import STATIC_ROOT, load_static_map

JS = sorted((STATIC_ROOT / "js").glob("*.js"))
CATALOGUES = ("en", "zh-Hans", "zh-Hant")


async def test_the_page_shell_is_served_without_a_token_with_a_strict_csp(
    companion: TestClient,
) -> None:
    response = await companion.get("/")
    assert response.status == 200
    assert response.content_type == "text/html"
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert '<script type="module" src="/js/main.js">' in await response.text()


async def test_scripts_styles_and_catalogues_have_their_content_types(
    companion: TestClient,
) -> None:
    for path, kind in (
        ("/js/main.js", "text/javascript"),
        ("/style.css", "text/css"),
        ("/i18n/zh-Hant.json", "application/json"),
    ):
        response = await companion.get(path)
        assert response.status == 200, path
        assert response.content_type == kind, path


@pytest.mark.parametrize(
    "path",
    [
        "/js/../index.html",
        "/%2e%2e/companion/settings.py",
        "/js/%2e%2e/index.html",
        "/js/..%2fmain.js",
        "/..\\companion\\settings.py",
        "/js/main.js%00.css",
        "/settings.py",
        "/js/",
        "//etc/passwd",
    ],
)
async def test_traversal_and_unknown_paths_are_404(companion: TestClient, path: str) -> None:
    assert await raw_status(companion.port, path) == 404, path


async def raw_status(port: int, path: str) -> int:
    """Send the path byte for byte (HTTP clients would normalise the dots away)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        writer.write(request.encode("latin-1"))
        await writer.drain()
        status_line = await reader.readline()
        await reader.read()
    finally:
        writer.close()
        await writer.wait_closed()
    return int(status_line.split()[1])


async def test_the_api_still_needs_a_token(companion: TestClient) -> None:
    assert (await companion.get("/api/v1/insights/products")).status == 401


def test_symlinks_and_unknown_file_types_are_not_served(tmp_path: Path) -> None:
    root = tmp_path / "static"
    root.mkdir()
    (root / "index.html").write_text("<!doctype html>", encoding="utf-8")
    (root / "notes.txt").write_text("private", encoding="utf-8")
    secret = tmp_path / "secret.json"
    secret.write_text("{}", encoding="utf-8")
    (root / "leak.json").symlink_to(secret)
    (root / "dir").symlink_to(tmp_path, target_is_directory=True)
    assert set(load_static_map(root)) == {"/", "/index.html"}


def test_no_file_of_the_page_uses_inner_html_eval_or_inline_code() -> None:
    for path in [*JS, STATIC_ROOT / "index.html"]:
        text = path.read_text(encoding="utf-8")
        for banned in (
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "eval(",
            "new Function",
            "document.write",
            'setAttribute("style"',
        ):
            assert banned not in text, f"{banned} in {path.name}"
    html = (STATIC_ROOT / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert not re.search(r"\sstyle=|<style", html)
    assert not re.search(r"\son[a-z]+=", html)


def _catalogue(code: str) -> dict[str, str]:
    return json.loads((STATIC_ROOT / "i18n" / f"{code}.json").read_text(encoding="utf-8"))


def test_the_three_catalogues_have_the_same_keys_and_every_key_the_page_uses() -> None:
    english = _catalogue("en")
    for code in CATALOGUES[1:]:
        assert set(_catalogue(code)) == set(english), code
    used = {key for path in JS for key in re.findall(r'\bt\("([a-z_.]+)"', path.read_text())}
    html = (STATIC_ROOT / "index.html").read_text(encoding="utf-8")
    used |= set(re.findall(r'data-i18n="([a-z_.]+)"', html))
    assert used - set(english) == set()
    for family, ids in (
        ("intent", INTENTS),
        ("lang", LANGUAGES),
        ("status", models.ORDER_STATUSES),
        ("ph", get_args(models.Placeholder)),
        ("entity", models.ENTITY_NAMES),
        ("action", models.ACTIONS),
    ):
        assert {f"{family}.{i}" for i in ids} <= set(english), family


def _js_list(name: str) -> list[str]:
    """The ids of a list (or the keys of an object) exported by vocab.js."""
    source = (STATIC_ROOT / "js" / "vocab.js").read_text(encoding="utf-8")
    match = re.search(rf"export const {name} = ([\[{{])(.*?)[\]}}];", source, re.S)
    assert match, name
    if match.group(1) == "{":
        return re.findall(r"(\w+):", match.group(2))
    return re.findall(r'"([\w-]+)"', match.group(2))


def test_the_editors_vocabularies_match_the_rule_model() -> None:
    assert _js_list("INTENTS") == list(INTENTS)
    assert _js_list("LANGS") == list(LANGUAGES)
    assert _js_list("ORDER_STATUSES") == list(models.ORDER_STATUSES)
    assert _js_list("ACTIONS") == list(models.ACTIONS)
    assert _js_list("ENTITIES") == list(models.ENTITY_NAMES)
    assert _js_list("WEEKDAYS") == list(models.WEEKDAYS)
    assert _js_list("PLACEHOLDERS") == list(get_args(models.Placeholder))
    conditions = (STATIC_ROOT / "js" / "conditions.js").read_text(encoding="utf-8")
    builder = set(re.findall(r"^  (\w+): \{ empty", conditions, re.M))
    assert builder == set(models.Conditions.model_fields)
