"""Stop words in every language the companion speaks, and ordinary questions left alone."""

from __future__ import annotations

import pytest

from companion.followups.markets import LANGUAGES, guess_language
from companion.followups.stopwords import STOP_PHRASES, asked_to_stop
from companion.followups.templates import DELAY_APOLOGY, REPURCHASE_VOUCHER, REVIEW_REQUEST

SAID = {
    "en": "Please STOP messaging me.",
    "ms": "Tolong jangan hantar mesej lagi",
    "id": "Tolong jangan kirim pesan lagi ya",
    "vi": "Làm ơn đừng nhắn cho tôi nữa",
    "th": "กรุณาหยุดส่งข้อความมาค่ะ",
    "tl": "Huwag nang mag-message sa akin",
    "pt": "Por favor pare de enviar mensagens",
    "es": "Por favor deja de enviar mensajes",
    "zh-Hans": "请不要再发消息给我了",
    "zh-Hant": "請不要再傳訊息給我",
}
ORDINARY = ["When will my order arrive?", "Bila barang sampai?", "Kapan pesanan saya dikirim?",
            "Khi nào hàng đến?", "สินค้าจะมาถึงเมื่อไหร่คะ", "Kailan darating ang order ko?",
            "Quando chega meu pedido?", "¿Cuándo llega mi pedido?", "我的订单什么时候到？",
            "我的訂單什麼時候到？", "Does this stopper fit?"]


def test_every_language_has_stop_phrases_and_default_texts() -> None:
    assert set(STOP_PHRASES) == set(LANGUAGES)
    for texts in (REVIEW_REQUEST, REPURCHASE_VOUCHER, DELAY_APOLOGY):
        assert set(texts) == set(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_request_to_stop_is_understood_in(language: str) -> None:
    assert asked_to_stop(SAID[language]) is not None


@pytest.mark.parametrize("text", ORDINARY)
def test_an_ordinary_question_is_not_a_request_to_stop(text: str) -> None:
    assert asked_to_stop(text) is None


def test_the_buyers_language_comes_from_what_they_wrote_else_the_market() -> None:
    assert guess_language(["請問還有貨嗎"], "MY") == "zh-Hant"
    assert guess_language(["请问还有货吗"], "TW") == "zh-Hans"
    assert guess_language(["มีสีอื่นไหม"], "MY") == "th"
    assert guess_language(["bila barang sampai, terima kasih"], "MY") == "ms"
    assert guess_language([], "TW") == "zh-Hant"
