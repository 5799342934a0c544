"""Size advice: the buyer's height, weight or foot length against the item's own size chart.

Units buyers write are converted first: cm, m ("1m65", "1.65 m"), ft/in
(5'7"), kg, 斤 (half a kilo), lb; foot length in cm, mm or inches. The chart
decides, never a rule of thumb: a size is recommended only when the
measurements fall inside (or within a small tolerance of) a row's ranges.
Missing measurements are asked for in the buyer's language; a recommended size
that is sold out is said to be, with the nearest size still in stock.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from companion.listing.knowledge import ItemKnowledge, SizeChart
from companion.listing.phrases import phrase, words
from companion.listing.text import find_term, fold

KG_PER_JIN = 0.5
KG_PER_LB = 0.45359237
CM_PER_INCH = 2.54
CM_PER_FOOT = 30.48
HEIGHT_RANGE = (90.0, 230.0)
WEIGHT_RANGE = (15.0, 200.0)
FOOT_RANGE = (12.0, 35.0)
# How far outside the chart a measurement may be and still get its nearest size.
TOLERANCE = {"height": 3.0, "weight": 3.0, "foot": 0.5}
DIMENSIONS = ("height", "weight", "foot")

# A decimal comma takes one digit only, so "1米65，60公斤" is not read as 65.60 kg.
_N = r"(\d+(?:\.\d+|,\d(?!\d))?)"
_FT_IN = re.compile(r"(?<![\d.])([3-7])\s*(?:'|ft|feet|foot|呎)\s*(\d{1,2}(?:\.\d)?)?\s*"
                    r"(?:\"|''|in\b|inch(?:es)?|吋)?")
_METRES = re.compile(r"(?<![\d.,])([12])\s*(?:[.,](\d{1,2})\s*(?:m|米)(?![a-z])"
                     r"|(?:m|米)\s*(\d{1,2})(?!\d)|(?:m|米)(?![a-z]))")
_BARE_METRES = re.compile(r"(?<![\d.,])(1[.,][4-9]\d?)(?![\d.,])")
_CM = re.compile(_N + r"\s*(?:cm|cms|centimet(?:er|re|ro)s?|公分|厘米|ซม\.?|เซน(?:ติเมตร)?)")
_MM = re.compile(_N + r"\s*(?:mm|毫米|มม\.?)")
_INCH = re.compile(_N + r"\s*(?:\"|in\b|inch(?:es)?|吋|英寸)")
_KG = re.compile(_N + r"\s*(?:kg|kgs|kilos?|kilograms?|kilogramos?|quilos?|公斤|千克|กก\.?"
                      r"|กิโล(?:กรัม)?|ký|kí|ki\b)")
_JIN = re.compile(_N + r"\s*斤")
_LB = re.compile(_N + r"\s*(?:lbs?|pounds?|libras?)\b")
_HEIGHT_CUE = re.compile(r"(?:height|tall|tinggi(?: badan)?|tb|cao|altura|mido|estatura|taas"
                         r"|身高|身長|ส่วนสูง|สูง)\s*[:：=]?\s*" + _N)
_WEIGHT_CUE = re.compile(r"(?:weight|weigh|berat(?: badan)?|bb|nặng|cân nặng|peso|bigat"
                         r"|timbang|体重|體重|น้ำหนัก|หนัก)\s*[:：=]?\s*" + _N)
_FOOT_CUE = ("foot length", "feet length", "foot", "feet", "panjang kaki", "kaki", "chân",
             "bàn chân", "pie", "pé", "paa", "脚长", "腳長", "脚", "腳", "เท้า", "ความยาวเท้า")
_SLASH_PAIR = re.compile(r"(?<![\d.])(1[4-9]\d)\s*[/,]\s*(\d{2,3})(?![\d.])")


@dataclass(frozen=True, slots=True)
class Measurements:
    """Body measures in cm and kg; None when the buyer did not give them."""

    height_cm: float | None = None
    weight_kg: float | None = None
    foot_cm: float | None = None

    def get(self, dimension: str) -> float | None:
        return {"height": self.height_cm, "weight": self.weight_kg,
                "foot": self.foot_cm}[dimension]


@dataclass(frozen=True, slots=True)
class SizeAdvice:
    """The outcome: `recommend` (size + reason), `ask` (question), or no advice."""

    status: str  # recommend | ask | out_of_chart | no_chart
    size: str | None = None
    reason: str = ""
    question: str = ""
    missing: tuple[str, ...] = ()
    sold_out: bool = False
    nearest_in_stock: str | None = None
    measurements: Measurements = Measurements()


def _num(text: str) -> float:
    return float(text.replace(",", "."))


def _inside(value: float | None, bounds: tuple[float, float]) -> float | None:
    return value if value is not None and bounds[0] <= value <= bounds[1] else None


def parse_height(folded: str) -> float | None:
    """Height in cm from ft/in, metres, centimetres or a height word with a bare number."""
    if (m := _FT_IN.search(folded)) and not _foot_context(folded, m.start()):
        inches = _num(m.group(2)) if m.group(2) else 0.0
        return _inside(round(int(m.group(1)) * CM_PER_FOOT + inches * CM_PER_INCH, 1),
                       HEIGHT_RANGE)
    if m := _METRES.search(folded):
        tail = m.group(2) or m.group(3) or ""
        return _inside(float(int(m.group(1)) * 100 + (int(tail.ljust(2, "0")) if tail else 0)),
                       HEIGHT_RANGE)
    for m in _CM.finditer(folded):
        value = _num(m.group(1))
        if value >= 100:
            return _inside(value, HEIGHT_RANGE)
    if m := _HEIGHT_CUE.search(folded):
        value = _num(m.group(1))
        return _inside(value * 100 if value < 3 else value, HEIGHT_RANGE)
    if m := _SLASH_PAIR.search(folded):
        return _inside(float(m.group(1)), HEIGHT_RANGE)
    if m := _BARE_METRES.search(folded):
        return _inside(float(round(_num(m.group(1)) * 100)), HEIGHT_RANGE)
    return None


def parse_weight(folded: str) -> float | None:
    """Weight in kg from kg, 斤 (0.5 kg; 公斤 is kg), lb, or a weight word with a bare number."""
    for m in _JIN.finditer(folded):
        if folded[max(0, m.end() - 2):m.end()] != "公斤":
            return _inside(round(_num(m.group(1)) * KG_PER_JIN, 1), WEIGHT_RANGE)
    if m := _KG.search(folded):
        return _inside(_num(m.group(1)), WEIGHT_RANGE)
    if m := _LB.search(folded):
        return _inside(round(_num(m.group(1)) * KG_PER_LB, 1), WEIGHT_RANGE)
    if m := _WEIGHT_CUE.search(folded):
        return _inside(_num(m.group(1)), WEIGHT_RANGE)
    if m := _SLASH_PAIR.search(folded):
        return _inside(float(m.group(2)), WEIGHT_RANGE)
    return None


def _foot_context(folded: str, position: int) -> bool:
    """Whether a foot-length word sits near `position` (so "foot" is not a height unit)."""
    window = folded[max(0, position - 25):position + 25]
    return any(find_term(window, cue) >= 0 for cue in _FOOT_CUE if cue not in {"foot", "feet"}) \
        or bool(re.search(r"(?:foot|feet)\s*(?:length|is|:)", window))


def parse_foot(folded: str, *, shoes: bool) -> float | None:
    """Foot length in cm; a bare 12-35 cm value counts only for shoes or next to a foot word."""
    has_cue = any(find_term(folded, cue) >= 0 for cue in _FOOT_CUE)
    if not (has_cue or shoes):
        return None
    if m := _MM.search(folded):
        return _inside(_num(m.group(1)) / 10, FOOT_RANGE)
    for m in _CM.finditer(folded):
        value = _inside(_num(m.group(1)), FOOT_RANGE)
        if value is not None:
            return value
    if m := _INCH.search(folded):
        return _inside(round(_num(m.group(1)) * CM_PER_INCH, 1), FOOT_RANGE)
    if has_cue:
        for m in re.finditer(r"(?<![\d.,])(\d{2}(?:[.,]\d)?)(?![\d.,])", folded):
            if (value := _inside(_num(m.group(1)), FOOT_RANGE)) is not None:
                return value
    return None


def parse_measurements(text: str, *, shoes: bool = False) -> Measurements:
    """All measures the text gives, converted to cm and kg."""
    folded = fold(text)
    foot = parse_foot(folded, shoes=shoes)
    height = None if shoes and foot is not None else parse_height(folded)
    return Measurements(height, parse_weight(folded), foot)


# --- the chart -----------------------------------------------------------------------------------

_COLUMN_CUES = {
    "height": ("height", "身高", "tinggi", "chiều cao", "altura", "estatura", "ส่วนสูง"),
    "weight": ("weight", "體重", "体重", "berat", "cân nặng", "peso", "น้ำหนัก"),
    "foot": ("foot", "腳長", "脚长", "kaki", "chân", "pé", "pie", "เท้า"),
}


@dataclass(frozen=True, slots=True)
class ChartRow:
    """One size with the ranges the chart gives for it (lo, hi) per dimension."""

    size: str
    ranges: dict[str, tuple[float, float]]


def _cell_range(cell: str) -> tuple[float, float] | None:
    numbers = [_num(n) for n in re.findall(r"\d+(?:[.,]\d+)?", cell)]
    if not numbers:
        return None
    return (min(numbers), max(numbers))


def chart_rows(chart: SizeChart) -> tuple[tuple[str, ...], list[ChartRow]]:
    """Which dimensions the chart covers and its rows; foot lengths are maxima (lo = prev hi)."""
    columns: dict[str, int] = {}
    for index, head in enumerate(chart.columns[1:], start=1):
        folded = fold(head)
        for dimension, cues in _COLUMN_CUES.items():
            if dimension not in columns and any(c in folded for c in cues):
                columns[dimension] = index
    rows: list[ChartRow] = []
    for row in chart.rows:
        ranges = {}
        for dimension, index in columns.items():
            if index < len(row) and (cell := _cell_range(row[index])) is not None:
                ranges[dimension] = cell
        rows.append(ChartRow(row[0], ranges))
    if "foot" in columns:  # a single foot length per size: it fits feet up to that length
        previous = None
        for row in rows:
            lo, hi = row.ranges.get("foot", (0.0, 0.0))
            if lo == hi:
                row.ranges["foot"] = ((previous + 0.01) if previous else hi - 0.5, hi)
            previous = hi
    return tuple(d for d in DIMENSIONS if d in columns), rows


def _fits(value: float, bounds: tuple[float, float], slack: float = 0.0) -> bool:
    return bounds[0] - slack <= value <= bounds[1] + slack


def _best_row(rows: Sequence[ChartRow], dimension: str, value: float) -> tuple[int, bool] | None:
    """Index of the row whose range holds `value` (closest centre on overlaps), and whether
    it needed the tolerance; None when the value is off the chart."""
    for slack, edge in ((0.0, False), (TOLERANCE[dimension], True)):
        hits = [i for i, r in enumerate(rows)
                if dimension in r.ranges and _fits(value, r.ranges[dimension], slack)]
        if hits:
            def centre_distance(i: int) -> float:
                lo, hi = rows[i].ranges[dimension]
                return abs(value - (lo + hi) / 2)
            return min(hits, key=lambda i: (centre_distance(i), -i)), edge
    return None


def _row_fitting_all(rows: Sequence[ChartRow], dims: Sequence[str],
                     m: Measurements) -> int | None:
    """The row whose ranges hold every measure (best centred when several do)."""
    def offset(i: int) -> float:
        total = 0.0
        for d in dims:
            lo, hi = rows[i].ranges[d]
            total += abs((m.get(d) or 0.0) - (lo + hi) / 2) / max(hi - lo, 1.0)
        return total

    hits = [i for i, r in enumerate(rows)
            if all(d in r.ranges and _fits(m.get(d) or 0.0, r.ranges[d]) for d in dims)]
    return min(hits, key=lambda i: (offset(i), -i)) if hits else None


# --- advice --------------------------------------------------------------------------------------


def _fmt(value: float) -> str:
    return f"{value:g}"


def _measures(language: str, dims: Sequence[str], m: Measurements) -> str:
    labels = dict(zip(DIMENSIONS, words(language, "labels"), strict=True))
    units = {"height": "cm", "weight": "kg", "foot": "cm"}
    return ", ".join(f"{labels[d]} {_fmt(m.get(d) or 0)} {units[d]}" for d in dims)


def _ranges(language: str, dims: Sequence[str], row: ChartRow) -> str:
    labels = dict(zip(DIMENSIONS, words(language, "labels"), strict=True))
    units = {"height": "cm", "weight": "kg", "foot": "cm"}
    parts = []
    for d in dims:
        lo, hi = row.ranges[d]
        span = _fmt(hi) if d == "foot" else f"{_fmt(lo)}-{_fmt(hi)}"
        parts.append(f"{labels[d]} {span} {units[d]}")
    return ", ".join(parts)


def ask_question(language: str, missing: Sequence[str]) -> str:
    """"Could you share your height (cm) and weight (kg)?" in the buyer's language."""
    labels = dict(zip(DIMENSIONS, words(language, "missing"), strict=True))
    return phrase(language, "ask").format(
        missing=phrase(language, "joiner").join(labels[d] for d in missing))


def _size_tier(item: ItemKnowledge, sizes: Sequence[str]) -> int | None:
    """Which variation tier holds the chart's sizes."""
    wanted = {fold(s) for s in sizes}
    for tier, options in enumerate(item.tier_options):
        if wanted & {fold(o) for o in options}:
            return tier
    return None


def _colour_in_text(item: ItemKnowledge, tier: int | None, text: str) -> tuple[int, str] | None:
    folded = fold(text)
    for index, options in enumerate(item.tier_options):
        if index == tier:
            continue
        for option in options:
            if find_term(folded, option) >= 0:
                return index, option
    return None


def size_stock(item: ItemKnowledge, size: str, text: str,
               sizes: Sequence[str]) -> tuple[bool, str | None, str]:
    """(sold out?, nearest size in stock, colour named) for a recommended size."""
    tier = _size_tier(item, sizes)
    if tier is None or not item.variants:
        return False, None, ""
    other = _colour_in_text(item, tier, text)

    def stock_of(name: str) -> int:
        total = 0
        for v in item.variants:
            if tier < len(v.options) and fold(v.options[tier]) == fold(name) and (
                    other is None or (other[0] < len(v.options)
                                      and v.options[other[0]] == other[1])):
                total += v.stock
        return total

    colour = other[1] if other else ""
    if stock_of(size) > 0:
        return False, None, colour
    index = list(sizes).index(size)
    order = sorted(range(len(sizes)), key=lambda i: (abs(i - index), -i))
    nearest = next((sizes[i] for i in order if i != index and stock_of(sizes[i]) > 0), None)
    return True, nearest, colour


def advise(item: ItemKnowledge, text: str, language: str,
           given: Measurements | None = None) -> SizeAdvice:
    """Size advice for `item` from the measures in `text` (plus `given` from the NLU)."""
    if item.size_chart is None:
        return SizeAdvice("no_chart")
    dims, rows = chart_rows(item.size_chart)
    if not dims or not rows:
        return SizeAdvice("no_chart")
    parsed = parse_measurements(text, shoes=dims == ("foot",))
    if given is not None:
        parsed = Measurements(parsed.height_cm or given.height_cm,
                              parsed.weight_kg or given.weight_kg,
                              parsed.foot_cm or given.foot_cm)
    missing = tuple(d for d in dims if parsed.get(d) is None)
    if missing:
        return SizeAdvice("ask", question=ask_question(language, missing), missing=missing,
                          measurements=parsed)
    common = _row_fitting_all(rows, dims, parsed)
    if common is not None:
        indexes, edge, chosen = dict.fromkeys(dims, common), False, common
    else:
        picks = {d: _best_row(rows, d, parsed.get(d) or 0.0) for d in dims}
        if any(p is None for p in picks.values()):
            return SizeAdvice("out_of_chart", measurements=parsed)
        indexes = {d: p[0] for d, p in picks.items() if p is not None}
        edge = any(p[1] for p in picks.values() if p is not None)
        chosen = max(indexes.values())  # between two sizes, the roomier one
    size = rows[chosen].size
    reason = _reason(language, dims, rows, indexes, chosen, edge, parsed)
    sizes = [r.size for r in rows]
    sold_out, nearest, colour = size_stock(item, size, text, sizes)
    if sold_out:
        key = "soldout" if nearest else "soldout_none"
        note = phrase(language, key).format(size=size, colour=f" ({colour})" if colour else "",
                                            alt=nearest or "")
        reason = f"{reason}; {note}"
    return SizeAdvice("recommend", size, reason, sold_out=sold_out, nearest_in_stock=nearest,
                      measurements=parsed)


def _reason(language: str, dims: Sequence[str], rows: Sequence[ChartRow],
            indexes: dict[str, int], chosen: int, edge: bool, m: Measurements) -> str:
    size = rows[chosen].size
    if edge:
        return phrase(language, "edge").format(measures=_measures(language, dims, m), size=size)
    if len(set(indexes.values())) == 1:
        return phrase(language, "fit").format(measures=_measures(language, dims, m), size=size,
                                              ranges=_ranges(language, dims, rows[chosen]))
    (first, a), (second, b) = sorted(indexes.items(), key=lambda kv: kv[1])[:2]
    return phrase(language, "split").format(
        first=_measures(language, [first], m), a=rows[a].size,
        second=_measures(language, [second], m), b=rows[b].size, size=size)
