"""Per-market facts follow-ups need: the buyers' time zone and the shop's usual language."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

LANGUAGES = ("zh-Hans", "zh-Hant", "en", "id", "vi", "th", "ms", "tl", "pt", "es")

_ZONES = {
    "MY": "Asia/Kuala_Lumpur", "SG": "Asia/Singapore", "TW": "Asia/Taipei",
    "ID": "Asia/Jakarta", "VN": "Asia/Ho_Chi_Minh", "TH": "Asia/Bangkok",
    "PH": "Asia/Manila", "BR": "America/Sao_Paulo", "MX": "America/Mexico_City",
    "CO": "America/Bogota", "CL": "America/Santiago", "AR": "America/Argentina/Buenos_Aires",
}
_DEFAULT_LANGUAGE = {
    "MY": "en", "SG": "en", "TW": "zh-Hant", "ID": "id", "VN": "vi", "TH": "th", "PH": "en",
    "BR": "pt", "MX": "es", "CO": "es", "CL": "es", "AR": "es",
}


def market_zone(region: str) -> tzinfo:
    """The buyers' time zone for a shop region (UTC+8 when the region is unknown)."""
    return ZoneInfo(_ZONES.get(region.upper(), "Asia/Singapore"))


def default_language(region: str) -> str:
    return _DEFAULT_LANGUAGE.get(region.upper(), "en")


def in_quiet_hours(now: float, region: str, start_hour: int, end_hour: int) -> bool:
    """Is `now` inside [start, end) local time? start > end wraps past midnight."""
    if start_hour == end_hour:
        return False
    hour = datetime.fromtimestamp(now, market_zone(region)).hour
    if start_hour < end_hour:
        return start_hour <= hour < end_hour
    return hour >= start_hour or hour < end_hour


def quiet_hours_end(now: float, region: str, end_hour: int) -> float:
    """The next local `end_hour:00` after `now`, as Unix seconds."""
    local = datetime.fromtimestamp(now, market_zone(region))
    end = local.replace(hour=end_hour, minute=0, second=0, microsecond=0)
    if end <= local:
        end += timedelta(days=1)
    return end.timestamp()


def local_day(now: float, region: str) -> str:
    """The market's calendar day (daily voucher caps count per local day)."""
    return datetime.fromtimestamp(now, market_zone(region)).strftime("%Y-%m-%d")


def local_day_start(now: float, region: str) -> float:
    local = datetime.fromtimestamp(now, market_zone(region))
    return local.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()


def guess_language(texts: list[str], region: str) -> str:
    """A buyer's language from what they wrote (script and a few markers), else the market's."""
    joined = " ".join(texts[-5:])
    if not joined.strip():
        return default_language(region)
    if any("\u0e00" <= ch <= "\u0e7f" for ch in joined):
        return "th"
    if any("\u4e00" <= ch <= "\u9fff" for ch in joined):
        traditional = set("們這個貨請還會嗎謝覺說麼發東裡為時")
        simplified = set("们这个货请还会吗谢觉说么发东里为时")
        trad = sum(ch in traditional for ch in joined)
        simp = sum(ch in simplified for ch in joined)
        if trad > simp:
            return "zh-Hant"
        if simp > trad:
            return "zh-Hans"
        return "zh-Hant" if region.upper() == "TW" else "zh-Hans"
    if any(ch in "ăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ" for ch in joined.lower()):
        return "vi"
    words = set(joined.lower().split())
    markers = {
        "ms": {"saya", "tak", "boleh", "barang", "terima", "kasih", "bila", "sampai"},
        "id": {"saya", "tidak", "bisa", "barang", "terima", "kasih", "kapan", "sudah", "gak"},
        "tl": {"po", "ang", "ng", "salamat", "kailan", "naman", "ba"},
        "pt": {"obrigado", "obrigada", "não", "quando", "chega", "você", "pedido"},
        "es": {"gracias", "cuándo", "cuando", "llega", "pedido", "usted", "hola"},
    }
    scores = {lang: len(words & marks) for lang, marks in markers.items()}
    best = max(scores, key=lambda lang: scores[lang])
    if scores[best] >= 2 or (scores[best] == 1 and default_language(region) == best):
        return best
    return default_language(region)
