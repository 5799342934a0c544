"""The shipped model (companion/nlu/model/intent.ftz) on clear, realistic buyer messages."""

from __future__ import annotations

import pytest

from companion.nlu import INTENTS, LANGUAGES, Understander

CLEAR: dict[str, dict[str, str]] = {
    "en": {
        "stock": "hi, is the black one still in stock?",
        "product_spec": "what material is this shirt made of?",
        "size_advice": "i'm 165cm 55kg, which size should i take?",
        "promotion": "any voucher or discount for this item?",
        "recommendation": "which one is your best seller? want to buy as a gift",
        "order_status": "my order still not arrived, when will it reach?",
        "shipping_fee": "how much is the shipping fee to sabah?",
        "tracking_number": "can send me the tracking number?",
        "address_change": "i typed the wrong address, can you change it to my office?",
        "return_refund": "i want to return this and get a refund",
        "item_problem": "the item arrived broken, the screen is cracked",
        "product_usage": "how do i use this? no manual inside",
        "warranty": "how long is the warranty for this fan?",
        "cancel_order": "please cancel my order, i ordered the wrong one",
        "greeting": "ok thank you!",
        "human_agent": "can i talk to a real person please",
        "other": "do you want to collaborate with my tiktok agency?",
    },
    "zh-Hans": {
        "stock": "这款黑色还有货吗",
        "order_status": "我的快递怎么还没到",
        "shipping_fee": "寄到广州运费多少",
        "tracking_number": "麻烦发一下快递单号",
        "return_refund": "我要退货退款",
        "cancel_order": "帮我取消订单吧 不要了",
        "human_agent": "转人工客服",
        "greeting": "好的 谢谢",
    },
    "zh-Hant": {
        "stock": "請問這個還有現貨嗎",
        "shipping_fee": "運費多少錢",
        "return_refund": "我想退貨退款",
        "cancel_order": "我要取消訂單",
        "warranty": "保固多久",
    },
    "id": {
        "stock": "kak stok warna hitam masih ada?",
        "shipping_fee": "ongkir ke surabaya berapa kak",
        "tracking_number": "kak minta nomor resi nya dong",
        "cancel_order": "kak tolong batalkan pesanan saya",
        "return_refund": "kak saya mau retur barang dan refund",
    },
    "vi": {
        "stock": "shop ơi mẫu này còn hàng không ạ",
        "shipping_fee": "phí ship về hà nội bao nhiêu vậy shop",
        "cancel_order": "shop hủy đơn giúp mình nhé",
        "warranty": "sản phẩm này bảo hành bao lâu ạ",
    },
    "th": {
        "stock": "สินค้ายังมีของไหมคะ",
        "cancel_order": "ขอยกเลิกคำสั่งซื้อค่ะ",
        "warranty": "รับประกันกี่เดือนคะ",
        "return_refund": "ขอคืนสินค้าและคืนเงินค่ะ",
    },
    "ms": {
        "stock": "ada stok lagi tak untuk warna hitam?",
        # "tolong batalkan pesanan saya" alone is the same in Indonesian; "tak jadi" is Malay.
        "cancel_order": "saya nak batalkan pesanan, tak jadi beli",
        "shipping_fee": "berapa caj pos ke sabah?",
    },
    "tl": {
        "stock": "available pa po ba ito?",
        "cancel_order": "pa-cancel po ng order ko",
        "shipping_fee": "magkano po ang shipping fee papuntang cebu?",
    },
    "pt": {
        "stock": "ainda tem no estoque?",
        "shipping_fee": "quanto fica o frete para são paulo?",
        "cancel_order": "quero cancelar meu pedido",
        "return_refund": "quero devolver e pedir reembolso",
    },
    "es": {
        "stock": "¿todavía tienen disponible en color negro?",
        "shipping_fee": "¿cuánto cuesta el envío a monterrey?",
        "cancel_order": "quiero cancelar mi pedido por favor",
        "warranty": "¿cuánto tiempo de garantía tiene?",
    },
}

CASES = [(lang, intent, text) for lang, per in CLEAR.items() for intent, text in per.items()]


@pytest.fixture(scope="module")
def nlu() -> Understander:
    return Understander.load()


def test_every_intent_and_language_is_covered_by_the_clear_examples() -> None:
    assert set(CLEAR["en"]) == set(INTENTS)
    assert set(CLEAR) == set(LANGUAGES)


@pytest.mark.parametrize(("lang", "intent", "text"), CASES)
def test_shipped_model_gets_intent_and_language_of_clear_messages(
    nlu: Understander, lang: str, intent: str, text: str
) -> None:
    u = nlu.understand(text)
    assert (u.intent, u.language) == (intent, lang)
    assert u.pillar == INTENTS[intent]


def test_shipped_model_flags_anger_and_requests_for_a_person(nlu: Understander) -> None:
    angry = nlu.understand(
        "broken AGAIN!! worst seller ever, scammer, i will report you to shopee 😡"
    )
    assert angry.negative
    calm = nlu.understand("hi, is the black one still in stock?")
    assert not calm.negative and not calm.wants_human
    mixed = nlu.understand("refund now, let me talk to a real person")
    assert mixed.wants_human


def test_shipped_model_metadata_has_a_calibrated_threshold(nlu: Understander) -> None:
    assert 0.3 <= nlu.threshold < 1.0
    assert nlu.meta["corpus"]["lines"] >= 8500
