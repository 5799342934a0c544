"""Which item the buyer is asking about: context first, then a link or id, then the words.

Order of evidence (issue 8 item 2): an item id or Shopee link written in the
message itself (the buyer is pointing at it right now), then the conversation's
item card, then the conversation's order (when it holds one item, or the words
pick one of its items), and last a match of the words against the shop's item
names. A name match must be clear (enough rare words shared, well ahead of the
runner-up); otherwise nothing is chosen and the candidates are handed back so
the reply can ask "which one do you mean?" instead of guessing.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from companion.listing.knowledge import ItemKnowledge, ShopKnowledge
from companion.listing.text import fold, tokens

MIN_NAME_SCORE = 3.0
MIN_MARGIN = 1.5
MAX_CANDIDATES = 3
_LINK_RE = re.compile(
    r"shopee\.[a-z.]{2,7}/product/\d+/(\d+)|-i\.\d+\.(\d+)|[?&]itemid=(\d+)", re.IGNORECASE
)
_HAN_RE = re.compile(r"[\u3400-\u9fff]+")
_LONG_NUMBER_RE = re.compile(r"(?<!\d)(\d{6,15})(?!\d)")
_STOP = frozenset({
    "the", "and", "with", "for", "this", "that", "you", "have", "has", "can", "set", "pcs",
    "size", "new", "one", "are", "how", "what", "much", "ada", "ini", "itu", "yang", "untuk",
    "boleh", "tak", "nak", "dan", "ang", "ito", "para", "con", "com", "que", "uma", "una",
    "los", "las", "của", "cho", "này", "không", "có",
})


@dataclass(frozen=True, slots=True)
class ListingContext:
    """What the conversation already tells us: the item card and the order's items."""

    shop_id: str = ""
    item_id: str | None = None
    order_item_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Resolution:
    """The chosen item (None when unsure), how it was chosen, and candidates to offer."""

    item: ItemKnowledge | None
    source: str
    candidates: tuple[ItemKnowledge, ...] = ()

    @property
    def sure(self) -> bool:
        return self.item is not None


def linked_item_ids(text: str) -> list[str]:
    """Item ids from Shopee links in the text, then bare long numbers (checked by the caller)."""
    ids = [m.group(1) or m.group(2) or m.group(3) for m in _LINK_RE.finditer(text)]
    ids += [m.group(1) for m in _LONG_NUMBER_RE.finditer(_LINK_RE.sub(" ", text))]
    return list(dict.fromkeys(ids))


def features(text: str) -> set[str]:
    """Words (3+ letters, not stop words) and bigrams inside runs of Chinese characters."""
    out = {w for w in tokens(text)
           if len(w) >= 3 and not w.isdigit() and w not in _STOP and not _HAN_RE.match(w)}
    for run in _HAN_RE.findall(fold(text)):
        out |= {run[i:i + 2] for i in range(len(run) - 1)}
    return out


def _idf(items: Sequence[ItemKnowledge]) -> dict[str, float]:
    counts: Counter[str] = Counter()
    for item in items:
        counts.update(features(item.name))
    total = len(items)
    return {f: math.log((total + 1) / df) for f, df in counts.items()}


def rank_by_name(
    text: str, items: Sequence[ItemKnowledge], idf_items: Sequence[ItemKnowledge] | None = None
) -> list[tuple[float, ItemKnowledge]]:
    """Items sharing words with the text, best first, scored by the rarity of shared words."""
    idf = _idf(idf_items or items)
    wanted = features(text)
    scored = []
    for item in items:
        shared = wanted & features(item.name)
        score = sum(idf.get(f, 0.0) for f in shared)
        if score > 0:
            scored.append((score, item))
    scored.sort(key=lambda pair: (-pair[0], pair[1].item_id))
    return scored


def _clear_winner(scored: list[tuple[float, ItemKnowledge]]) -> ItemKnowledge | None:
    if not scored or scored[0][0] < MIN_NAME_SCORE:
        return None
    if len(scored) > 1 and scored[0][0] < MIN_MARGIN * scored[1][0]:
        return None
    return scored[0][1]


def _known(shop: ShopKnowledge, ids: Iterable[str | None]) -> list[ItemKnowledge]:
    return [item for i in ids if (item := shop.item(i)) is not None]


def resolve_item(shop: ShopKnowledge, text: str, context: ListingContext) -> Resolution:
    """The item the message is about, or none with up to three candidates."""
    linked = _known(shop, linked_item_ids(text))
    if len(linked) == 1:
        return Resolution(linked[0], "link")
    if len(linked) > 1:
        return Resolution(None, "ambiguous", tuple(linked[:MAX_CANDIDATES]))
    card = shop.item(context.item_id)
    if card is not None:
        return Resolution(card, "card")
    ordered = _known(shop, dict.fromkeys(context.order_item_ids))
    if len(ordered) == 1:
        return Resolution(ordered[0], "order")
    if ordered:
        pick = _clear_winner(rank_by_name(text, ordered, shop.items))
        if pick is not None:
            return Resolution(pick, "order")
        return Resolution(None, "ambiguous", tuple(ordered[:MAX_CANDIDATES]))
    scored = rank_by_name(text, shop.items)
    pick = _clear_winner(scored)
    if pick is not None:
        return Resolution(pick, "name")
    candidates = tuple(item for score, item in scored[:MAX_CANDIDATES] if score > 0)
    return Resolution(None, "ambiguous" if candidates else "none", candidates)
