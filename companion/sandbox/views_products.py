"""Items and models in Shopee's JSON shapes (stock_info_v2, price_info, attribute_list)."""

from __future__ import annotations

from typing import Any

from companion.sandbox.state import Item, Model, Shop

ATTRIBUTE_IDS = {"material": 100134, "dimensions": 100071, "colours": 100037,
                 "compatibility": 100095, "care": 100390, "origin": 100036}


def stock_v2(available: int) -> dict[str, Any]:
    return {
        "summary_info": {"total_available_stock": available, "total_reserved_stock": 0},
        "seller_stock": [{"location_id": "", "stock": available, "if_saleable": True}],
        "shopee_stock": [],
    }


def price_info(shop: Shop, current: float, original: float) -> list[dict[str, Any]]:
    return [{"currency": shop.currency, "original_price": original, "current_price": current,
             "inflated_price_of_original_price": original,
             "inflated_price_of_current_price": current}]


def attribute_list(item: Item) -> list[dict[str, Any]]:
    return [{"attribute_id": ATTRIBUTE_IDS[name], "original_attribute_name": name,
             "is_mandatory": False,
             "attribute_value_list": [{"value_id": 0, "original_value_name": value,
                                       "value_unit": ""}]}
            for name, value in item.attributes.items() if value]


def size_chart_info(item: Item) -> dict[str, Any] | None:
    """Shopee serves size charts as images; the sandbox adds the table itself under `table`."""
    if item.size_chart is None:
        return None
    return {"size_chart": f"https://cf.shopee.sg/file/sandbox-size-{item.key}",
            "size_chart_id": item.item_id % 1_000_000, "table": item.size_chart}


def item_base_info(shop: Shop, item: Item) -> dict[str, Any]:
    info: dict[str, Any] = {
        "item_id": item.item_id, "category_id": 100000 + len(item.category), "item_name": item.name,
        "description": item.description, "description_type": "normal", "item_sku": item.sku,
        "create_time": item.create_time, "update_time": item.update_time,
        "attribute_list": attribute_list(item),
        "image": {"image_url_list": [f"https://cf.shopee.sg/file/sandbox-{item.key}"],
                  "image_id_list": [f"sandbox-{item.key}"]},
        "weight": f"{item.weight_kg:.2f}",
        "dimension": dict(zip(("package_length", "package_width", "package_height"),
                              item.dimension_cm, strict=True)),
        "pre_order": {"is_pre_order": False, "days_to_ship": 2}, "condition": "NEW",
        "item_status": item.status, "has_model": bool(item.models), "has_promotion": False,
        "brand": {"brand_id": 0, "original_brand_name": "NoBrand"},
        "size_chart_info": size_chart_info(item),
    }
    if not item.models:
        info["price_info"] = price_info(shop, item.price, item.original_price)
        info["stock_info_v2"] = stock_v2(item.stock)
    return info


def model_record(shop: Shop, model: Model) -> dict[str, Any]:
    return {
        "model_id": model.model_id, "tier_index": model.tier_index, "model_sku": model.sku,
        "model_name": model.name,
        "model_status": "MODEL_NORMAL" if model.stock > 0 else "MODEL_UNAVAILABLE",
        "price_info": price_info(shop, model.price, model.original_price),
        "stock_info_v2": stock_v2(model.stock), "pre_order": {"is_pre_order": False,
                                                             "days_to_ship": 2},
        "has_promotion": model.price < model.original_price,
    }


def model_list(shop: Shop, item: Item) -> dict[str, Any]:
    return {
        "tier_variation": [{"name": name, "option_list": [{"option": o} for o in options]}
                           for name, options in item.tiers],
        "model": [model_record(shop, m) for m in item.models],
        "standardise_tier_variation": [],
    }
