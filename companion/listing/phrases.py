"""Short localized phrases the listing answers are built from, in the ten languages.

Why here and not in rule templates: the size reason and the measurement
request carry numbers and sizes in a sentence, and that sentence has to be in
the buyer's language; the seller's template wraps it ({{size_reason}},
{{size_question}}). Keys: labels (height, weight, foot), fit, split, edge,
soldout, soldout_none, ask, missing (height, weight, foot), joiner, which.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

LANGUAGES = ("zh-Hans", "zh-Hant", "en", "id", "vi", "th", "ms", "tl", "pt", "es")
DEFAULT_LANGUAGE = "en"

_P: dict[str, dict[str, object]] = {
    "en": {
        "labels": ("height", "weight", "foot length"),
        "fit": "{measures} is within size {size} on the size chart ({ranges})",
        "split": "{first} suits {a} and {second} suits {b}; {size} is the safer fit",
        "edge": "{measures} is just outside the size chart; the closest size is {size}",
        "soldout": "size {size}{colour} is sold out; the nearest size in stock is {alt}",
        "soldout_none": "size {size}{colour} is sold out and no nearby size is in stock",
        "ask": "Could you share your {missing}? Then we can recommend the right size.",
        "missing": ("height (cm)", "weight (kg)", "foot length in cm (heel to longest toe)"),
        "joiner": " and ",
        "which": "Which item do you mean: {names}?",
    },
    "zh-Hans": {
        "labels": ("身高", "体重", "脚长"),
        "fit": "{measures}在尺码表{size}码的范围内（{ranges}）",
        "split": "{first}适合{a}码，{second}适合{b}码，建议选{size}码更合身",
        "edge": "{measures}略超出尺码表，最接近的是{size}码",
        "soldout": "{size}码{colour}已售完，最接近的有货尺码是{alt}",
        "soldout_none": "{size}码{colour}已售完，相近尺码也暂时无货",
        "ask": "方便告诉我您的{missing}吗？我帮您推荐合适的尺码。",
        "missing": ("身高（cm）", "体重（kg）", "脚长（cm，脚跟到最长脚趾）"),
        "joiner": "和",
        "which": "请问您问的是哪一款：{names}？",
    },
    "zh-Hant": {
        "labels": ("身高", "體重", "腳長"),
        "fit": "{measures}在尺寸表{size}的範圍內（{ranges}）",
        "split": "{first}適合{a}，{second}適合{b}，建議選{size}比較合身",
        "edge": "{measures}略超出尺寸表，最接近的是{size}",
        "soldout": "{size}{colour}已售完，最接近且有貨的尺寸是{alt}",
        "soldout_none": "{size}{colour}已售完，相近尺寸也暫時缺貨",
        "ask": "方便告訴我您的{missing}嗎？我幫您推薦合適的尺寸喔。",
        "missing": ("身高（cm）", "體重（kg）", "腳長（cm，腳跟到最長腳趾）"),
        "joiner": "和",
        "which": "請問您詢問的是哪一款：{names}？",
    },
    "id": {
        "labels": ("tinggi", "berat", "panjang kaki"),
        "fit": "{measures} masuk ukuran {size} di tabel ukuran ({ranges})",
        "split": "{first} cocok {a} dan {second} cocok {b}; {size} lebih aman",
        "edge": "{measures} sedikit di luar tabel ukuran; yang paling dekat {size}",
        "soldout": "ukuran {size}{colour} sedang habis; ukuran terdekat yang ready {alt}",
        "soldout_none": "ukuran {size}{colour} habis dan ukuran terdekat juga kosong",
        "ask": "Boleh info {missing} kakak? Nanti kami bantu pilihkan ukuran yang pas.",
        "missing": ("tinggi badan (cm)", "berat badan (kg)", "panjang kaki (cm)"),
        "joiner": " dan ",
        "which": "Maksud kakak produk yang mana: {names}?",
    },
    "ms": {
        "labels": ("tinggi", "berat", "panjang kaki"),
        "fit": "{measures} dalam julat saiz {size} pada carta saiz ({ranges})",
        "split": "{first} sesuai {a} dan {second} sesuai {b}; {size} lebih selesa",
        "edge": "{measures} sedikit di luar carta saiz; paling hampir ialah {size}",
        "soldout": "saiz {size}{colour} sudah habis; saiz terdekat yang ada stok ialah {alt}",
        "soldout_none": "saiz {size}{colour} sudah habis dan saiz berdekatan pun tiada stok",
        "ask": "Boleh kongsi {missing} anda? Kami boleh cadangkan saiz yang sesuai.",
        "missing": ("tinggi (cm)", "berat (kg)", "panjang kaki (cm)"),
        "joiner": " dan ",
        "which": "Produk yang mana satu ya: {names}?",
    },
    "vi": {
        "labels": ("chiều cao", "cân nặng", "chiều dài chân"),
        "fit": "{measures} nằm trong size {size} của bảng size ({ranges})",
        "split": "{first} hợp size {a}, {second} hợp size {b}; chọn {size} sẽ vừa hơn",
        "edge": "{measures} hơi nằm ngoài bảng size; gần nhất là size {size}",
        "soldout": "size {size}{colour} đã hết hàng; size gần nhất còn hàng là {alt}",
        "soldout_none": "size {size}{colour} đã hết và các size gần đó cũng hết hàng",
        "ask": "Bạn cho shop xin {missing} nhé, shop tư vấn size phù hợp cho bạn.",
        "missing": ("chiều cao (cm)", "cân nặng (kg)", "chiều dài bàn chân (cm)"),
        "joiner": " và ",
        "which": "Bạn hỏi sản phẩm nào ạ: {names}?",
    },
    "th": {
        "labels": ("ส่วนสูง", "น้ำหนัก", "ความยาวเท้า"),
        "fit": "{measures} อยู่ในช่วงไซส์ {size} ตามตารางไซส์ ({ranges})",
        "split": "{first} เหมาะกับ {a} และ{second} เหมาะกับ {b} แนะนำ {size} จะใส่สบายกว่า",
        "edge": "{measures} เกินตารางไซส์เล็กน้อย ไซส์ที่ใกล้ที่สุดคือ {size}",
        "soldout": "ไซส์ {size}{colour} หมดแล้ว ไซส์ใกล้เคียงที่มีของคือ {alt}",
        "soldout_none": "ไซส์ {size}{colour} หมดแล้ว และไซส์ใกล้เคียงก็หมดเช่นกัน",
        "ask": "รบกวนแจ้ง{missing}หน่อยนะคะ ทางร้านจะช่วยแนะนำไซส์ที่เหมาะให้ค่ะ",
        "missing": ("ส่วนสูง (ซม.)", "น้ำหนัก (กก.)", "ความยาวเท้า (ซม.)"),
        "joiner": "และ",
        "which": "สอบถามสินค้าตัวไหนคะ: {names}?",
    },
    "tl": {
        "labels": ("height", "timbang", "haba ng paa"),
        "fit": "pasok ang {measures} sa size {size} ng size chart ({ranges})",
        "split": "bagay ang {first} sa {a} at ang {second} sa {b}; mas sakto ang {size}",
        "edge": "medyo labas sa size chart ang {measures}; pinakamalapit ang {size}",
        "soldout": "sold out na ang size {size}{colour}; ang pinakamalapit na may stock ay {alt}",
        "soldout_none": ("sold out na ang size {size}{colour} at wala ring stock ang kalapit"
                         " na size"),
        "ask": ("Pwede po bang malaman ang {missing} ninyo? Para ma-recommend namin ang tamang"
                " size."),
        "missing": ("height (cm)", "timbang (kg)", "haba ng paa (cm)"),
        "joiner": " at ",
        "which": "Alin pong item ang tinutukoy ninyo: {names}?",
    },
    "pt": {
        "labels": ("altura", "peso", "comprimento do pé"),
        "fit": "{measures} fica no tamanho {size} da tabela de medidas ({ranges})",
        "split": "{first} corresponde ao {a} e {second} ao {b}; o {size} veste melhor",
        "edge": "{measures} fica um pouco fora da tabela; o mais próximo é o {size}",
        "soldout": "o tamanho {size}{colour} está esgotado; o mais próximo em estoque é o {alt}",
        "soldout_none": "o tamanho {size}{colour} está esgotado e os tamanhos próximos também",
        "ask": "Pode me informar {missing}? Assim indicamos o tamanho certo.",
        "missing": ("sua altura (cm)", "seu peso (kg)", "o comprimento do pé (cm)"),
        "joiner": " e ",
        "which": "Qual produto você quer dizer: {names}?",
    },
    "es": {
        "labels": ("estatura", "peso", "largo del pie"),
        "fit": "{measures} corresponde a la talla {size} de la tabla de medidas ({ranges})",
        "split": "{first} corresponde a {a} y {second} a {b}; la {size} te quedará mejor",
        "edge": "{measures} queda un poco fuera de la tabla; la más cercana es la {size}",
        "soldout": "la talla {size}{colour} está agotada; la más cercana con stock es la {alt}",
        "soldout_none": "la talla {size}{colour} está agotada y las tallas cercanas también",
        "ask": "¿Nos indicas {missing}? Así te recomendamos la talla correcta.",
        "missing": ("tu estatura (cm)", "tu peso (kg)", "el largo de tu pie (cm)"),
        "joiner": " y ",
        "which": "¿Qué producto quieres decir: {names}?",
    },
}
PHRASES: Mapping[str, Mapping[str, object]] = MappingProxyType(
    {lang: MappingProxyType(table) for lang, table in _P.items()}
)


def language_or_default(language: str | None) -> str:
    return language if language in PHRASES else DEFAULT_LANGUAGE


def phrase(language: str | None, key: str) -> str:
    """One phrase in the buyer's language (English when the language is unknown)."""
    value = PHRASES[language_or_default(language)][key]
    assert isinstance(value, str)
    return value


def words(language: str | None, key: str) -> tuple[str, ...]:
    """A tuple entry (labels, missing) in the buyer's language."""
    value = PHRASES[language_or_default(language)][key]
    assert isinstance(value, tuple)
    return value
