"""Negative-mood and wants-a-human detection.

The auxiliary fastText model (one-vs-all loss, see `train`) gives a probability
for `neg` and `human`; a lexicon hit (see `lexicons`) lowers the bar. Both
thresholds per flag are calibrated on the dev split at training time and stored
in the model metadata. A `human_agent` intent always wants a human, but only
stands when something backs it (`pick_intent`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from companion.nlu.lexicons import NEGATIVE, WANTS_HUMAN
from companion.nlu.phrases import PhraseMatcher

# Least aux `human` score that lets a top `human_agent` intent stand without a lexicon phrase.
# Why: "admin?", "anyone there?" (greetings by the label rules) came out `human_agent` and, as
# every human_agent wants a human, cost wants_human precision. On dev (train-only models) any
# value from 0.02 to 0.3 raised that precision from 0.904 to 0.921 at the same recall (0.975)
# and intent accuracy by 0.1 point; 0.05 sits in the middle of that plateau.
HUMAN_AGENT_SUPPORT = 0.05


def lexicon_phrases(
    negative: Iterable[str] = NEGATIVE, human: Iterable[str] = WANTS_HUMAN
) -> dict[str, list[str]]:
    """Tag -> phrases for a `PhraseMatcher`: `neg` and `human`."""
    return {"neg": list(negative), "human": list(human)}


@dataclass(frozen=True, slots=True)
class FlagThresholds:
    """Probability thresholds: `plain` without a lexicon hit, `lexicon` with one."""

    plain: float = 0.5
    lexicon: float = 0.2

    def decide(self, prob: float, lexicon_hit: bool) -> bool:
        """The flag, given the model probability and whether a lexicon phrase matched."""
        return prob >= (self.lexicon if lexicon_hit else self.plain)


@dataclass(frozen=True, slots=True)
class MoodScores:
    """Raw evidence for the two flags of one message."""

    negative_prob: float
    human_prob: float
    negative_hit: bool
    human_hit: bool


class MoodDetector:
    """Lexicons + calibrated thresholds over the auxiliary model's probabilities."""

    __slots__ = ("_human", "_lexicon", "_negative")

    def __init__(
        self,
        negative: FlagThresholds = FlagThresholds(),
        human: FlagThresholds = FlagThresholds(),
        negative_lexicon: Iterable[str] = NEGATIVE,
        human_lexicon: Iterable[str] = WANTS_HUMAN,
    ) -> None:
        self._negative = negative
        self._human = human
        self._lexicon = PhraseMatcher(lexicon_phrases(negative_lexicon, human_lexicon))

    def scores(
        self, line: str, probs: Mapping[str, float], hits: AbstractSet[str] | None = None
    ) -> MoodScores:
        """Model probabilities (aux labels `neg`, `human`) and lexicon hits on the normalised line.

        `hits` may carry tags already found by a merged `PhraseMatcher` (see `lexicon_phrases`).
        """
        if hits is None:
            hits = self._lexicon.tags(line)
        return MoodScores(
            probs.get("neg", 0.0), probs.get("human", 0.0), "neg" in hits, "human" in hits
        )

    def flags(
        self, line: str, negative_prob: float, human_prob: float, intent: str
    ) -> tuple[bool, bool]:
        """(negative, wants_human): same answer as `decide(scores(...))`, cheaper.

        The lexicon only matters for a probability between a flag's two
        thresholds, so the phrase matcher runs only for such messages.
        """
        neg_th, human_th = self._negative, self._human
        check_neg = neg_th.lexicon <= negative_prob < neg_th.plain
        check_human = intent != "human_agent" and human_th.lexicon <= human_prob < human_th.plain
        hits = self._lexicon.tags(line) if check_neg or check_human else ()
        negative = negative_prob >= (neg_th.lexicon if "neg" in hits else neg_th.plain)
        wants_human = intent == "human_agent" or human_prob >= (
            human_th.lexicon if "human" in hits else human_th.plain
        )
        return negative, wants_human

    def pick_intent(
        self, ranked: Sequence[tuple[str, float]], line: str, human_prob: float
    ) -> tuple[str, float] | None:
        """The best (intent, score), unless it is an unbacked `human_agent`: then the next one.

        Backed means the aux model's `human` score reaches `HUMAN_AGENT_SUPPORT`
        or a wants-a-human lexicon phrase occurs in the line.
        """
        if not ranked:
            return None
        best = ranked[0]
        if best[0] != "human_agent" or len(ranked) < 2 or human_prob >= HUMAN_AGENT_SUPPORT:
            return best
        return best if "human" in self._lexicon.tags(line) else ranked[1]

    def decide(self, scores: MoodScores, intent: str) -> tuple[bool, bool]:
        """(negative, wants_human) from the scores and the predicted intent."""
        negative = self._negative.decide(scores.negative_prob, scores.negative_hit)
        wants_human = intent == "human_agent" or self._human.decide(
            scores.human_prob, scores.human_hit
        )
        return negative, wants_human
