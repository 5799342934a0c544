"""Pipeline tunables, from `<data_dir>/pipeline.json` when present (all keys optional).

    {"poll_fast_s": 1, "poll_slow_s": 15, "poll_active_for_s": 120,
     "replies_per_conversation": 3, "conversation_window_s": 600, "sends_per_minute": 60,
     "not_understood_limit": 2, "same_question_limit": 3, "holding_replies": 1,
     "graduation_threshold": 5, "takeover_pause_s": 1800, "facts_timeout_s": 3,
     "max_concurrency": 64}

A separate file (not `config.json`) because these are the pipeline's own
knobs; the benchmark raises `sends_per_minute` to measure throughput.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from companion.pipeline.caps import CapLimits
from companion.pipeline.escalation import EscalationPolicy
from companion.pipeline.pacing import PollTiming

FILENAME = "pipeline.json"


class PipelineConfigError(ValueError):
    """pipeline.json holds an unknown key or an unusable value."""


@dataclass(frozen=True, slots=True)
class PipelineConfig:
    """Every tunable of the pipeline."""

    timing: PollTiming = field(default_factory=PollTiming)
    caps: CapLimits = field(default_factory=CapLimits)
    escalation: EscalationPolicy = field(default_factory=EscalationPolicy)
    graduation_threshold: int = 5
    takeover_pause_s: float = 1800.0
    facts_timeout_s: float = 3.0
    max_concurrency: int = 64


_KEYS = {
    "poll_fast_s": ("timing", "fast_s", float),
    "poll_slow_s": ("timing", "slow_s", float),
    "poll_active_for_s": ("timing", "active_for_s", float),
    "replies_per_conversation": ("caps", "per_conversation", int),
    "conversation_window_s": ("caps", "conversation_window_s", float),
    "sends_per_minute": ("caps", "global_per_minute", int),
    "not_understood_limit": ("escalation", "not_understood_limit", int),
    "same_question_limit": ("escalation", "same_question_limit", int),
    "holding_replies": ("escalation", "holding_replies", int),
    "graduation_threshold": ("", "graduation_threshold", int),
    "takeover_pause_s": ("", "takeover_pause_s", float),
    "facts_timeout_s": ("", "facts_timeout_s", float),
    "max_concurrency": ("", "max_concurrency", int),
}


def config_from(raw: dict[str, Any]) -> PipelineConfig:
    """Build a config from a flat dict of the keys above."""
    unknown = set(raw) - set(_KEYS)
    if unknown:
        raise PipelineConfigError(f"unknown pipeline setting(s): {', '.join(sorted(unknown))}")
    parts: dict[str, dict[str, Any]] = {"timing": {}, "caps": {}, "escalation": {}, "": {}}
    for key, value in raw.items():
        group, name, kind = _KEYS[key]
        try:
            number = kind(value)
        except (TypeError, ValueError) as exc:
            raise PipelineConfigError(f"pipeline setting {key!r}: {value!r}") from exc
        if isinstance(value, bool) or number < 0:
            raise PipelineConfigError(f"pipeline setting {key!r} must be a number >= 0")
        parts[group][name] = number
    return PipelineConfig(
        timing=PollTiming(**parts["timing"]),
        caps=CapLimits(**parts["caps"]),
        escalation=EscalationPolicy(**parts["escalation"]),
        **parts[""],
    )


def load_config(data_dir: Path) -> PipelineConfig:
    path = Path(data_dir) / FILENAME
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return PipelineConfig()
    except json.JSONDecodeError as exc:
        raise PipelineConfigError(f"{path} is not valid JSON: {exc}") from exc
    if not isinstance(raw, dict):
        raise PipelineConfigError(f"{path} must hold a JSON object")
    return config_from(raw)
