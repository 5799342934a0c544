"""Reply templates: `{{name}}` placeholders from a fixed allow-list, filled in one pass.

No `str.format`, `%`, Jinja or eval: a small scanner copies the literal text
and drops each value in verbatim. Values are never scanned again, so a buyer
called `{{voucher_code}}` stays literal (security.md 3.6 R3). A placeholder
without data makes the whole render fail (`missing` is not empty): a reply is
never sent with a hole in it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

MAX_TEMPLATE_CHARS: Final = 600  # Shopee's send_message text limit (shopee doc 7.4)
MAX_VALUE_CHARS: Final = 200
PLACEHOLDERS: Final = (
    "buyer_name", "order_sn", "order_status", "tracking_number", "carrier",
    "last_tracking_event", "last_tracking_time", "eta", "ship_by_date", "item_name",
    "variant_name", "variant_stock", "in_stock_variants", "shipping_fee", "shop_name",
    "voucher_code", "item_attribute", "attribute_name", "recommended_size", "size_reason",
    "nearest_size", "size_question", "recommendations", "recommendation_links", "which_item",
)
_PLACEHOLDER_RE: Final = re.compile(r"\{\{\s*([^{}]{0,40}?)\s*\}\}")


def placeholders_in(text: str) -> list[str]:
    """Placeholder names a template uses, in order of appearance."""
    return [m.group(1) for m in _PLACEHOLDER_RE.finditer(text)]


def template_problem(text: str) -> str | None:
    """Why a template cannot be saved, or None."""
    if not text.strip():
        return "template is empty"
    if len(text) > MAX_TEMPLATE_CHARS:
        return f"template is {len(text)} characters; Shopee allows {MAX_TEMPLATE_CHARS}"
    unknown = [name for name in placeholders_in(text) if name not in PLACEHOLDERS]
    if unknown:
        return f"unknown placeholder {{{{{unknown[0]}}}}}; allowed: {', '.join(PLACEHOLDERS)}"
    rest = _PLACEHOLDER_RE.sub("", text)
    if "{{" in rest or "}}" in rest:
        return "stray '{{' or '}}' outside a placeholder"
    return None


@dataclass(frozen=True, slots=True)
class Rendered:
    """A filled template; `text` is None when any placeholder had no data."""

    text: str | None
    missing: tuple[str, ...] = ()
    used: dict[str, str] = field(default_factory=dict)


def _clean(value: str) -> str:
    """One line, bounded: a value must not smuggle in line breaks or pages of text."""
    return " ".join(value.split())[:MAX_VALUE_CHARS]


def render(text: str, values: Mapping[str, str | None]) -> Rendered:
    """Fill `text` in one pass from `values`; unknown or empty values count as missing."""
    out: list[str] = []
    missing: list[str] = []
    used: dict[str, str] = {}
    last = 0
    for match in _PLACEHOLDER_RE.finditer(text):
        out.append(text[last : match.start()])
        last = match.end()
        name = match.group(1)
        value = values.get(name) if name in PLACEHOLDERS else None
        value = _clean(value) if value is not None else ""
        if not value:
            missing.append(name)
            continue
        used[name] = value
        out.append(value)
    out.append(text[last:])
    if missing:
        return Rendered(None, tuple(dict.fromkeys(missing)), used)
    return Rendered("".join(out), (), used)
