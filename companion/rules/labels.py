"""Names of listing facts in the ten reply languages, for the `{{attribute_name}}` placeholder.

Why: the listing layer names facts by canonical English keys (`material`,
`care`, ...); a reply in Thai must not say "material". Keys without a label
(a custom attribute of the seller's listing) are shown as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

ATTRIBUTE_LABELS: Mapping[str, Mapping[str, str]] = MappingProxyType({
    "en": MappingProxyType({"material": "material", "dimensions": "dimensions",
                            "colour": "colours", "compatibility": "compatibility",
                            "care": "care and washing", "origin": "origin",
                            "authenticity": "authenticity", "warranty": "warranty"}),
    "zh-Hans": MappingProxyType({"material": "材质", "dimensions": "尺寸", "colour": "颜色",
                                 "compatibility": "适用型号", "care": "洗涤与保养",
                                 "origin": "产地", "authenticity": "正品保证",
                                 "warranty": "保修"}),
    "zh-Hant": MappingProxyType({"material": "材質", "dimensions": "尺寸", "colour": "顏色",
                                 "compatibility": "適用型號", "care": "洗滌與保養",
                                 "origin": "產地", "authenticity": "正品保證",
                                 "warranty": "保固"}),
    "id": MappingProxyType({"material": "bahan", "dimensions": "ukuran", "colour": "warna",
                            "compatibility": "kompatibilitas", "care": "cara perawatan",
                            "origin": "negara asal", "authenticity": "keaslian",
                            "warranty": "garansi"}),
    "ms": MappingProxyType({"material": "bahan", "dimensions": "ukuran", "colour": "warna",
                            "compatibility": "keserasian", "care": "cara penjagaan",
                            "origin": "negara asal", "authenticity": "keaslian",
                            "warranty": "waranti"}),
    "vi": MappingProxyType({"material": "chất liệu", "dimensions": "kích thước",
                            "colour": "màu sắc", "compatibility": "độ tương thích",
                            "care": "cách giặt và bảo quản", "origin": "xuất xứ",
                            "authenticity": "chính hãng", "warranty": "bảo hành"}),
    "th": MappingProxyType({"material": "วัสดุ", "dimensions": "ขนาด", "colour": "สี",
                            "compatibility": "รุ่นที่ใช้ได้", "care": "วิธีซักและดูแล",
                            "origin": "ประเทศผู้ผลิต", "authenticity": "ของแท้",
                            "warranty": "การรับประกัน"}),
    "tl": MappingProxyType({"material": "materyal", "dimensions": "sukat", "colour": "kulay",
                            "compatibility": "compatibility", "care": "paglalaba at pag-aalaga",
                            "origin": "pinagmulan", "authenticity": "pagiging orihinal",
                            "warranty": "warranty"}),
    "pt": MappingProxyType({"material": "material", "dimensions": "medidas", "colour": "cores",
                            "compatibility": "compatibilidade", "care": "lavagem e cuidados",
                            "origin": "origem", "authenticity": "autenticidade",
                            "warranty": "garantia"}),
    "es": MappingProxyType({"material": "material", "dimensions": "medidas", "colour": "colores",
                            "compatibility": "compatibilidad", "care": "lavado y cuidado",
                            "origin": "origen", "authenticity": "autenticidad",
                            "warranty": "garantía"}),
})
_JOINERS = {"zh-Hans": "、", "zh-Hant": "、", "th": " และ ", "en": " and ", "id": " dan ",
            "ms": " dan ", "vi": " và ", "tl": " at ", "pt": " e ", "es": " y "}


def attribute_label(name: str, language: str) -> str:
    """The fact's name in `language` (English when the language is unknown)."""
    labels = ATTRIBUTE_LABELS.get(language) or ATTRIBUTE_LABELS["en"]
    return labels.get(name, name)


def attribute_labels(names: Iterable[str], language: str) -> str:
    """Several facts' names joined the way the language lists things."""
    joiner = _JOINERS.get(language, " and ")
    return joiner.join(attribute_label(n, language) for n in names)
