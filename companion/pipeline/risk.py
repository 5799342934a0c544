"""Risky content: threats to report the shop and legal words, in the ten buyer languages.

Why a word list and not the model: these messages are rare, costly to miss,
and must escalate even when the model is sure the intent is something else.
Matching runs on `fold_for_match` text: Latin-script terms at word starts,
Chinese and Thai terms as substrings (no spaces in those scripts).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Final

from companion.nlu import fold_for_match

RISK_TERMS: Final[dict[str, tuple[str, ...]]] = {
    "en": ("report you", "report to shopee", "report this shop", "reporting you", "lawyer",
           "attorney", "sue you", "lawsuit", "legal action", "court", "police", "scam",
           "scammer", "fraud", "consumer tribunal", "consumer council", "dispute"),
    "ms": ("report kat shopee", "lapor", "laporkan", "peguam", "saman", "mahkamah", "polis",
           "tribunal", "penipu", "tipu", "kpdnhep", "kpdn"),
    "id": ("lapor", "laporkan", "pengacara", "advokat", "tuntut", "gugat", "pengadilan",
           "polisi", "penipu", "penipuan", "somasi", "ylki", "bpsk"),
    "tl": ("irereport", "ireport", "i-report", "abogado", "kakasuhan", "demanda", "korte",
           "pulis", "manloloko", "scammer", "dti"),
    "vi": ("báo cáo shopee", "tố cáo", "kiện shop", "sẽ kiện", "khởi kiện", "luật sư",
           "tòa án", "công an", "lừa đảo", "khiếu nại"),
    "th": ("แจ้งความ", "ฟ้อง", "ทนาย", "ศาล", "ตำรวจ", "โกง", "สคบ", "ร้องเรียน", "รายงานร้าน"),
    "pt": ("denunciar", "denúncia", "reclame aqui", "procon", "advogado", "processar",
           "justiça", "polícia", "golpe", "fraude"),
    "es": ("denunciar", "denuncia", "demandar", "demanda", "abogado", "profeco", "sernac",
           "tribunal", "policía", "estafa", "fraude", "reportar"),
    "zh-Hans": ("举报", "投诉", "律师", "起诉", "法院", "报警", "警察", "骗子", "诈骗", "消协",
                "消费者协会", "12315"),
    "zh-Hant": ("檢舉", "投訴", "律師", "提告", "告你", "法院", "報警", "警察", "騙子", "詐騙",
                "消基會", "消保官"),
}

_UNSPACED = re.compile(r"[\u0e00-\u0e7f\u3400-\u9fff\uf900-\ufaff]")


@cache
def _pattern() -> re.Pattern[str]:
    """One alternation over every language: a buyer may threaten in any of them."""
    parts = []
    for terms in RISK_TERMS.values():
        for term in terms:
            folded = re.escape(fold_for_match(term))
            parts.append(folded if _UNSPACED.search(term) or term.isdigit()
                         else rf"(?<!\w){folded}(?!\w)")
    return re.compile("|".join(sorted(set(parts), key=len, reverse=True)))


def risky_terms(text: str) -> list[str]:
    """The risky terms found in `text` (empty when none), for the decision's reasons."""
    return sorted({m.group(0) for m in _pattern().finditer(fold_for_match(text))})
