"""Rule packs on disk: load and validate a pack file, and the default rules for a shop.

Default packs live in `rules/<voice>/<language>.json` (see `rules/README.md`).
All thirty share the same rule ids and conditions and differ only in their
templates, so installing several languages merges them into one rule set
whose rules answer in each buyer's language.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from pydantic import ValidationError

from companion.nlu.taxonomy import LANGUAGES
from companion.rules.models import VOICES, Rule, RulePack

DEFAULT_VOICE = "professional"


class PackError(ValueError):
    """A pack file is missing, not JSON, or not valid against the schema (message says where)."""


def packs_dir() -> Path:
    """The `rules/` folder of the project (next to the `companion` package)."""
    return Path(__file__).resolve().parents[2] / "rules"


def default_pack_path(language: str, voice: str = DEFAULT_VOICE, root: Path | None = None) -> Path:
    return (root or packs_dir()) / voice / f"{language}.json"


def validation_summary(exc: ValidationError, limit: int = 5) -> str:
    """`rules.3.templates.en: unknown placeholder ...` lines, the first few."""
    lines = [
        f"{'.'.join(str(p) for p in err['loc']) or 'pack'}: {err['msg']}"
        for err in exc.errors(include_url=False, include_input=False)[:limit]
    ]
    return "; ".join(lines)


def parse_pack(raw: str | bytes, source: str = "pack") -> RulePack:
    """Validate pack JSON text; raises `PackError` naming the field."""
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise PackError(f"{source}: not valid JSON: {exc}") from exc
    try:
        return RulePack.model_validate(data)
    except ValidationError as exc:
        raise PackError(f"{source}: {validation_summary(exc)}") from exc


def load_pack(path: Path) -> RulePack:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PackError(f"{path}: cannot read: {exc.strerror}") from exc
    return parse_pack(raw, str(path))


def merge_rules(packs: Iterable[RulePack]) -> list[Rule]:
    """One rule per id, in first-seen order, with the templates of every pack combined."""
    merged: dict[str, Rule] = {}
    for pack in packs:
        for rule in pack.rules:
            old = merged.get(rule.id)
            if old is None:
                merged[rule.id] = rule
            else:
                templates = {**old.templates, **rule.templates}
                merged[rule.id] = old.model_copy(update={"templates": templates})
    return list(merged.values())


def default_rules(languages: Iterable[str], voice: str = DEFAULT_VOICE,
                  root: Path | None = None) -> list[Rule]:
    """The default rules for a shop answering in `languages` (unknown codes are skipped)."""
    if voice not in VOICES:
        raise PackError(f"unknown voice {voice}; choose one of {', '.join(VOICES)}")
    wanted = [lang for lang in dict.fromkeys(languages) if lang in LANGUAGES] or ["en"]
    return merge_rules(load_pack(default_pack_path(lang, voice, root)) for lang in wanted)
