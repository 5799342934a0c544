"""Which product fact a question asks about, in the ten languages, and the listing's value for it.

Seven facts buyers ask about before buying: material, size/dimensions, colour,
compatibility, washing/care, origin and authenticity. Detection looks for cue
words of every language at once (buyers code-mix: "bahan dia cotton ke?"), and
the value comes only from the listing: its attributes, labelled lines of its
description, its variant options or its size chart. No value, no answer: the
caller suggests instead and records the gap.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from companion.listing.knowledge import ItemKnowledge
from companion.listing.text import find_term, fold

ATTRIBUTES = ("material", "dimensions", "colour", "compatibility", "care", "origin",
              "authenticity")

# Cue words per attribute and language. Thai and Chinese cues are longer phrases where a
# short one hides inside other words (สี is inside เสีย "broken"; ซัก in ซักครู่ "a moment").
CUES: Mapping[str, Mapping[str, tuple[str, ...]]] = MappingProxyType({
    "material": MappingProxyType({
        "en": ("material", "materials", "fabric", "made of", "made from", "what cloth",
               "cotton ke", "is it cotton", "leather or", "real leather", "plastic or metal"),
        "ms": ("bahan", "kain apa", "jenis kain", "diperbuat daripada", "material"),
        "id": ("bahan", "bahannya", "kain apa", "terbuat dari", "jenis kain"),
        "vi": ("chất liệu", "chất vải", "vải gì", "làm bằng", "chất gì", "chất liệu gì"),
        "th": ("วัสดุ", "เนื้อผ้า", "ผ้าอะไร", "ทำจาก", "ผลิตจาก"),
        "tl": ("tela", "materyal", "yari sa", "anong tela", "gawa sa anong"),
        "pt": ("material", "tecido", "feito de", "é de algodão", "qual o tecido"),
        "es": ("material", "tela", "hecho de", "de qué está hecho", "es de algodón"),
        "zh-Hans": ("材质", "面料", "布料", "什么料", "材料", "什么做的", "什么材料", "纯棉吗"),
        "zh-Hant": ("材質", "面料", "布料", "什麼料", "材料", "什麼做的", "什麼材質", "純棉嗎"),
    }),
    "dimensions": MappingProxyType({
        "en": ("dimension", "dimensions", "measurement", "measurements", "how big", "how long",
               "how wide", "length", "width", "diameter", "capacity", "size of the",
               "what size is", "how many ml", "how many cm"),
        "ms": ("saiz", "ukuran", "berapa besar", "berapa panjang", "panjang", "lebar",
               "kapasiti"),
        "id": ("ukuran", "ukurannya", "dimensi", "berapa besar", "berapa panjang", "panjangnya",
               "lebarnya", "kapasitas"),
        "vi": ("kích thước", "kích cỡ", "dài bao nhiêu", "rộng bao nhiêu", "to không",
               "dung tích", "bao nhiêu cm"),
        "th": ("ขนาด", "ยาวเท่าไหร่", "กว้างเท่าไหร่", "ความจุ", "กี่เซน", "กี่ซม"),
        "tl": ("sukat", "gaano kalaki", "gaano kahaba", "gaano kalapad", "laki ba"),
        "pt": ("dimensões", "dimensoes", "medidas", "tamanho", "comprimento", "largura",
               "capacidade"),
        "es": ("medidas", "dimensiones", "tamaño", "largo", "ancho", "capacidad", "cuánto mide"),
        "zh-Hans": ("尺寸", "大小", "多大", "多长", "长度", "多宽", "容量", "几厘米", "多少毫升"),
        "zh-Hant": ("尺寸", "大小", "多大", "多長", "長度", "多寬", "容量", "幾公分", "多少毫升"),
    }),
    "colour": MappingProxyType({
        "en": ("colour", "color", "colours", "colors", "what colours", "which colour"),
        "ms": ("warna",),
        "id": ("warna", "warnanya"),
        "vi": ("màu", "màu gì", "màu nào", "mấy màu"),
        "th": ("สีอะไร", "มีสี", "สีไหน", "กี่สี", "สีอื่น"),
        "tl": ("kulay",),
        "pt": ("cor", "cores", "qual cor"),
        "es": ("color", "colores", "qué color", "que color"),
        "zh-Hans": ("颜色", "几色", "什么色", "色号", "几个色"),
        "zh-Hant": ("顏色", "幾色", "什麼色", "色號", "幾個色"),
    }),
    "compatibility": MappingProxyType({
        "en": ("compatible", "compatibility", "fit my", "fits my", "fit iphone", "fit samsung",
               "fits iphone", "work with", "works with", "work on", "support", "supports",
               "can use with", "use with my", "can i use it for", "can use for", "fit", "fits",
               "can use or not"),
        "ms": ("boleh guna untuk", "boleh pakai untuk", "sesuai untuk", "muat", "serasi",
               "boleh guna dengan"),
        "id": ("cocok untuk", "bisa dipakai", "bisa untuk", "bisa buat", "kompatibel",
               "muat untuk", "support"),
        "vi": ("tương thích", "dùng được cho", "dùng được với", "dùng cho", "hỗ trợ",
               "xài được", "có vừa"),
        "th": ("ใช้กับ", "รองรับ", "ใส่ได้ไหม", "ใช้ได้กับ", "ใส่กับ"),
        "tl": ("compatible", "pwede sa", "puwede sa", "kasya", "gagana sa", "pwede ba sa"),
        "pt": ("compatível", "compativel", "serve no", "serve para", "serve em", "funciona com",
               "funciona no"),
        "es": ("compatible", "sirve para", "sirve con", "funciona con", "le queda al",
               "sirve en"),
        "zh-Hans": ("适用", "兼容", "支持", "能用", "可以用在", "可以用于", "能装", "适配"),
        "zh-Hant": ("適用", "相容", "支援", "能用", "可以用在", "可以用於", "能裝", "適配"),
    }),
    "care": MappingProxyType({
        "en": ("wash", "washing", "machine wash", "washable", "iron", "ironing", "clean it",
               "how to clean", "dryer", "shrink", "fade", "dishwasher", "color fade", "colour fade",
               "colour run", "color run", "colour bleed", "color bleed"),
        "ms": ("basuh", "cuci", "mesin basuh", "luntur", "mengecut", "cara jaga", "warna luntur",
               "luntur warna"),
        "id": ("cuci", "dicuci", "mencuci", "perawatan", "luntur", "menyusut", "cara merawat",
               "warna luntur", "luntur warnanya"),
        "vi": ("giặt", "giặt máy", "phai màu", "bảo quản", "vệ sinh", "co rút", "ủi"),
        "th": ("ซักได้", "ซักเครื่อง", "ซักมือ", "การซัก", "ซักยังไง", "ซักผ้า", "ล้างยังไง",
               "สีตก", "วิธีดูแล", "หดไหม"),
        "tl": ("labhan", "paglaba", "nilalabhan", "linisin", "kumukupas", "lumiliit",
               "washing machine",
               "kumukupas ang kulay"),
        "pt": ("lavar", "lavagem", "máquina de lavar", "desbota", "encolhe", "passar ferro",
               "desbota a cor", "a cor desbota"),
        "es": ("lavar", "lavado", "lavadora", "destiñe", "encoge", "planchar", "limpiar",
               "destiñe el color", "pierde color"),
        "zh-Hans": ("洗", "机洗", "手洗", "保养", "缩水", "掉色", "褪色", "清洁"),
        "zh-Hant": ("洗", "機洗", "手洗", "保養", "縮水", "掉色", "褪色", "清潔"),
    }),
    "origin": MappingProxyType({
        "en": ("made in", "origin", "where is it made", "where is this made", "which country",
               "imported", "where is it from", "manufactured in", "country of"),
        "ms": ("buatan mana", "dibuat di mana", "asal dari", "negara asal", "buatan negara",
               "import dari", "asalnya"),
        "id": ("buatan mana", "dibuat di mana", "asal dari", "negara asal", "produksi mana",
               "impor dari", "asalnya", "buatan negara"),
        "vi": ("xuất xứ", "sản xuất ở đâu", "nước nào", "hàng nước", "nhập khẩu", "made in"),
        "th": ("ผลิตที่ไหน", "ประเทศอะไร", "แหล่งผลิต", "นำเข้าจาก", "ผลิตในประเทศ", "มาจากไหน"),
        "tl": ("saan gawa", "galing saan", "gawa saan", "saang bansa", "made in"),
        "pt": ("origem", "fabricado onde", "feito onde", "de onde vem", "fabricação", "importado"),
        "es": ("origen", "dónde se fabrica", "donde se fabrica", "hecho en", "de dónde es",
               "fabricado en", "importado"),
        "zh-Hans": ("产地", "哪里产", "哪里生产", "哪国", "进口", "哪里制造", "国产"),
        "zh-Hant": ("產地", "哪裡產", "哪裡生產", "哪國", "進口", "哪裡製造", "台灣製"),
    }),
    "authenticity": MappingProxyType({
        "en": ("original", "authentic", "genuine", "fake", "ori", "legit", "replica", "real or",
               "counterfeit"),
        "ms": ("ori", "original", "tiruan", "palsu", "tulen"),
        "id": ("asli", "ori", "kw", "palsu", "original", "tiruan"),
        "vi": ("chính hãng", "hàng thật", "hàng giả", "hàng fake", "auth", "hàng nhái"),
        "th": ("ของแท้", "แท้ไหม", "แท้มั้ย", "ของปลอม", "ก๊อป", "แท้หรือ"),
        "tl": ("orig", "original ba", "tunay", "peke", "authentic ba"),
        "pt": ("original", "autêntico", "autentico", "falsificado", "réplica", "pirata"),
        "es": ("original", "auténtico", "autentico", "falso", "réplica", "pirata", "genuino"),
        "zh-Hans": ("正品", "真品", "假货", "正版", "原装", "原厂", "高仿", "是真的吗"),
        "zh-Hant": ("正品", "真品", "假貨", "正版", "原裝", "原廠", "公司貨", "是真的嗎"),
    }),
})

# Labels that start a description line holding the fact ("Material: ...", "材質：...").
DESCRIPTION_LABELS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "material": ("material", "materials", "fabric", "bahan", "chất liệu", "วัสดุ", "tecido",
                 "材質", "材质", "面料"),
    "dimensions": ("size", "dimensions", "dimension", "ukuran", "saiz", "kích thước", "ขนาด",
                   "tamanho", "medidas", "尺寸", "規格", "规格"),
    "colour": ("colour", "color", "colours", "colors", "warna", "màu", "สี", "cor", "顏色",
               "颜色"),
    "compatibility": ("compatibility", "compatible with", "fits", "適用", "适用", "tương thích"),
    "care": ("care", "washing", "care instructions", "cara cuci", "bảo quản", "保養", "保养",
             "洗滌", "洗涤"),
    "origin": ("origin", "made in", "country of origin", "asal", "xuất xứ", "產地", "产地",
               "origem", "origen"),
    "authenticity": ("authenticity", "authentic", "正品保證", "正品保证"),
})
# Description phrases that do state authenticity (only these count; a brand name does not).
AUTHENTIC_CLAIMS = ("100% original", "100% authentic", "authentic product", "genuine product",
                    "original product", "正品", "原廠公司貨", "公司貨", "chính hãng", "asli")
_SIZE_CHART_HINT = ("size chart", "尺寸表", "尺码表", "尺碼表")
_COLOUR_TIERS = ("colour", "color", "顏色", "颜色", "warna", "màu", "cor", "kulay")


@dataclass(frozen=True, slots=True)
class AttributeValue:
    """The listing's own words for one fact; `source` says where they were found."""

    attribute: str
    value: str
    source: str


def _spans(folded: str, terms: list[str]) -> list[tuple[int, int]]:
    spans = []
    for term in terms:
        position = find_term(folded, term)
        if position >= 0:
            spans.append((position, position + len(fold(term))))
    return spans


def detect_attributes(text: str) -> tuple[str, ...]:
    """Attributes the question asks about, in the order the buyer mentions them.

    A cue inside a longer cue of another attribute does not count: "phai màu"
    (fades) is a care question even though "màu" alone would mean colour.
    """
    folded = fold(text)
    spans = {attribute: _spans(folded, [t for terms in by_lang.values() for t in terms])
             for attribute, by_lang in CUES.items()}
    found = []
    for attribute, own in spans.items():
        others = [s for a, ss in spans.items() if a != attribute for s in ss]
        kept = [(lo, hi) for lo, hi in own
                if not any(o_lo <= lo and hi <= o_hi and (o_hi - o_lo) > (hi - lo)
                           for o_lo, o_hi in others)]
        if kept:
            found.append((min(lo for lo, _ in kept), attribute))
    return tuple(a for _, a in sorted(found))


def _description_line(item: ItemKnowledge, attribute: str) -> str | None:
    labels = DESCRIPTION_LABELS.get(attribute, ())
    for line in item.description.splitlines():
        match = re.match(r"\s*([^:：]{1,30})\s*[:：]\s*(.+)$", line)
        if match and fold(match.group(1)).strip() in {fold(label) for label in labels}:
            return match.group(2).strip()
    return None


def _chart_summary(item: ItemKnowledge) -> str | None:
    """'S: Chest (cm) 96, Length (cm) 66; M: ...' from the chart table, short enough to send."""
    chart = item.size_chart
    if chart is None or not chart.rows:
        return None
    parts = []
    for row in chart.rows:
        cells = [f"{col} {cell}" for col, cell in zip(chart.columns[1:3], row[1:3], strict=False)]
        parts.append(f"{row[0]}: {', '.join(cells)}")
    return "; ".join(parts)


def _colour_options(item: ItemKnowledge) -> str | None:
    for name, options in zip(item.tier_names, item.tier_options, strict=False):
        if fold(name) in {fold(t) for t in _COLOUR_TIERS} and options:
            return ", ".join(options)
    return None


def _authenticity(item: ItemKnowledge) -> AttributeValue | None:
    if item.attributes.get("authenticity"):
        return AttributeValue("authenticity", item.attributes["authenticity"], "attribute")
    for line in item.description.splitlines():
        if any(find_term(fold(line), claim) >= 0 for claim in AUTHENTIC_CLAIMS):
            return AttributeValue("authenticity", line.strip(), "description")
    return None


def attribute_value(item: ItemKnowledge, attribute: str) -> AttributeValue | None:
    """The listing's value for `attribute`, or None when the listing does not say."""
    if attribute == "authenticity":
        return _authenticity(item)
    value = item.attributes.get(attribute)
    source = "attribute"
    if not value:
        value, source = _description_line(item, attribute), "description"
    if not value and attribute == "colour":
        value, source = _colour_options(item), "variants"
    if not value:
        return None
    if attribute == "dimensions" and any(h in fold(value) for h in _SIZE_CHART_HINT):
        summary = _chart_summary(item)
        if summary is None:
            return None  # "see size chart" with no chart we can read is no fact
        return AttributeValue(attribute, summary, "size_chart")
    return AttributeValue(attribute, value, source)
