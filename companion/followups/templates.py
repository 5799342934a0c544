"""Default follow-up texts in the ten languages, and rendering that never leaves a hole.

Variables: `{order_sn}`, `{shop_name}`, `{item_name}`, `{voucher_code}`,
`{discount}`, `{min_spend}`, `{valid_until}`. A template naming a variable
that has no value is refused (`TemplateHoleError`), never sent with a gap.
"""

from __future__ import annotations

import string
from collections.abc import Mapping

VARIABLES = frozenset(
    {"order_sn", "shop_name", "item_name", "voucher_code", "discount", "min_spend", "valid_until"}
)

REVIEW_REQUEST = {
    "en": "Hi! Your order {order_sn} has arrived. We hope you like it. If you have a moment, "
          "a rating and review would help us a lot. Thank you for shopping with {shop_name}!",
    "ms": "Hai! Pesanan {order_sn} anda telah sampai. Semoga anda berpuas hati. Jika ada masa, "
          "penilaian dan ulasan anda amat membantu kami. Terima kasih kerana membeli di "
          "{shop_name}!",
    "id": "Halo! Pesanan {order_sn} Anda sudah sampai. Semoga Anda suka. Jika ada waktu, "
          "penilaian dan ulasan Anda sangat membantu kami. Terima kasih sudah belanja di "
          "{shop_name}!",
    "vi": "Xin chào! Đơn hàng {order_sn} của bạn đã được giao. Mong bạn hài lòng. Nếu có thời "
          "gian, đánh giá của bạn sẽ giúp chúng tôi rất nhiều. Cảm ơn bạn đã mua sắm tại "
          "{shop_name}!",
    "th": "สวัสดีค่ะ คำสั่งซื้อ {order_sn} ของคุณจัดส่งถึงแล้ว หวังว่าคุณจะชอบนะคะ หากมีเวลา "
          "รบกวนให้คะแนนและรีวิวสินค้า จะช่วยร้านเราได้มาก ขอบคุณที่อุดหนุน {shop_name} ค่ะ",
    "tl": "Hi! Dumating na ang order mo na {order_sn}. Sana nagustuhan mo. Kung may oras ka, "
          "malaking tulong sa amin ang rating at review mo. Salamat sa pamimili sa {shop_name}!",
    "pt": "Olá! Seu pedido {order_sn} chegou. Esperamos que tenha gostado. Se puder, sua "
          "avaliação nos ajuda muito. Obrigado por comprar na {shop_name}!",
    "es": "¡Hola! Tu pedido {order_sn} ya llegó. Esperamos que te guste. Si tienes un momento, "
          "tu calificación y reseña nos ayudan mucho. ¡Gracias por comprar en {shop_name}!",
    "zh-Hans": "您好！您的订单 {order_sn} 已送达，希望您喜欢。方便的话请给我们评分和评价，"
               "这对我们帮助很大。感谢您光临 {shop_name}！",
    "zh-Hant": "您好！您的訂單 {order_sn} 已送達，希望您喜歡。方便的話請給我們評分和評價，"
               "這對我們幫助很大。感謝您光臨 {shop_name}！",
}

REPURCHASE_VOUCHER = {
    "en": "Thank you for your order {order_sn}! As a returning customer, here is a private "
          "voucher for your next purchase: code {voucher_code}, {discount} off a minimum spend "
          "of {min_spend}, valid until {valid_until}.",
    "ms": "Terima kasih atas pesanan {order_sn}! Untuk pelanggan setia, ini baucar peribadi "
          "untuk pembelian seterusnya: kod {voucher_code}, diskaun {discount} untuk perbelanjaan "
          "minimum {min_spend}, sah sehingga {valid_until}.",
    "id": "Terima kasih atas pesanan {order_sn}! Untuk pelanggan setia, ini voucher khusus untuk "
          "pembelian berikutnya: kode {voucher_code}, potongan {discount} dengan minimum belanja "
          "{min_spend}, berlaku sampai {valid_until}.",
    "vi": "Cảm ơn bạn đã đặt đơn {order_sn}! Dành cho khách hàng thân thiết, đây là mã giảm giá "
          "riêng cho lần mua tiếp theo: mã {voucher_code}, giảm {discount} cho đơn từ "
          "{min_spend}, hạn dùng đến {valid_until}.",
    "th": "ขอบคุณสำหรับคำสั่งซื้อ {order_sn} ค่ะ สำหรับลูกค้าประจำ นี่คือโค้ดส่วนลดพิเศษสำหรับการซื้อครั้งถัดไป: "
          "โค้ด {voucher_code} ลด {discount} เมื่อซื้อขั้นต่ำ {min_spend} ใช้ได้ถึง {valid_until}",
    "tl": "Salamat sa order mo na {order_sn}! Para sa aming suki, narito ang private voucher para "
          "sa susunod mong bili: code {voucher_code}, {discount} off sa minimum na {min_spend}, "
          "valid hanggang {valid_until}.",
    "pt": "Obrigado pelo pedido {order_sn}! Como cliente especial, aqui está um cupom exclusivo "
          "para a próxima compra: código {voucher_code}, {discount} de desconto em compras a "
          "partir de {min_spend}, válido até {valid_until}.",
    "es": "¡Gracias por tu pedido {order_sn}! Como cliente frecuente, aquí tienes un cupón "
          "privado para tu próxima compra: código {voucher_code}, {discount} de descuento con "
          "compra mínima de {min_spend}, válido hasta {valid_until}.",
    "zh-Hans": "感谢您的订单 {order_sn}！作为回头客，送您一张专属优惠券：代码 {voucher_code}，"
               "满 {min_spend} 减 {discount}，有效期至 {valid_until}。",
    "zh-Hant": "感謝您的訂單 {order_sn}！作為回頭客，送您一張專屬優惠券：代碼 {voucher_code}，"
               "滿 {min_spend} 折 {discount}，有效期至 {valid_until}。",
}

DELAY_APOLOGY = {
    "en": "Hi! We are sorry that your order {order_sn} is taking longer than expected. The "
          "parcel is with the courier and we are following it up. Thank you for your patience.",
    "ms": "Hai! Kami mohon maaf kerana pesanan {order_sn} anda mengambil masa lebih lama. "
          "Bungkusan ada pada kurier dan kami sedang memantaunya. Terima kasih atas kesabaran "
          "anda.",
    "id": "Halo! Mohon maaf pesanan {order_sn} Anda memakan waktu lebih lama dari perkiraan. "
          "Paket sedang di kurir dan kami terus memantaunya. Terima kasih atas kesabarannya.",
    "vi": "Xin chào! Chúng tôi xin lỗi vì đơn hàng {order_sn} của bạn đến chậm hơn dự kiến. "
          "Kiện hàng đang ở đơn vị vận chuyển và chúng tôi đang theo dõi. Cảm ơn bạn đã kiên nhẫn.",
    "th": "สวัสดีค่ะ ขออภัยที่คำสั่งซื้อ {order_sn} ของคุณใช้เวลานานกว่าที่คาดไว้ พัสดุอยู่กับขนส่งแล้ว "
          "และร้านกำลังติดตามให้อยู่ค่ะ ขอบคุณที่รอนะคะ",
    "tl": "Hi! Pasensya na at natatagalan ang order mo na {order_sn}. Nasa courier na ang parcel "
          "at binabantayan namin ito. Salamat sa pasensya mo.",
    "pt": "Olá! Pedimos desculpas porque seu pedido {order_sn} está demorando mais do que o "
          "previsto. O pacote está com a transportadora e estamos acompanhando. Obrigado pela "
          "paciência.",
    "es": "¡Hola! Lamentamos que tu pedido {order_sn} esté tardando más de lo previsto. El "
          "paquete está con la paquetería y le estamos dando seguimiento. Gracias por tu "
          "paciencia.",
    "zh-Hans": "您好！很抱歉您的订单 {order_sn} 比预期慢了一些。包裹已在物流途中，我们正在跟进，"
               "感谢您的耐心等待。",
    "zh-Hant": "您好！很抱歉您的訂單 {order_sn} 比預期慢了一些。包裹已在物流途中，我們正在跟進，"
               "感謝您的耐心等候。",
}


class TemplateHoleError(ValueError):
    """A template names a variable we cannot fill (or do not know)."""


def fields_of(template: str) -> set[str]:
    """Variable names a template uses; raises ValueError on malformed braces."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def check_template(template: str) -> None:
    """Refuse unknown variables and positional or formatted fields at settings time."""
    names = fields_of(template)
    bad = [n for n in names if n not in VARIABLES]
    if bad:
        raise TemplateHoleError(f"unknown variables: {', '.join(sorted(bad))}")


def render(template: str, values: Mapping[str, str]) -> str:
    """Fill every variable or refuse: a reply with a hole is never sent."""
    names = fields_of(template)
    missing = [n for n in names if not values.get(n)]
    if missing:
        raise TemplateHoleError(f"no value for: {', '.join(sorted(missing))}")
    return template.format_map({n: values[n] for n in names}).strip()


def pick(templates: Mapping[str, str], language: str, fallback: str = "en") -> tuple[str, str]:
    """The template for `language`, else the fallback language's: (language used, text)."""
    if templates.get(language):
        return language, templates[language]
    if templates.get(fallback):
        return fallback, templates[fallback]
    lang = next(iter(sorted(templates)), "")
    return lang, templates.get(lang, "")
