"""What a product question is about (material, size, colour ...) and how it was phrased.

The intent says *that* a buyer asked a pre-sale question; the aspect says *what*
about the listing was unclear, which is what the seller fixes ("20% of pre-sale
questions on item X ask about material"). Keyword lists are small and cover the
languages buyers write in; matching runs on `fold`ed text, like the rules do.
"""

from __future__ import annotations

import re
import unicodedata

ASPECTS: dict[str, tuple[str, ...]] = {
    "material": (
        "material", "fabric", "cotton", "leather", "plastic", "bahan", "kain", "chất liệu",
        "vải", "วัสดุ", "ผ้า", "tela", "tecido", "材质", "材料", "面料", "布料", "材質", "質料",
    ),
    "size": (
        "size", "sizing", "fit", "length", "width", "ukuran", "saiz", "kích thước", "cỡ",
        "ขนาด", "ไซส์", "talla", "tamanho", "tamaño", "尺寸", "尺码", "尺碼", "大小", "码数",
    ),
    "colour": (
        "colour", "color", "warna", "màu", "สี", "cor", "颜色", "顏色", "色",
    ),
    "compatibility": (
        "compatible", "compatibility", "fit my", "support", "cocok", "sesuai", "tương thích",
        "รองรับ", "compatível", "兼容", "适用", "適用", "支援", "支持",
    ),
    "authenticity": (
        "original", "ori", "authentic", "genuine", "fake", "asli", "chính hãng", "แท้",
        "auténtico", "正品", "正版", "真", "假",
    ),
    "ingredients": (
        "ingredient", "bahan-bahan", "thành phần", "ส่วนผสม", "ingrediente", "成分", "配方",
    ),
    "care": (
        "wash", "washing", "iron", "cuci", "giặt", "ซัก", "lavar", "洗", "熨",
    ),
    "weight": (
        "weight", "heavy", "berat", "nặng", "น้ำหนัก", "peso", "重量", "多重", "重",
    ),
}

_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s]+", re.UNICODE)
_INVISIBLE = dict.fromkeys(
    [0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)


def fold(text: str) -> str:
    """NFKC, case-folded, invisible and bidi controls removed, spaces collapsed."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).casefold()
    return _SPACES.sub(" ", text).strip()


def phrasing_key(text: str) -> str:
    """The key under which near-identical questions are counted as one phrasing."""
    key = _SPACES.sub(" ", _PUNCT.sub(" ", fold(text))).strip()
    key = re.sub(r"\d+", "#", key)
    return key[:120]


def _contains(folded: str, word: str) -> bool:
    if word.isascii():
        return re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", folded) is not None
    return word in folded


def aspects_of(text: str) -> list[str]:
    """Every aspect the question mentions, in the fixed order of `ASPECTS`."""
    folded = fold(text)
    return [name for name, words in ASPECTS.items() if any(_contains(folded, w) for w in words)]
