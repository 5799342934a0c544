"""Buyer-facing words the templates fill in: order status names per language, shop regions.

Status names follow how Shopee's buyer app talks about an order in each market
(To Pay / To Ship / To Receive ...), so `{{order_status}}` reads naturally.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

_STATUS_KEYS: Final = (
    "UNPAID", "READY_TO_SHIP", "PROCESSED", "RETRY_SHIP", "SHIPPED", "TO_CONFIRM_RECEIVE",
    "IN_CANCEL", "CANCELLED", "TO_RETURN", "COMPLETED", "INVOICE_PENDING", "PENDING",
)

_STATUS_NAMES: Final[dict[str, tuple[str, ...]]] = {
    "zh-Hans": ("待付款", "待发货", "已安排发货", "重新安排取件", "运送中", "待收货",
                "取消处理中", "已取消", "退货退款处理中", "已完成", "等待发票", "处理中"),
    "zh-Hant": ("待付款", "待出貨", "已安排出貨", "重新安排取件", "運送中", "待收貨",
                "取消處理中", "已取消", "退貨退款處理中", "已完成", "等待發票", "處理中"),
    "en": ("awaiting payment", "being prepared for shipping", "shipment arranged",
           "pickup being rearranged", "on the way", "delivered, awaiting your confirmation",
           "cancellation in progress", "cancelled", "return/refund in progress", "completed",
           "awaiting invoice", "pending"),
    "id": ("belum dibayar", "sedang dikemas", "pengiriman sudah diatur", "penjemputan diatur ulang",
           "sedang dikirim", "sudah sampai, menunggu konfirmasi", "pembatalan diproses",
           "dibatalkan", "pengembalian diproses", "selesai", "menunggu faktur", "diproses"),
    "vi": ("chờ thanh toán", "đang chuẩn bị hàng", "đã sắp xếp giao hàng", "đang sắp xếp lấy lại",
           "đang giao", "đã giao, chờ xác nhận", "đang xử lý hủy", "đã hủy",
           "đang xử lý trả hàng/hoàn tiền", "hoàn thành", "chờ hóa đơn", "đang xử lý"),
    "th": ("ที่ต้องชำระ", "กำลังเตรียมจัดส่ง", "จัดเตรียมการจัดส่งแล้ว", "กำลังนัดรับพัสดุใหม่",
           "อยู่ระหว่างจัดส่ง", "จัดส่งสำเร็จ รอยืนยันรับสินค้า", "กำลังดำเนินการยกเลิก",
           "ยกเลิกแล้ว", "กำลังดำเนินการคืนสินค้า/คืนเงิน", "สำเร็จแล้ว", "รอใบกำกับภาษี",
           "กำลังดำเนินการ"),
    "ms": ("belum dibayar", "sedang disediakan untuk penghantaran", "penghantaran telah diatur",
           "pengambilan diatur semula", "dalam perjalanan", "telah dihantar, menunggu pengesahan",
           "pembatalan sedang diproses", "dibatalkan", "pemulangan/bayaran balik diproses",
           "selesai", "menunggu invois", "dalam proses"),
    "tl": ("hindi pa bayad", "inihahanda para ipadala", "naka-arrange na ang shipment",
           "inaayos muli ang pickup", "papunta na sa iyo",
           "na-deliver na, hinihintay ang kumpirmasyon",
           "pinoproseso ang pagkansela", "kanselado", "pinoproseso ang return/refund", "kumpleto",
           "hinihintay ang invoice", "pinoproseso"),
    "pt": ("aguardando pagamento", "em preparação para envio", "envio providenciado",
           "coleta sendo reagendada", "a caminho", "entregue, aguardando confirmação",
           "cancelamento em andamento", "cancelado", "devolução/reembolso em andamento",
           "concluído", "aguardando nota fiscal", "pendente"),
    "es": ("pendiente de pago", "en preparación para el envío", "envío programado",
           "recolección reprogramada", "en camino", "entregado, pendiente de confirmación",
           "cancelación en proceso", "cancelado", "devolución/reembolso en proceso", "completado",
           "esperando factura", "pendiente"),
}


def order_status_name(status: str, language: str) -> str | None:
    """The localised name of an order status, or None for an unknown status or language."""
    names = _STATUS_NAMES.get(language)
    if names is None or status not in _STATUS_KEYS:
        return None
    return names[_STATUS_KEYS.index(status)]


@dataclass(frozen=True, slots=True)
class Region:
    """What a Shopee market implies: buyer languages (default first) and time zone."""

    languages: tuple[str, ...]
    timezone: str


REGIONS: Final[dict[str, Region]] = {
    "MY": Region(("en", "ms", "zh-Hans"), "Asia/Kuala_Lumpur"),
    "SG": Region(("en", "zh-Hans"), "Asia/Singapore"),
    "TW": Region(("zh-Hant",), "Asia/Taipei"),
    "ID": Region(("id",), "Asia/Jakarta"),
    "VN": Region(("vi",), "Asia/Ho_Chi_Minh"),
    "TH": Region(("th",), "Asia/Bangkok"),
    "PH": Region(("en", "tl"), "Asia/Manila"),
    "BR": Region(("pt",), "America/Sao_Paulo"),
    "MX": Region(("es",), "America/Mexico_City"),
    "CO": Region(("es",), "America/Bogota"),
    "CL": Region(("es",), "America/Santiago"),
}
DEFAULT_REGION: Final = Region(("en",), "UTC")


def region_info(region: str) -> Region:
    """Languages and time zone of a market; unknown markets get English and UTC."""
    return REGIONS.get(region.upper(), DEFAULT_REGION)


_NO_DECIMALS: Final = frozenset({"TWD", "IDR", "VND", "CLP", "COP", "JPY", "KRW"})


def format_money(amount: float, currency: str) -> str:
    """`MYR 4.90`, `TWD 60`: code first, decimals only where the currency has them."""
    digits = 0 if currency.upper() in _NO_DECIMALS else 2
    return f"{currency.upper()} {amount:,.{digits}f}".strip()
