"""Normalisation: one canonical token line per message, per language."""

from __future__ import annotations

import pytest

from companion.nlu.normalize import fold_for_match, normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ＨＥＬＬＯ pleaseeee!!!", "hello pleasee !"),
        ("我的订单231124QW8E7R2K什么时候到？", "我 的 订 单 __ordersn__ 什 么 时 候 到 ?"),
        ("這個有貨嗎", "這 個 有 貨 嗎"),
        ("มีของไหมคะ", "มี ข อ ง ไ ห ม ค ะ"),
        ("Rp 50.000 ongkir ke medan?", "__price__ ongkir ke medan ?"),
        (
            "tinggi 160cm berat 55kg size M atau L",
            "tinggi __cm__ berat __kg__ size __size__ atau __size__",
        ),
        ("còn hàng không ạ 😡😡", "còn hàng không ạ __emo_angry__ __emo_angry__"),
        ("https://shopee.co.id/product/123/456 ada?", "__itemlink__ ada ?"),
        ("quanto custa o frete? R$ 15,90", "quanto custa o frete ? __price__"),
        ("¿tienen talla XL?", "tienen talla __size__ ?"),
        ("mag-order ako ng 2 pcs", "mag order ako ng __qty__"),
        ("call me 0812-3456-7890", "call me __longnum__"),
        ("hi\u200bthere\u202e", "hi there"),
        ("order 231124qw8e7r2k belum sampai", "order __ordersn__ belum sampai"),
        ("saya nak RM20 je", "saya nak __price__ je"),
        ("ครับบบบบ", "ค รั บ บ"),
    ],
)
def test_messages_normalise_to_the_expected_token_line(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_fold_for_match_folds_width_case_and_invisibles() -> None:
    assert fold_for_match("ＲＥＦＵＮＤ\u200b Now") == "refund now"
    assert fold_for_match("退款\u202e") == "退款"


def test_normalised_line_never_contains_a_newline_or_a_fasttext_label() -> None:
    line = normalize("a\nb __label__x\r\nc")
    assert "\n" not in line
    assert "__label__" not in line
