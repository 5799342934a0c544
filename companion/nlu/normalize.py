"""Text normalisation: one canonical form for rules matching and one token line for fastText.

Why: buyers write full-width digits, stretched words ("pleaseeee"), emoji, order
numbers and prices; the model should learn "there is an order number here", not
the number itself. Chinese and Thai have no spaces, so their characters (Thai:
grapheme clusters) become separate tokens and fastText's word bigrams act as
character bigrams.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

# Zero-width and bidi control characters, removed everywhere.
_INVISIBLE: Final = dict.fromkeys(
    [
        *range(0x200B, 0x2010),
        *range(0x202A, 0x202F),
        *range(0x2060, 0x2070),
        0xFEFF,
        0x00AD,
        0xFE0E,
        0xFE0F,
        0x180E,
    ]
)
_INVISIBLE_SPACING: Final = {**_INVISIBLE, 0x200B: " "}

ORDER_SN_RE: Final = re.compile(r"(?<![0-9a-z])(\d{6}[0-9a-z]{8})(?![0-9a-z])", re.IGNORECASE)

_URL_RE: Final = re.compile(
    r"(?:https?://|www\.)\S+|\b(?:shp\.ee|shopee\.[a-z.]{2,7}|s\.shopee\.[a-z.]+)/\S*",
    re.IGNORECASE,
)
_ITEM_URL_RE: Final = re.compile(r"shopee|shp\.ee", re.IGNORECASE)

_ELONGATION_RE: Final = re.compile(r"([^\dx\s_])\1{2,}")

_NUM: Final = r"\d+(?:[.,]\d+)*"
_CURRENCY_BEFORE: Final = (
    r"(?:rp\.?|rm|us\$|r\$|s\$|nt\$|\$|₱|php|₫|฿|¥|€|£|mxn|cop|clp|sgd|myr|idr|usd|vnd|thb|brl)"
)
_CURRENCY_AFTER: Final = (
    r"(?:k|rb|ribu|jt|juta|ringgit|pesos?|reais|real|baht|บาท|đ|₫|vnd|dong|đồng|nghìn|ngàn|ngan"
    r"|nghin|tr|triệu|元|块|塊|蚊|ntd|rm|php|usd|sgd|myr|idr|thb|brl|mxn|cop|clp|sen|cents?|dollars?"
    r"|mil|lucas)"
)
_PRICE: Final = (
    rf"{_CURRENCY_BEFORE}\s?{_NUM}(?:\s?(?:k|rb|ribu|jt|juta|mil)(?![a-z]))?"
    rf"|{_NUM}\s?{_CURRENCY_AFTER}(?![a-z])"
)
_FEET: Final = r"\d\s?(?:'|’|ft|feet|foot)\s?\d{0,2}(?:\.\d)?\s?(?:\"|”|''|in|inch|inches)?"
_CM: Final = (
    rf"{_NUM}\s?(?:cm|cms|centimet(?:er|re|ro)s?|公分|厘米|เซน(?:ติเมตร)?|ซม\.?|mm|m(?![a-z])|met|mét)"
    r"(?:\s?\d{1,2}(?!\d))?"
)
_KG: Final = (
    rf"{_NUM}\s?(?:kg|kgs|kilos?|kilogram(?:o)?s?|公斤|千克|斤|กิโล(?:กรัม)?|lbs?|pounds?|g(?![a-z]))"
)
_QTY: Final = (
    r"(?<![a-z])x\s?\d{1,3}(?!\d)"
    rf"|{_NUM}\s?(?:pcs|pc|pieces?|biji|buah|units?|unidades?|peças?|pares?|pairs?|cái|chiếc|bộ"
    r"|ชิ้น|ตัว|件|个|個|条|條|双|雙|套|盒|瓶|只|隻|pzs?|piezas?)(?![a-z])"
)
_LONGNUM: Final = r"\+?\d[\d\- ]{7,}\d"
# One pass over the text: the first alternative that matches names the placeholder.
_MEASURE_RE: Final = re.compile(
    f"(?P<price>{_PRICE})|(?P<cm>{_FEET}|{_CM})|(?P<kg>{_KG})|(?P<qty>{_QTY})"
    f"|(?P<longnum>{_LONGNUM})|(?P<num>{_NUM})",
    re.IGNORECASE,
)
_SIZE_UPPER_RE: Final = re.compile(
    r"(?<![A-Za-z0-9])(?:X{0,3}S|X{0,4}L|M|[2-6]XL|XXXL|FREESIZE)(?![A-Za-z0-9])"
)
_SIZE_LOWER_RE: Final = re.compile(
    r"(?<![a-z0-9])(?:x{1,3}s|x{1,4}l|[2-6]xl|free ?size)(?![a-z0-9])"
)
_DIGIT_RE: Final = re.compile(r"\d")
# Longest text a measure placeholder can start with before its first digit: a currency ("us$ ").
_MAX_BEFORE_DIGIT: Final = 4

_EMOJI_RE: Final = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2300-\u23ff\u2b00-\u2bff\u3297\u3299\u00a9\u00ae]"
)
_EMOJI_CLASSES: Final = {
    **dict.fromkeys("😡🤬😠💢👿😤🖕💩👎🔪", "__emo_angry__"),
    **dict.fromkeys("😢😭😞😔☹🙁😩😫😟😥😿💔😓😪🥺😕😒🙄😑😐", "__emo_sad__"),
    **dict.fromkeys("😊😀😁😄😃🙂👍❤💕💖🥰😍🙏😘☺😆🤗👌✨💯🌹🎉😉💗🫶🤩😇", "__emo_happy__"),
}

# One token: a Han/kana/hangul character, or a Thai letter with its vowel and tone marks.
_CJK_THAI_TOKEN: Final = (
    "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]"
    "|[\u0e00-\u0e30\u0e32\u0e33\u0e3f-\u0e46\u0e4f-\u0e7f][\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]*"
)
_CJK_THAI_RE: Final = re.compile(_CJK_THAI_TOKEN)
# Runs of such tokens: one regex match per run instead of one per character (faster, same line).
_CJK_THAI_RUN_RE: Final = re.compile(f"(?:{_CJK_THAI_TOKEN})+")
# A capitals-only word (digits next to it make it a code: "251125QW8E7R2K", "SPXMY0123").
_CAPS_RE: Final = re.compile(r"(?<![A-Za-z0-9])[A-Z]{3,}(?![A-Za-z0-9])")
# Shouting: two such words, or one of this many letters ("COD", "SPX", "LBC" are names).
_SHOUT_WORD_LETTERS: Final = 5
_SHOUT_RE: Final = re.compile("[!?！？]{2,}")
_THAI_RUN_RE: Final = re.compile("[\u0e01-\u0e4e]{2,}")
# Combining marks that Latin letters carry (accents, Vietnamese tones); Thai marks are not here.
_COMBINING_LATIN_RE: Final = re.compile("[\u0300-\u036f]")
_FOLD_EXTRA: Final = str.maketrans({"đ": "d", "Đ": "D"})
_PUNCT_RE: Final = re.compile(r"[^\w\s?!\u0e00-\u0e7f\u0300-\u036f]+")
_QUESTION_RE: Final = re.compile(r"([?!])+")
_SPACES_RE: Final = re.compile(r"\s+")


def fold_for_match(text: str) -> str:
    """Canonical form for keyword matching: NFKC (folds full width), no invisibles, casefolded."""
    return unicodedata.normalize("NFKC", text).translate(_INVISIBLE).casefold()


def _emoji_token(match: re.Match[str]) -> str:
    return f" {_EMOJI_CLASSES.get(match.group(0), '__emo__')} "


def _url_token(match: re.Match[str]) -> str:
    return " __itemlink__ " if _ITEM_URL_RE.search(match.group(0)) else " __url__ "


def mask_sizes(text: str) -> str:
    """Replace clothing size letters by a placeholder; upper case S/M/L only (before casefold)."""
    if "S" in text or "M" in text or "L" in text:  # every size token has one of them
        return _SIZE_UPPER_RE.sub(" __size__ ", text)
    return text


def _split_run(match: re.Match[str]) -> str:
    return " " + " ".join(_CJK_THAI_RE.findall(match.group())) + " "


def _mask_measures(text: str, first_digit: int) -> str:
    """`_MEASURE_RE.sub`, trying the regex only where a placeholder can start (same result).

    Every placeholder contains a digit, and at most 4 characters ("us$ ") come
    before its first one, so a match can only start 0-4 characters before a
    digit. Trying just those positions, in order, finds the same leftmost
    matches as a scan of every position, at half the cost. `match(text, pos)`
    still sees the text before `pos` for the look-behind assertions.
    """
    parts = []
    last = 0
    tried = -1
    match_at = _MEASURE_RE.match
    for digit in _DIGIT_RE.finditer(text, first_digit):
        at = digit.start()
        if at < last:
            continue
        for start in range(max(last, at - _MAX_BEFORE_DIGIT, tried + 1), at + 1):
            match = match_at(text, start)
            if match is not None:
                parts.append(text[last:start])
                parts.append(f" __{match.lastgroup}__ ")
                last = match.end()
                break
        tried = at
    if not parts:
        return text
    parts.append(text[last:])
    return "".join(parts)


def _canonical(text: str) -> str:
    """Everything `normalize` does except splitting Chinese/Thai into characters."""
    ascii_only = text.isascii()  # then NFKC, invisibles and emoji have nothing to do
    if not ascii_only:
        text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE_SPACING)
    low = text.casefold()
    if "__label__" in low:
        text = text.replace("__label__", " ")
    if "http" in low or "www." in low or "shopee" in low or "shp.ee" in low:
        text = _URL_RE.sub(_url_token, text)
    if _DIGIT_RE.search(text):
        text = ORDER_SN_RE.sub(" __ordersn__ ", text)
    text = mask_sizes(text).casefold()
    if "x" in text or "free" in text:  # every lower-case size token has one of them
        text = _SIZE_LOWER_RE.sub(" __size__ ", text)
    text = _ELONGATION_RE.sub(r"\1\1", text)
    digit = _DIGIT_RE.search(text)
    if digit is not None:
        text = _mask_measures(text, digit.start())
    if not ascii_only and _EMOJI_RE.search(text):
        text = _EMOJI_RE.sub(_emoji_token, text)
    text = _PUNCT_RE.sub(" ", text)
    if "?" in text or "!" in text:
        text = _QUESTION_RE.sub(r" \1 ", text)
    return text


def _split_scripts(text: str) -> str:
    if not text.isascii() and max(text) >= "\u0e00":
        text = _CJK_THAI_RUN_RE.sub(_split_run, text)
    return " ".join(text.split())


def normalize(text: str) -> str:
    """The canonical token line of one message (single line, space separated, lower case).

    Corpus splits hash this line, so its output must stay stable.
    """
    return _split_scripts(_canonical(text))


def model_line(text: str) -> str:
    """The fastText input line: `normalize`, plus Thai runs and shouting marks.

    Why: Thai is written without spaces, so character tokens alone lose the
    spelling of whole words; every Thai run of 2+ letters is appended whole, so
    fastText's character n-grams (3-5) get word-like pieces to learn from
    (5-fold cross-validation of train+dev: Thai +3 points, overall +0.4;
    Chinese lost accuracy the same way, so Han runs are not added).
    `normalize` casefolds and collapses "!!!", which hides shouting, a strong
    anger cue: two words in capitals, or one of 5+ letters, add `__caps__` (not a
    courier code like "SPX" or an order number: a gibberish line with
    "251125GOYWCWS3" in it came out negative), a run of 2+ "!"/"?" adds
    `__shout__` (negative recall on dev +1.8 points at precision 0.8).
    """
    ascii_only = text.isascii()
    canonical = _canonical(text)
    line = _split_scripts(canonical)
    if not line.isascii() and max(line) >= "\u0e00":
        runs = _THAI_RUN_RE.findall(canonical)
        if runs:
            line = line + " " + " ".join(runs)
    if not text.islower() and _shouting(text):  # islower: nothing upper-case at all
        line = line + " __caps__"
    if ("!" in text or "?" in text or not ascii_only) and _SHOUT_RE.search(text):
        line = line + " __shout__"
    return line


def _shouting(text: str) -> bool:
    """Whether the raw text shouts: two capitals-only words, or one long one."""
    words = _CAPS_RE.findall(text)
    return len(words) >= 2 or any(len(word) >= _SHOUT_WORD_LETTERS for word in words)


def fold_diacritics(text: str) -> str:
    """Latin letters without accents or tone marks ("không" -> "khong", "đơn" -> "don").

    Buyers often type Vietnamese, Portuguese and Spanish without them; training
    adds a folded copy of each such line (see `train`) so both spellings are known.
    Characters of other scripts are kept.
    """
    text = text.translate(_FOLD_EXTRA)
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not _COMBINING_LATIN_RE.match(ch))
    )
