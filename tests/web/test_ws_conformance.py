"""Doc, server models and extension cannot drift: protocol.md, protocol.py, protocol.js."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import pytest

from companion import protocol
from companion.web.pins import SHIPPED_EXTENSION_ID

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "companion" / "protocol.md"
EXTENSION = ROOT / "extension"


def doc_examples() -> list[dict[str, object]]:
    blocks = re.findall(r"```json\n(.*?)\n```", DOC.read_text(encoding="utf-8"), re.S)
    return [json.loads(block) for block in blocks]


def js_list(name: str) -> list[str]:
    source = (EXTENSION / "src" / "protocol.js").read_text(encoding="utf-8")
    match = re.search(rf"export const {name} = (\[.*?\]);", source, re.S)
    assert match, f"{name} not found in protocol.js"
    return json.loads(match.group(1))


@pytest.mark.parametrize("example", doc_examples(), ids=lambda e: str(e["type"]))
def test_every_doc_example_parses_through_the_models(example: dict[str, object]) -> None:
    if example["type"] in protocol.CLIENT_TYPES:
        protocol.parse_client_frame(example)
    else:
        protocol.parse_server_frame(example)


def test_every_message_type_has_an_example_in_the_doc() -> None:
    documented = {e["type"] for e in doc_examples()}
    assert documented == set(protocol.SERVER_TYPES) | set(protocol.CLIENT_TYPES)


def test_every_error_code_and_close_code_is_in_the_doc_tables() -> None:
    text = DOC.read_text(encoding="utf-8")
    for code in protocol.ERROR_CODES:
        assert f"| `{code}` |" in text, code
    for close in protocol.CLOSE_CODES:
        assert f"| `{close}` |" in text, close


def test_the_extension_knows_the_same_message_types() -> None:
    assert js_list("COMMAND_TYPES") == list(protocol.COMMAND_TYPES)
    assert js_list("EVENT_TYPES") == list(protocol.EVENT_TYPES)
    assert js_list("HANDSHAKE_TYPES") == list(protocol.HANDSHAKE_TYPES)


def test_the_extension_maps_every_error_code_and_close_code() -> None:
    source = (EXTENSION / "src" / "protocol.js").read_text(encoding="utf-8")
    for code in protocol.ERROR_CODES:
        assert re.search(rf"^\s+{code}: \"err\w+\",$", source, re.M), code
    for close in (protocol.CLOSE_UNAUTHORIZED, protocol.CLOSE_PROTOCOL, protocol.CLOSE_REVOKED):
        assert f"{close}: " in source


def test_pipeline_event_names_are_all_protocol_events() -> None:
    from companion.pipeline import events

    assert set(events.EVENT_TYPES) <= set(protocol.EVENT_TYPES)


def test_unknown_fields_in_a_command_are_refused() -> None:
    with pytest.raises(ValueError):
        protocol.parse_client_frame({"v": 1, "type": "ping", "id": 1, "url": "x"})


def test_the_shipped_extension_id_comes_from_the_manifest_key() -> None:
    manifest = json.loads((EXTENSION / "manifest.json").read_text(encoding="utf-8"))
    digest = hashlib.sha256(base64.b64decode(manifest["key"])).hexdigest()[:32]
    assert "".join(chr(ord("a") + int(c, 16)) for c in digest) == SHIPPED_EXTENSION_ID


def test_every_message_key_the_extension_uses_exists_in_each_locale() -> None:
    used: set[str] = set()
    for path in (EXTENSION / "src").rglob("*"):
        if path.suffix in {".js", ".html"}:
            text = path.read_text(encoding="utf-8")
            used |= set(re.findall(r"\bt\(\"([A-Za-z_]+)\"", text))
            used |= set(re.findall(r"data-i18n=\"([A-Za-z_]+)\"", text))
            used |= set(re.findall(r"\"(err[A-Z]\w+)\"", text))
    used |= {"extName", "extDescription"}
    for locale in ("en", "zh_CN", "zh_TW"):
        messages = json.loads(
            (EXTENSION / "_locales" / locale / "messages.json").read_text("utf-8")
        )
        assert used <= set(messages), (locale, sorted(used - set(messages)))


def test_the_extension_never_uses_innerhtml_or_eval() -> None:
    for path in EXTENSION.rglob("*.js"):
        text = path.read_text(encoding="utf-8")
        for banned in ("innerHTML", "outerHTML", "insertAdjacentHTML", "eval(", "new Function"):
            assert banned not in text, (path.name, banned)


def test_the_content_script_runs_on_every_market_and_all_selectors_live_in_one_module() -> None:
    manifest = json.loads((EXTENSION / "manifest.json").read_text(encoding="utf-8"))
    matches = manifest["content_scripts"][0]["matches"]
    for host in ("seller.shopee.cn", "seller.shopee.tw", "seller.shopee.co.id",
                 "seller.shopee.com.my", "seller.shopee.co.th", "seller.shopee.ph",
                 "seller.shopee.sg", "seller.shopee.com.br", "seller.shopee.com.mx",
                 "seller.shopee.com.co", "seller.shopee.cl", "banhang.shopee.vn"):  # fmt: skip
        assert f"https://{host}/*" in matches
    for path in (EXTENSION / "src").rglob("*.js"):
        if path.name != "selectors.js":
            assert "data-cy" not in path.read_text(encoding="utf-8"), path.name
