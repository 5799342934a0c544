"""Turn catalog specs into a shop's items: localized names, models, prices, stock, size charts."""

from __future__ import annotations

import itertools
import random
import zlib
from typing import Any

from companion.sandbox.catalog_data import (
    CARE,
    CATEGORY_CARE,
    COLOURS,
    MATERIALS,
    ORIGINS,
    PACKS,
    SPECS,
    TIER_NAMES,
    Spec,
)
from companion.sandbox.state import Item, Model, Shop

SOLD_OUT_SHARE = 0.15
APPAREL = frozenset({"top", "bottom", "dress"})


def _lang_index(shop: Shop) -> int:
    return 1 if shop.language == "zh-Hant" else 0


def _option_label(token: str, lang: int) -> str:
    for table in (COLOURS, PACKS):
        if token in table:
            return table[token][lang]
    return token


def _price(shop: Shop, myr: float) -> float:
    """Shop-currency price: TWD prices end in 9 like real TW listings."""
    if shop.currency == "TWD":
        return float(int(myr * 7.2 / 10) * 10 + 9)
    return round(myr, 2)


def apparel_chart(spec: Spec, lang: int, loose: int) -> dict[str, Any]:
    """A body-measurement size chart; `loose` widens oversized cuts."""
    sizes = dict(spec.tiers)["size"]
    heads = (["Size", "Chest (cm)", "Length (cm)", "Height (cm)", "Weight (kg)"],
             ["尺寸", "胸圍(cm)", "衣長(cm)", "建議身高(cm)", "建議體重(kg)"])[lang]
    if spec.category == "bottom":
        heads = (["Size", "Waist (cm)", "Hip (cm)", "Length (cm)", "Weight (kg)"],
                 ["尺寸", "腰圍(cm)", "臀圍(cm)", "褲長(cm)", "建議體重(kg)"])[lang]
    rows = []
    for i, size in enumerate(sizes):
        if spec.category == "bottom":
            rows.append([size, 64 + 5 * i, 90 + 5 * i, 96 + 2 * i, f"{45 + 7 * i}-{52 + 7 * i}"])
        else:
            rows.append([size, 96 + loose + 6 * i, 66 + 2 * i, f"{150 + 6 * i}-{158 + 6 * i}",
                         f"{42 + 8 * i}-{50 + 8 * i}"])
    return {"columns": heads, "rows": rows}


def shoe_chart(spec: Spec, lang: int) -> dict[str, Any]:
    heads = (["EU Size", "Foot length (cm)", "UK"], ["鞋碼(EU)", "腳長(cm)", "UK"])[lang]
    rows = [[s, 22.5 + 0.5 * (int(s) - 36), int(s) - 33] for s in dict(spec.tiers)["shoe"]]
    return {"columns": heads, "rows": rows}


def size_chart(spec: Spec, lang: int) -> dict[str, Any] | None:
    if spec.category in APPAREL:
        return apparel_chart(spec, lang, 8 if "oversized" in spec.key else 0)
    if spec.category == "shoes":
        return shoe_chart(spec, lang)
    return None


def attributes(spec: Spec, lang: int) -> dict[str, str]:
    """Attributes later features read: material, dimensions, colours, compatibility, care..."""
    tiers = dict(spec.tiers)
    colours = ", ".join(COLOURS[c][lang] for c in tiers.get("colour", ()))
    return {
        "material": MATERIALS[spec.material][lang],
        "dimensions": spec.dims if lang == 0 else spec.dims.replace("see size chart", "請見尺寸表"),
        "colours": colours,
        "compatibility": spec.compat,
        "care": CARE[CATEGORY_CARE[spec.category]][lang],
        "origin": ORIGINS[spec.origin][lang],
    }


def description(name: str, attrs: dict[str, str], options: str, lang: int) -> str:
    """A listing description in the shop's language, built from the attributes."""
    if lang == 1:
        lines = [f"【{name}】", f"材質：{attrs['material']}", f"尺寸：{attrs['dimensions']}"]
        if options:
            lines.append(f"可選規格：{options}")
        if attrs["compatibility"]:
            lines.append(f"適用：{attrs['compatibility']}")
        lines += [f"保養：{attrs['care']}", f"產地：{attrs['origin']}",
                  "台灣現貨，下單後1-2個工作天出貨。有任何問題歡迎聊聊詢問！"]
        return "\n".join(lines)
    lines = [name, f"Material: {attrs['material']}", f"Size: {attrs['dimensions']}"]
    if options:
        lines.append(f"Options: {options}")
    if attrs["compatibility"]:
        lines.append(f"Compatibility: {attrs['compatibility']}")
    lines += [f"Care: {attrs['care']}", f"Origin: {attrs['origin']}",
              "Ready stock in Malaysia, ships within 1-2 working days.",
              "Chat with us for any question!"]
    return "\n".join(lines)


def _bump(spec: Spec, first_option: int) -> float:
    """Bigger capacities, lengths and non-apparel sizes cost more; apparel sizes do not."""
    tier = spec.tiers[0][0]
    if tier in {"capacity", "length"} or (tier == "size" and spec.category not in APPAREL):
        return 1 + 0.2 * first_option
    return 1.0


def _stock(rng: random.Random) -> int:
    return 0 if rng.random() < SOLD_OUT_SHARE else rng.randint(1, 240)


def build_models(spec: Spec, shop: Shop, item_id: int, rng: random.Random) -> list[Model]:
    lang = _lang_index(shop)
    options = [tuple(range(len(opts))) for _, opts in spec.tiers]
    models = []
    for n, index in enumerate(itertools.product(*options)):
        labels = [_option_label(spec.tiers[t][1][i], lang) for t, i in enumerate(index)]
        original = _price(shop, spec.price * _bump(spec, index[0]))
        price = original if rng.random() < 0.6 else _price(shop, spec.price * 0.85)
        models.append(Model(model_id=item_id * 100 + n + 1, tier_index=list(index),
                            name=",".join(labels), sku=f"{spec.key.upper()}-{n + 1:02d}",
                            price=price, original_price=max(price, original), stock=_stock(rng)))
    return models


def build_item(spec: Spec, shop: Shop, item_id: int, now: int, rng: random.Random) -> Item:
    lang = _lang_index(shop)
    name = (spec.en, spec.zh)[lang]
    attrs = attributes(spec, lang)
    tiers = [(TIER_NAMES[t][lang], [_option_label(o, lang) for o in opts])
             for t, opts in spec.tiers]
    models = build_models(spec, shop, item_id, rng) if spec.tiers else []
    options = "; ".join(f"{t}: {', '.join(opts)}" for t, opts in tiers)
    price = _price(shop, spec.price)
    created = now - rng.randint(30, 400) * 86400
    return Item(
        item_id=item_id, shop_id=shop.shop_id, key=spec.key, category=spec.category, name=name,
        description=description(name, attrs, options, lang), sku=spec.key.upper(),
        status="NORMAL", price=price, original_price=price,
        stock=sum(m.stock for m in models) if models else _stock(rng) + 5,
        weight_kg=spec.weight_kg, dimension_cm=(30, 20, 5), attributes=attrs, tiers=tiers,
        models=models, size_chart=size_chart(spec, lang), create_time=created,
        update_time=now - rng.randint(1, 29) * 86400,
    )


def popularity(item: Item, units_sold: int) -> dict[str, Any]:
    """`get_item_extra_info` figures: a stable per-item base (crc32, no rng draw, so the
    seeded world is unchanged) plus the units of this sandbox's own orders."""
    mix = zlib.crc32(f"{item.shop_id}:{item.key}".encode())
    sale = mix % 900 + 20 + units_sold
    views = sale * (8 + mix % 13)
    comments = sale // (4 + mix % 5)
    return {"item_id": item.item_id, "sale": sale, "views": views,
            "likes": views // (10 + mix % 7), "rating_star": round(4.0 + (mix % 11) / 10, 1),
            "comment_count": comments}


def build_catalog(shop: Shop, now: int, rng: random.Random) -> list[Item]:
    """Every spec becomes one item of this shop, with ids derived from the shop id."""
    base = shop.shop_id % 100_000 * 100_000 + 20_000_000_000
    return [build_item(spec, shop, base + 17 * (n + 1), now, rng) for n, spec in enumerate(SPECS)]
