"""Catalog data for the sandbox shops: product specs with English and Traditional Chinese text.

Pure constants (tuples and read-only mappings); `catalog.py` turns them into
items, models, stock and descriptions. Prices are in MYR; the TW shop converts.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import NamedTuple


class Spec(NamedTuple):
    """One product line: tiers hold option tokens translated via the tables below."""

    key: str
    category: str
    en: str
    zh: str
    price: float
    tiers: tuple[tuple[str, tuple[str, ...]], ...]
    material: str
    dims: str
    compat: str
    origin: str
    weight_kg: float


Pair = tuple[str, str]

COLOURS: MappingProxyType[str, Pair] = MappingProxyType({
    "black": ("Black", "黑色"), "white": ("White", "白色"), "navy": ("Navy", "深藍色"),
    "grey": ("Grey", "灰色"), "beige": ("Beige", "米色"), "pink": ("Pink", "粉色"),
    "red": ("Red", "紅色"), "green": ("Sage Green", "鼠尾草綠"), "blue": ("Blue", "藍色"),
    "brown": ("Brown", "咖啡色"), "purple": ("Lilac", "淡紫色"), "yellow": ("Mustard", "芥末黃"),
    "clear": ("Clear", "透明"), "khaki": ("Khaki", "卡其色"), "silver": ("Silver", "銀色"),
})

TIER_NAMES: MappingProxyType[str, Pair] = MappingProxyType({
    "colour": ("Colour", "顏色"), "size": ("Size", "尺寸"), "model": ("Phone model", "手機型號"),
    "capacity": ("Capacity", "容量"), "length": ("Length", "長度"), "pack": ("Pack", "組合"),
    "shoe": ("EU Size", "鞋碼"), "scent": ("Scent", "香味"),
})

PACKS: MappingProxyType[str, Pair] = MappingProxyType({
    "1pc": ("1 pc", "1入"), "2pcs": ("2 pcs", "2入組"), "3pcs": ("3 pcs", "3入組"),
    "lavender": ("Lavender", "薰衣草"), "citrus": ("Citrus", "柑橘"),
    "unscented": ("Unscented", "無香"),
    "rose": ("Rose", "玫瑰"),
})

MATERIALS: MappingProxyType[str, Pair] = MappingProxyType({
    "cotton": ("100% cotton, 220 gsm", "100%純棉 220g"),
    "cotton_span": ("95% cotton, 5% spandex", "95%棉 5%彈性纖維"),
    "linen": ("Linen-cotton blend (55/45)", "亞麻棉混紡 (55/45)"),
    "denim": ("Stretch denim, 98% cotton", "彈性丹寧 98%棉"),
    "poly": ("Quick-dry polyester", "速乾聚酯纖維"),
    "chiffon": ("Chiffon with cotton lining", "雪紡 內襯棉"),
    "knit": ("Acrylic-wool knit", "壓克力羊毛針織"),
    "mesh_eva": ("Breathable mesh upper, EVA sole", "透氣網布鞋面 EVA鞋底"),
    "pu_rubber": ("PU leather upper, rubber sole", "PU皮革鞋面 橡膠鞋底"),
    "canvas": ("Canvas upper, vulcanised rubber sole", "帆布鞋面 硫化橡膠底"),
    "eva": ("Soft EVA foam", "軟質EVA"),
    "tpu": ("Shockproof TPU with raised edges", "防摔TPU 加高邊框"),
    "silicone": ("Liquid silicone, microfibre lining", "液態矽膠 超細纖維內裡"),
    "glass": ("9H tempered glass", "9H鋼化玻璃"),
    "abs_pc": ("Fire-retardant ABS+PC shell", "阻燃ABS+PC外殼"),
    "braided": ("Nylon braided, aluminium plugs", "尼龍編織線 鋁合金接頭"),
    "steel": ("304 stainless steel, BPA-free", "304不鏽鋼 不含BPA"),
    "tritan": ("Tritan BPA-free plastic", "Tritan 不含雙酚A塑料"),
    "ceramic": ("Ceramic non-stick coating, aluminium body", "陶瓷不沾塗層 鋁合金鍋身"),
    "nylon": ("Water-resistant nylon", "防潑水尼龍"),
    "pu": ("Vegan PU leather", "環保PU皮革"),
    "cotton_canvas": ("12 oz cotton canvas", "12安士帆布"),
    "bamboo": ("Bamboo fibre", "竹纖維"),
    "soy_wax": ("Soy wax, cotton wick", "大豆蠟 棉芯"),
    "plush": ("Super-soft plush, PP cotton filling", "超柔短毛絨 PP棉填充"),
    "abs": ("ABS plastic", "ABS塑料"),
    "formula": ("Dermatologist-tested formula", "皮膚科測試配方"),
    "latex": ("Natural latex", "天然乳膠"),
})

ORIGINS: MappingProxyType[str, Pair] = MappingProxyType({
    "my": ("Malaysia", "馬來西亞"), "cn": ("China", "中國"), "tw": ("Taiwan", "台灣"),
    "jp": ("Japan", "日本"), "kr": ("South Korea", "韓國"), "vn": ("Vietnam", "越南"),
    "th": ("Thailand", "泰國"),
})

CARE: MappingProxyType[str, Pair] = MappingProxyType({
    "apparel": ("Machine wash cold inside out, do not bleach, hang dry",
                "冷水翻面機洗，勿漂白，吊掛晾乾"),
    "shoes": ("Wipe with a damp cloth, air dry away from sun", "以濕布擦拭，陰涼處自然風乾"),
    "phone": ("Wipe with a soft cloth; keep away from heat", "以軟布擦拭，避免高溫"),
    "electronics": ("Keep dry, do not use while charging in bed", "保持乾燥，勿在床上邊充邊用"),
    "kitchen": ("Hand wash with mild soap; no steel wool", "以中性清潔劑手洗，勿用鋼刷"),
    "bag": ("Spot clean only", "局部清潔即可"),
    "home": ("Keep away from direct sunlight", "避免陽光直射"),
    "beauty": ("Store below 30°C, use within 12 months of opening",
               "存放於30°C以下，開封後12個月內使用"),
    "toy": ("Surface wash only; not for children under 3", "表面清洗；不適合三歲以下兒童"),
})

SIZES = ("S", "M", "L", "XL", "XXL")
SHOE_SIZES = ("36", "37", "38", "39", "40", "41", "42", "43", "44")
IPHONES = ("iPhone 13", "iPhone 14", "iPhone 15", "iPhone 15 Pro", "iPhone 16")
ANDROIDS = ("Samsung A55", "Samsung S24", "Redmi Note 13", "OPPO Reno 11")

CATEGORY_CARE: MappingProxyType[str, str] = MappingProxyType({
    "top": "apparel", "bottom": "apparel", "dress": "apparel", "shoes": "shoes",
    "phone": "phone", "electronics": "electronics", "kitchen": "kitchen", "bag": "bag",
    "home": "home", "beauty": "beauty", "toy": "toy",
})

SPECS: tuple[Spec, ...] = (
    Spec("tee_oversized", "top", "Oversized Heavyweight Cotton Tee", "寬鬆重磅純棉短T", 29.9,
         (("colour", ("black", "white", "grey", "beige", "green")), ("size", SIZES)),
         "cotton", "see size chart", "", "my", 0.25),
    Spec("tee_basic", "top", "Basic Slim Fit Crew Neck Tee", "基本款修身圓領T恤", 19.9,
         (("colour", ("black", "white", "navy", "pink")), ("size", SIZES)),
         "cotton_span", "see size chart", "", "vn", 0.2),
    Spec("polo", "top", "Pique Polo Shirt", "網眼Polo衫", 39.0,
         (("colour", ("navy", "white", "green")), ("size", SIZES)),
         "cotton", "see size chart", "", "vn", 0.28),
    Spec("linen_shirt", "top", "Linen Blend Long Sleeve Shirt", "亞麻混紡長袖襯衫", 59.0,
         (("colour", ("white", "beige", "blue")), ("size", SIZES)),
         "linen", "see size chart", "", "cn", 0.3),
    Spec("hoodie", "top", "Fleece Zip Hoodie", "刷毛拉鍊連帽外套", 79.0,
         (("colour", ("black", "grey", "khaki")), ("size", SIZES)),
         "cotton", "see size chart", "", "cn", 0.6),
    Spec("cardigan", "top", "Soft Knit Cardigan", "軟糯針織開衫", 55.0,
         (("colour", ("beige", "purple", "grey")), ("size", ("S", "M", "L", "XL"))),
         "knit", "see size chart", "", "cn", 0.4),
    Spec("sport_tee", "top", "Dry-Fit Running Tee", "速乾跑步運動T", 25.0,
         (("colour", ("black", "blue", "red")), ("size", SIZES)),
         "poly", "see size chart", "", "th", 0.15),
    Spec("jeans", "bottom", "High Waist Straight Jeans", "高腰直筒牛仔褲", 69.0,
         (("colour", ("blue", "black")), ("size", ("S", "M", "L", "XL"))),
         "denim", "see size chart", "", "cn", 0.55),
    Spec("chinos", "bottom", "Stretch Chino Pants", "彈性休閒卡其褲", 59.0,
         (("colour", ("khaki", "navy", "black")), ("size", SIZES)),
         "cotton_span", "see size chart", "", "vn", 0.45),
    Spec("joggers", "bottom", "Cotton Jogger Pants", "棉質束口縮腳褲", 45.0,
         (("colour", ("black", "grey")), ("size", SIZES)),
         "cotton", "see size chart", "", "my", 0.4),
    Spec("wide_pants", "bottom", "Wide Leg Culottes", "寬褲裙褲", 49.0,
         (("colour", ("black", "beige", "brown")), ("size", ("S", "M", "L", "XL"))),
         "linen", "see size chart", "", "cn", 0.35),
    Spec("midi_dress", "dress", "Floral Chiffon Midi Dress", "碎花雪紡中長洋裝", 89.0,
         (("colour", ("pink", "blue", "yellow")), ("size", ("S", "M", "L", "XL"))),
         "chiffon", "see size chart", "", "cn", 0.35),
    Spec("shirt_dress", "dress", "Button Down Shirt Dress", "排釦襯衫洋裝", 75.0,
         (("colour", ("white", "khaki", "navy")), ("size", ("S", "M", "L", "XL"))),
         "linen", "see size chart", "", "vn", 0.4),
    Spec("baju_kurung", "dress", "Modern Baju Kurung Set", "現代馬來傳統套裝", 129.0,
         (("colour", ("green", "purple", "beige")), ("size", ("S", "M", "L", "XL"))),
         "chiffon", "see size chart", "", "my", 0.7),
    Spec("runner", "shoes", "Cloudstep Lightweight Running Shoes", "輕量緩震慢跑鞋", 119.0,
         (("colour", ("black", "white", "grey")), ("shoe", SHOE_SIZES)),
         "mesh_eva", "see size chart", "", "vn", 0.6),
    Spec("canvas_shoe", "shoes", "Classic Low Top Canvas Sneakers", "經典低筒帆布鞋", 69.0,
         (("colour", ("white", "black", "navy")), ("shoe", SHOE_SIZES)),
         "canvas", "see size chart", "", "cn", 0.7),
    Spec("loafer", "shoes", "Soft Leather Penny Loafers", "軟皮樂福鞋", 99.0,
         (("colour", ("black", "brown")), ("shoe", SHOE_SIZES[1:8])),
         "pu_rubber", "see size chart", "", "cn", 0.8),
    Spec("slides", "shoes", "Cloud Foam Slides", "雲朵厚底拖鞋", 29.0,
         (("colour", ("black", "beige", "pink", "green")),
          ("shoe", ("36", "38", "40", "42", "44"))),
         "eva", "see size chart", "", "cn", 0.3),
    Spec("case_iphone", "phone", "Shockproof Clear Case with MagSafe", "磁吸透明防摔手機殼", 35.0,
         (("model", IPHONES), ("colour", ("clear", "black"))),
         "tpu", "fits listed model exactly", "iPhone 13 to iPhone 16 (select model)", "cn", 0.05),
    Spec("case_silicone", "phone", "Liquid Silicone Case", "液態矽膠手機殼", 29.0,
         (("model", IPHONES + ANDROIDS[:2]), ("colour", ("black", "purple", "green", "pink"))),
         "silicone", "fits listed model exactly", "iPhone 13-16, Samsung A55, S24", "cn", 0.05),
    Spec("screen_guard", "phone", "Tempered Glass Screen Protector (2 pcs)",
         "滿版鋼化玻璃保護貼(2入)", 15.0,
         (("model", IPHONES + ANDROIDS),),
         "glass", "0.33 mm thick", "iPhone 13-16, Samsung A55/S24, Redmi Note 13, OPPO Reno 11",
         "cn", 0.04),
    Spec("charger_20w", "electronics", "20W USB-C PD Fast Charger", "20W USB-C PD快充頭", 39.0,
         (("colour", ("white", "black")),),
         "abs_pc", "4.5 x 3.5 x 2.8 cm", "iPhone 8 and newer, Android PD phones, iPad", "cn", 0.06),
    Spec("charger_65w", "electronics", "65W GaN 3-Port Charger", "65W 氮化鎵三孔充電器", 99.0,
         (("colour", ("white", "black")),),
         "abs_pc", "5.2 x 5.2 x 3 cm", "Laptops (USB-C PD), MacBook Air, phones, Switch",
         "cn", 0.12),
    Spec("cable_c", "electronics", "Braided USB-C to USB-C Cable 60W", "編織USB-C快充線 60W", 19.0,
         (("length", ("1m", "2m")), ("colour", ("black", "white", "red"))),
         "braided", "1 m / 2 m", "USB-C phones, iPhone 15/16, iPad, laptops", "cn", 0.05),
    Spec("cable_l", "electronics", "USB-C to Lightning Cable (MFi)",
         "USB-C對Lightning傳輸線(MFi認證)", 29.0,
         (("length", ("1m", "2m")),),
         "braided", "1 m / 2 m", "iPhone 5 to iPhone 14, AirPods", "cn", 0.05),
    Spec("powerbank", "electronics", "10000mAh Slim Power Bank 22.5W",
         "10000mAh 輕薄行動電源 22.5W", 69.0,
         (("colour", ("white", "black", "blue")),),
         "abs_pc", "14 x 6.8 x 1.5 cm", "All phones with USB-C or Lightning cable", "cn", 0.22),
    Spec("earbuds", "electronics", "ANC Wireless Earbuds Pro", "主動降噪真無線藍牙耳機", 149.0,
         (("colour", ("white", "black")),),
         "abs_pc", "case 6 x 4.8 x 2.5 cm", "Bluetooth 5.3, iOS and Android", "cn", 0.08),
    Spec("smartwatch_strap", "electronics", "Sport Band for Apple Watch",
         "Apple Watch 運動錶帶", 25.0,
         (("size", ("41mm", "45mm")), ("colour", ("black", "white", "pink", "green"))),
         "silicone", "fits 130-200 mm wrist", "Apple Watch Series 4-10, SE (41/45 mm)", "cn", 0.03),
    Spec("bottle_steel", "kitchen", "Insulated Steel Water Bottle", "保溫不鏽鋼水壺", 45.0,
         (("capacity", ("500ml", "750ml", "1000ml")), ("colour", ("black", "white", "green"))),
         "steel", "7.5 cm diameter", "fits most car cup holders (500/750 ml)", "cn", 0.35),
    Spec("tumbler", "kitchen", "Tritan Straw Tumbler", "Tritan 吸管隨行杯", 29.0,
         (("capacity", ("600ml", "900ml")), ("colour", ("pink", "purple", "clear"))),
         "tritan", "9 x 22 cm", "", "kr", 0.25),
    Spec("pan", "kitchen", "Ceramic Non-Stick Frying Pan", "陶瓷不沾平底鍋", 89.0,
         (("size", ("24cm", "28cm")),),
         "ceramic", "24 cm / 28 cm diameter", "gas, induction, ceramic hobs", "kr", 0.9),
    Spec("lunchbox", "kitchen", "Leakproof Steel Lunch Box", "防漏不鏽鋼便當盒", 39.0,
         (("capacity", ("800ml", "1200ml")),),
         "steel", "19 x 13 x 6 cm", "not microwave safe", "cn", 0.4),
    Spec("tote", "bag", "Everyday Canvas Tote Bag", "日常帆布托特包", 35.0,
         (("colour", ("beige", "black", "navy")),),
         "cotton_canvas", "38 x 35 x 12 cm", "fits 14-inch laptop", "my", 0.35),
    Spec("backpack", "bag", "Laptop Backpack with USB Port", "USB充電筆電後背包", 99.0,
         (("colour", ("black", "grey", "navy")),),
         "nylon", "45 x 30 x 15 cm", "fits 15.6-inch laptop", "cn", 0.9),
    Spec("sling", "bag", "Mini Crossbody Sling Bag", "迷你斜背包", 45.0,
         (("colour", ("black", "beige", "brown", "pink")),),
         "pu", "20 x 14 x 7 cm", "fits phones up to 6.9 inch", "cn", 0.3),
    Spec("towel", "home", "Bamboo Bath Towel Set", "竹纖維浴巾組", 49.0,
         (("colour", ("white", "grey", "beige")), ("pack", ("1pc", "2pcs"))),
         "bamboo", "70 x 140 cm", "", "cn", 0.6),
    Spec("candle", "home", "Soy Wax Scented Candle", "大豆蠟香氛蠟燭", 32.0,
         (("scent", ("lavender", "citrus", "rose")),),
         "soy_wax", "8 x 9 cm, 200 g, ~40 h burn", "", "my", 0.35),
    Spec("pillow", "home", "Contour Latex Pillow", "人體工學乳膠枕", 119.0,
         (), "latex", "60 x 40 x 10/12 cm", "", "th", 1.2),
    Spec("sunscreen", "beauty", "Aqua Gel Sunscreen SPF50+ PA++++", "水感防曬凝膠 SPF50+", 39.0,
         (), "formula", "50 ml", "all skin types", "jp", 0.08),
    Spec("serum", "beauty", "Niacinamide 10% Brightening Serum", "10%菸鹼醯胺亮白精華", 49.0,
         (("capacity", ("30ml", "50ml")),),
         "formula", "30 ml / 50 ml", "oily and combination skin", "kr", 0.1),
    Spec("lip_tint", "beauty", "Velvet Lip Tint", "絲絨唇釉", 19.0,
         (("colour", ("red", "pink", "brown")),),
         "formula", "4 g", "", "kr", 0.03),
    Spec("plush", "toy", "Capybara Plush Toy", "水豚君絨毛娃娃", 35.0,
         (("size", ("25cm", "40cm")),),
         "plush", "25 cm / 40 cm tall", "age 3+", "cn", 0.3),
    Spec("blocks", "toy", "Mini Building Blocks City Set (520 pcs)", "城市迷你積木組(520片)", 59.0,
         (), "abs", "box 28 x 19 x 6 cm", "compatible with major brick brands, age 8+", "cn", 0.6),
)
