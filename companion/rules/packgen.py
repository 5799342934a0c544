"""Build the thirty default packs `rules/<voice>/<language>.json` from `rules/source/`.

Why generated: the rule ids and conditions must be identical in every pack
(so packs of several languages merge), while the text is written per
language. `rules/source/rules.json` holds the shared rules; each
`rules/source/<language>.json` holds the professional text per rule id, an
optional `<id>@<voice>` override, the voice frame (prefix / suffix) used for
the other voices, and the order-note text. Run
`python -m companion.rules.packgen` after editing a source file; a test
checks the packs on disk equal this output.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from companion.nlu.taxonomy import LANGUAGES
from companion.rules.models import VOICES, RulePack
from companion.rules.packs import packs_dir

_UNSPACED = frozenset({"zh-Hans", "zh-Hant", "th"})
_SHARED_KEYS = ("id", "name", "priority", "action", "when", "add_tags", "enabled", "allow_urls")


def _framed(text: str, frame: dict[str, str], language: str) -> str:
    prefix, suffix = frame.get("prefix", ""), frame.get("suffix", "")
    if prefix.endswith(", ") and text[:1].isupper() and text[1:2].islower():
        text = text[0].lower() + text[1:]
    gap = "" if language in _UNSPACED else " "
    return f"{prefix}{text}{gap if suffix else ''}{suffix}"


def _text(source: dict[str, Any], rule_id: str, voice: str) -> str | None:
    texts = source["texts"]
    if f"{rule_id}@{voice}" in texts:
        return str(texts[f"{rule_id}@{voice}"])
    if rule_id not in texts:
        return None
    base = str(texts[rule_id])
    if voice == "professional":
        return base
    return _framed(base, source["voices"][voice], source["language"])


def build_pack(shared: list[dict[str, Any]], source: dict[str, Any], voice: str) -> RulePack:
    """One language and voice; raises pydantic's ValidationError when a text breaks a limit."""
    language = source["language"]
    rules = []
    for entry in shared:
        rule = {key: entry[key] for key in _SHARED_KEYS if key in entry}
        text = _text(source, entry["id"], voice)
        if text is not None:
            rule["templates"] = {language: text}
        if entry.get("note"):
            rule["order_note"] = source["note"]
        rules.append(rule)
    return RulePack.model_validate({
        "name": f"yiwaiwai defaults: {language}, {voice} voice",
        "description": "Every intent of the three pillars, with live order, tracking and stock "
                       "data. Edit freely; re-import to reset.",
        "languages": [language], "voice": voice, "rules": rules,
    })


def pack_json(pack: RulePack) -> str:
    """The exact text written to disk (stable, so the drift test can compare)."""
    data = pack.model_dump(mode="json", exclude_defaults=True)
    data["format"] = pack.format
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def build_all(root: Path | None = None) -> dict[Path, str]:
    """{path: text} for every default pack."""
    root = root or packs_dir()
    shared = json.loads((root / "source" / "rules.json").read_text(encoding="utf-8"))["rules"]
    out: dict[Path, str] = {}
    for language in LANGUAGES:
        source = json.loads((root / "source" / f"{language}.json").read_text(encoding="utf-8"))
        for voice in VOICES:
            out[root / voice / f"{language}.json"] = pack_json(build_pack(shared, source, voice))
    return out


def main() -> int:
    for path, text in build_all().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(path, file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
