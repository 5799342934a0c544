"""Normalisation: one canonical token line per message, per language."""

from __future__ import annotations

import pytest

from companion.nlu.normalize import fold_diacritics, fold_for_match, model_line, normalize


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


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("มีของไหมคะ", "มี ข อ ง ไ ห ม ค ะ มีของไหมคะ"),
        ("ส่งยัง ok", "ส่ ง ยั ง ok ส่งยัง"),
        ("这个有货吗", "这 个 有 货 吗"),
        ("BROKEN again!!", "broken again ! __caps__ __shout__"),
        ("WHERE IS MY ORDER", "where is my order __caps__"),
        # Codes and courier names in capitals are not shouting.
        ("zxq 251125GOYWCWS3 kwimble?", "zxq __ordersn__ kwimble ?"),
        ("can SPX deliver by friday?", "can spx deliver by friday ?"),
        ("Hi, is M in stock?", "hi is __size__ in stock ?"),
        ("壞了！！", "壞 了 ! __shout__"),
        ("", ""),
    ],
)
def test_the_model_line_adds_thai_runs_and_shouting_marks(raw: str, expected: str) -> None:
    assert model_line(raw) == expected


def test_the_model_line_starts_with_the_normalised_line() -> None:
    for raw in ("ครับบบบบ ส่งยัง", "WHERE IS MY ORDER 231124QW8E7R2K???", "còn hàng không ạ"):
        assert model_line(raw).startswith(normalize(raw))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("shop ơi còn hàng không ạ, đơn của mình", "shop oi con hang khong a, don cua minh"),
        ("não tem envío ¿cuánto?", "nao tem envio ¿cuanto?"),
        ("ĐƠN HÀNG", "DON HANG"),
        ("这个有货吗 ok", "这个有货吗 ok"),
        ("ยังมีของไหม", "ยังมีของไหม"),
    ],
)
def test_fold_diacritics_drops_latin_accents_and_keeps_other_scripts(
    raw: str, expected: str
) -> None:
    assert fold_diacritics(raw) == expected
