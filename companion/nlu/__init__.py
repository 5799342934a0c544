"""Multilingual understanding of buyer messages: intent, language, mood flags, entities.

Public interface (others depend on it): `INTENTS`, `LANGUAGES`, `Entities`,
`Understanding`, `Understander` (`Understander.load()` opens the shipped model
`companion/nlu/model/intent.ftz`; fastText is imported only then), and
`fold_for_match` for keyword rules.
"""

from companion.nlu.normalize import fold_for_match
from companion.nlu.taxonomy import INTENTS, LANGUAGES
from companion.nlu.types import Entities, Understanding
from companion.nlu.understander import Understander

__all__ = ["INTENTS", "LANGUAGES", "Entities", "Understander", "Understanding", "fold_for_match"]
