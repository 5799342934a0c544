"""Entities: order numbers, item ids, sizes, body measures (converted), quantities."""

from __future__ import annotations

import pytest

from companion.nlu.entities import extract


def test_order_numbers_are_found_and_upper_cased() -> None:
    assert extract("order 231124qw8e7r2k belum sampai").order_sns == ("231124QW8E7R2K",)
    assert extract("订单231124QW8E7R2K和240101ABCD1234").order_sns == (
        "231124QW8E7R2K",
        "240101ABCD1234",
    )
    assert extract("call 0812345678").order_sns == ()


@pytest.mark.parametrize(
    ("text", "item"),
    [
        ("https://shopee.co.id/product/123/4567 ada?", "4567"),
        ("https://shopee.vn/Ao-thun-nam-i.111.2222?sp_atk=x", "2222"),
        ("มีไหม https://shopee.co.th/product/9/88", "88"),
    ],
)
def test_item_ids_come_from_shopee_links(text: str, item: str) -> None:
    assert extract(text).item_ids == (item,)


@pytest.mark.parametrize(
    ("text", "height", "weight"),
    [
        ("tinggi 160cm berat 55kg size apa", 160.0, 55.0),
        ("cao 1m65 nặng 55kg mặc size gì", 165.0, 55.0),
        ("身高165公分 體重100斤 穿什麼尺碼", 165.0, 50.0),
        ("I'm 5'4\" and 120lbs, which size?", 162.6, 54.4),
        ("ส่วนสูง 170 น้ำหนัก 60 กิโล ใส่ไซส์ไหน", 170.0, 60.0),
        ("mido 1.70 m y peso 65 kg", 170.0, 65.0),
    ],
)
def test_height_and_weight_are_converted_to_cm_and_kg(
    text: str, height: float, weight: float
) -> None:
    entities = extract(text)
    assert entities.height_cm == height
    assert entities.weight_kg == weight


def test_foot_length_needs_a_foot_or_shoe_context() -> None:
    assert extract("my foot is 26.5cm, EU 42 ok?").foot_length_cm == 26.5
    assert extract("talla 38 para zapatos, pie 24 cm").foot_length_cm == 24.0
    assert extract("the bag is 26cm wide").foot_length_cm is None


def test_sizes_letters_and_shoe_numbers() -> None:
    assert extract("size M or L ya kak?").sizes == ("M", "L")
    assert extract("我要两件XL").sizes == ("XL",)
    assert extract("EU 42 fits?").sizes == ("EU42",)
    assert extract("tamanho 38 serve?").sizes == ("38",)
    assert extract("i am ok").sizes == ()


def test_quantities_in_several_notations() -> None:
    assert extract("mua 2 cái x3").quantities == (2, 3)
    assert extract("我要两件XL").quantities == (2,)
    assert extract("order 5 pcs").quantities == (5,)
    assert extract("hello").quantities == ()
