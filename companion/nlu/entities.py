"""Entity extraction: order numbers, item references, sizes, body measures, quantities.

Works on the NFKC form of the raw message (so full-width digits count), with
units converted: heights and foot lengths to centimetres, weights to kilograms.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from companion.nlu.normalize import ORDER_SN_RE
from companion.nlu.types import Entities

_ITEM_RE: Final = re.compile(
    r"shopee\.[a-z.]{2,7}/product/(\d+)/(\d+)|-i\.(\d+)\.(\d+)|[?&]itemid=(\d+)", re.IGNORECASE
)
_LETTER_SIZE_RE: Final = re.compile(
    r"(?<![A-Za-z0-9])([2-6]XL|X{1,4}L|X{1,3}S|S|M|L)(?![A-Za-z0-9])"
    r"|(?<![a-z0-9])([2-6]xl|x{1,4}l|x{1,3}s)(?![a-z0-9])"
)
_CONTEXT_SIZE_RE: Final = re.compile(
    r"(?:size|saiz|sz|ukuran|talla|talle|tamanho|tam|số|cỡ|size|尺码|尺碼|码|碼|号|號|ไซส์|ไซซ์|ไซด์)"
    r"\s*[:：]?\s*(eu|us|uk|br)?\s*([2-6]xl|x{0,4}l|x{0,3}s|m|\d{1,2}(?:[.,]5)?)(?![a-z0-9])",
    re.IGNORECASE,
)
_SHOE_RE: Final = re.compile(
    r"(?<![a-z0-9])(eu|us|uk|br)\s?(\d{1,2}(?:[.,]5)?)(?![\d])", re.IGNORECASE
)

_N: Final = r"(\d+(?:[.,]\d+)?)"
_FEET_RE: Final = re.compile(
    r"(?<!\d)(\d)\s?(?:'|’|ft|feet|foot)\s?(\d{1,2}(?:\.\d)?)?\s?(?:\"|”|''|in|inch|inches)?"
)
_METRE_RE: Final = re.compile(
    r"(?<![\d.,])([12])(?:[.,](\d{1,2})\s?m|\s?m\s?(\d{1,2})|\s?m(?![a-z]))", re.IGNORECASE
)
_CM_RE: Final = re.compile(
    _N + r"\s?(?:cm|cms|centimet(?:er|re|ro)s?|公分|厘米|เซนติเมตร|เซน|ซม)", re.IGNORECASE
)
_KG_RE: Final = re.compile(
    _N + r"\s?(kg|kgs|kilos?|kilogram(?:o)?s?|公斤|千克|斤|กิโลกรัม|กิโล|โล|lbs?|pounds?"
    r"|ký|kí|ki)(?![a-z])",
    re.IGNORECASE,
)
_HEIGHT_WORD_RE: Final = re.compile(
    r"(?:height|tall|tinggi|tinggi badan|tb|cao|altura|mido|mide|estatura|taas|身高|身長|ส่วนสูง|สูง)"
    r"\s*[:：]?\s*" + _N,
    re.IGNORECASE,
)
_WEIGHT_WORD_RE: Final = re.compile(
    r"(?:weight|weigh|berat|bb|nặng|cân|peso|pesa|bigat|timbang|体重|體重|น้ำหนัก|หนัก)\s*[:：]?\s*"
    + _N,
    re.IGNORECASE,
)
_FOOT_WORD_RE: Final = re.compile(
    r"foot|feet length|kaki|chân|pie|pé|paa|脚|腳|เท้า|shoe|sepatu|kasut|giày|zapat|sapat"
    r"|tênis|tenis|sapatos|鞋|รองเท้า",
    re.IGNORECASE,
)
_QTY_RE: Final = re.compile(
    r"(?<![a-z])x\s?(\d{1,3})(?!\d)|(?<![a-z0-9])(\d{1,3})\s?x(?![a-z0-9])"
    r"|(\d{1,3})\s?(?:pcs|pc|pieces?|biji|buah|units?|unidades?|peças?|pares?|pairs?|cái|chiếc|bộ"
    r"|ชิ้น|ตัว|件|个|個|条|條|双|雙|套|盒|瓶|只|隻|pzs?|piezas?|sets?)(?![a-z])",
    re.IGNORECASE,
)
_CN_QTY_RE: Final = re.compile(
    r"([一二两兩三四五六七八九十])\s?(?:件|个|個|条|條|双|雙|套|盒|瓶|只|隻)"
)
_CN_DIGITS: Final = {
    "一": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}


def _num(text: str) -> float:
    """A decimal written with a dot or a comma."""
    return float(text.replace(",", "."))


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def order_sns(text: str) -> tuple[str, ...]:
    """Order numbers (6 digits + 8 alphanumerics), upper-cased."""
    return _unique([m.group(1).upper() for m in ORDER_SN_RE.finditer(text)])


def item_ids(text: str) -> tuple[str, ...]:
    """Item ids from Shopee product links (/product/<shop>/<item>, -i.<shop>.<item>, itemid=)."""
    out = []
    for m in _ITEM_RE.finditer(text):
        out.append(m.group(2) or m.group(4) or m.group(5))
    return _unique(out)


def sizes(text: str) -> tuple[str, ...]:
    """Clothing letter sizes and shoe sizes named with a size word or a system (EU/US/UK/BR)."""
    found: list[tuple[int, str]] = []
    for m in _CONTEXT_SIZE_RE.finditer(text):
        system = (m.group(1) or "").upper()
        found.append((m.start(2), system + m.group(2).upper().replace(",", ".")))
    for m in _SHOE_RE.finditer(text):
        found.append((m.start(2), m.group(1).upper() + m.group(2).replace(",", ".")))
    for m in _LETTER_SIZE_RE.finditer(text):
        found.append((m.start(), (m.group(1) or m.group(2)).upper()))
    found.sort()
    return _unique([value for _, value in found])


def _height(text: str) -> float | None:
    m = _FEET_RE.search(text)
    if m:
        inches = _num(m.group(2)) if m.group(2) else 0.0
        cm = int(m.group(1)) * 30.48 + inches * 2.54
        if 120 <= cm <= 230:
            return round(cm, 1)
    m = _METRE_RE.search(text)
    if m:
        tail = m.group(2) or m.group(3) or ""
        cm = int(m.group(1)) * 100 + (int(tail.ljust(2, "0")) if tail else 0)
        if 100 <= cm <= 230:
            return float(cm)
    for m in _CM_RE.finditer(text):
        cm = _num(m.group(1))
        if 100 <= cm <= 230:
            return cm
    m = _HEIGHT_WORD_RE.search(text)
    if m:
        value = _num(m.group(1))
        if 1.0 <= value <= 2.3:
            return round(value * 100, 1)
        if 100 <= value <= 230:
            return value
    return None


def _weight(text: str) -> float | None:
    m = _KG_RE.search(text)
    if m:
        value, unit = _num(m.group(1)), m.group(2).casefold()
        if unit == "斤":
            value /= 2
        elif unit.startswith(("lb", "pound")):
            value *= 0.45359237
        if 2 <= value <= 300:
            return round(value, 1)
    m = _WEIGHT_WORD_RE.search(text)
    if m:
        value = _num(m.group(1))
        if 2 <= value <= 300:
            return value
    return None


def _foot_length(text: str) -> float | None:
    if not _FOOT_WORD_RE.search(text):
        return None
    for m in _CM_RE.finditer(text):
        cm = _num(m.group(1))
        if 8 <= cm <= 35:
            return cm
    return None


def quantities(text: str) -> tuple[int, ...]:
    """Counts written as "2 pcs", "x3", "3x", "两件"."""
    out = [int(next(g for g in m.groups() if g)) for m in _QTY_RE.finditer(text)]
    out += [_CN_DIGITS[m.group(1)] for m in _CN_QTY_RE.finditer(text)]
    return tuple(q for q in out if q > 0)


def extract(raw: str) -> Entities:
    """All entities of one raw message."""
    text = unicodedata.normalize("NFKC", raw)
    has_digit = any(c.isdigit() for c in text)
    return Entities(
        order_sns=order_sns(text) if has_digit else (),
        item_ids=item_ids(text) if has_digit else (),
        sizes=sizes(text),
        height_cm=_height(text) if has_digit else None,
        weight_kg=_weight(text) if has_digit else None,
        foot_length_cm=_foot_length(text) if has_digit else None,
        quantities=quantities(text),
    )
