"""Seeded buyer accounts with believable usernames and the language each one writes in."""

from __future__ import annotations

import random

from companion.sandbox.state import Buyer, Shop

MALAY = ("aisyah", "nurul", "farah", "hafiz", "amir", "syafiq", "izzati", "aiman", "balqis",
         "haziq", "zulaikha", "danish", "sofea", "irfan", "nadia", "hakim", "alya", "firdaus")
MALAY_SURNAMES = ("rahman", "ismail", "aziz", "hassan", "yusof", "ahmad", "razak", "hamid")
CHINESE_MY = ("weiling", "jiahui", "kahwai", "meiyee", "junhao", "xinyi", "zhiwei", "peiling",
              "chunkit", "yeesin", "boonhock", "huiwen")
CHINESE_SURNAMES = ("tan", "lim", "lee", "ng", "wong", "chong", "ong", "goh", "teh", "chan")
INDIAN = ("kumar", "priya", "arun", "devi", "ravi", "kavitha", "suresh", "anitha", "vikram")
ENGLISH = ("jess", "ashley", "ryan", "shannon", "kelvin", "melissa", "jason", "sharon")
TW_GIVEN = ("yuting", "yichen", "jiayi", "weiting", "pinxuan", "zihan", "xiaoming", "shuhui",
            "chiahao", "yating", "hsinyi", "kuanlin", "peiyu", "tzuyu", "chengen", "yuhsuan")
TW_SURNAMES = ("chen", "lin", "huang", "chang", "lee", "wang", "wu", "liu", "tsai", "yang", "hsu")
TW_NICK = ("cindy", "amber", "kevin", "momo", "jenny", "tina", "eric", "vivi", "bella", "leo")


def _handle(rng: random.Random, first: str, last: str) -> str:
    style = rng.randrange(5)
    number = rng.choice((str(rng.randint(80, 99)), str(rng.randint(1, 999)),
                         f"{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"))
    return (f"{first}_{last}{number}", f"{first}.{last}", f"{first}{number}",
            f"{last}{first}_{number}", f"x{first}x{number}")[style]


def _my_buyer(rng: random.Random) -> tuple[str, str]:
    group = rng.random()
    if group < 0.45:
        first, last = rng.choice(MALAY), rng.choice(MALAY_SURNAMES)
        return _handle(rng, first, last), "ms" if rng.random() < 0.7 else "en"
    if group < 0.8:
        first, last = rng.choice(CHINESE_MY), rng.choice(CHINESE_SURNAMES)
        return _handle(rng, first, last), "zh-Hans" if rng.random() < 0.6 else "en"
    first = rng.choice(INDIAN + ENGLISH)
    return _handle(rng, first, rng.choice(("s", "k", "my", "raj", "lee"))), "en"


def _tw_buyer(rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.3:
        return _handle(rng, rng.choice(TW_NICK), rng.choice(TW_SURNAMES)), "zh-Hant"
    return _handle(rng, rng.choice(TW_GIVEN), rng.choice(TW_SURNAMES)), "zh-Hant"


def build_buyers(shop: Shop, count: int, rng: random.Random, taken: set[int]) -> list[Buyer]:
    """`count` buyers with unique usernames; ids look like Shopee user ids and avoid `taken`."""
    make = _tw_buyer if shop.region == "TW" else _my_buyer
    seen: set[str] = set()
    buyers: list[Buyer] = []
    while len(buyers) < count:
        username, language = make(rng)
        if username in seen:
            continue
        seen.add(username)
        user_id = rng.randrange(10_000_000, 1_500_000_000)
        if user_id in taken:
            continue
        taken.add(user_id)
        buyers.append(Buyer(user_id, username, language, shop.shop_id))
    return buyers
