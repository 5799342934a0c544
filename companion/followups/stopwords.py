""""Stop messaging me" in every supported language: a buyer who says it gets no follow-up again.

Matching errs on the side of stopping: a false match costs one follow-up, a
missed one costs the shop a complaint. Latin-script phrases match on word
boundaries; Chinese and Thai ones as substrings (no spaces to split on).
"""

from __future__ import annotations

import re
import unicodedata

STOP_PHRASES: dict[str, tuple[str, ...]] = {
    "en": ("stop", "unsubscribe", "opt out", "stop messaging", "stop sending",
           "don't message me", "dont message me", "do not message me", "no more messages",
           "leave me alone", "don't contact me", "do not contact me", "spam"),
    "ms": ("berhenti", "jangan mesej", "jangan hantar mesej", "jangan hantar lagi",
           "tak nak mesej", "jangan ganggu", "henti hantar"),
    "id": ("berhenti", "jangan kirim pesan", "jangan chat lagi", "jangan hubungi",
           "stop kirim", "jangan ganggu", "tidak mau dihubungi"),
    "vi": ("dừng lại", "đừng nhắn", "đừng gửi", "hủy đăng ký", "không nhắn nữa",
           "ngừng gửi", "đừng làm phiền"),
    "tl": ("tigil", "itigil", "huwag nang mag-message", "wag nang mag-message",
           "ayoko na ng message", "huwag mo akong i-message", "tama na"),
    "pt": ("pare de enviar", "parar de enviar", "não quero mais mensagens",
           "nao quero mais mensagens", "descadastrar", "não me mande", "nao me mande",
           "pare de mandar"),
    "es": ("deja de enviar", "dejen de enviar", "no más mensajes", "no mas mensajes",
           "darme de baja", "dar de baja", "cancelar suscripción", "no me escriban",
           "no me envíen", "basta de mensajes"),
    "zh-Hans": ("不要再发", "别再发", "别发了", "不要发了", "退订", "不要打扰", "别打扰",
                "不要再联系", "别再联系", "不要给我发"),
    "zh-Hant": ("不要再傳", "別再傳", "不要再發", "別再發", "別發了", "退訂", "不要打擾",
                "別打擾", "不要再聯絡", "別再聯絡"),
    "th": ("หยุดส่ง", "ไม่ต้องส่ง", "เลิกส่ง", "อย่าส่งข้อความ", "ไม่ต้องทักมา", "อย่าทักมา",
           "ยกเลิกการรับข้อความ"),
}


def _normalize(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold().replace("’", "'")


def _spaced(phrase: str) -> bool:
    return all(not ("\u4e00" <= ch <= "\u9fff" or "\u0e00" <= ch <= "\u0e7f") for ch in phrase)


def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    out = []
    for phrases in STOP_PHRASES.values():
        for phrase in phrases:
            norm = _normalize(phrase)
            body = re.escape(norm)
            pattern = rf"(?<!\w){body}(?!\w)" if _spaced(norm) else body
            out.append((phrase, re.compile(pattern)))
    return out


def asked_to_stop(text: str) -> str | None:
    """The stop phrase found in `text`, or None."""
    norm = _normalize(text)
    for phrase, pattern in _patterns():
        if pattern.search(norm):
            return phrase
    return None
