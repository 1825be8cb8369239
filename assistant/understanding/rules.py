"""The rules file's schema: words, patterns, weights and thresholds are data, not code.

`prompts/understanding/rules.v1.yaml` is validated here on load, so a typo in a key or a
broken regex fails at start-up with the file's name, not on the first message that needs it.
Weights group the cues: `keywords: {0.9: [我要投诉, ...], 0.5: [...]}`.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from assistant.understanding.models import Intent, SignalName

DEFAULT_RULES = "rules.v1.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CueSpec(_Strict):
    """Cues for one signal, emotion or intent."""

    threshold: float = Field(0.5, ge=0, le=1, description="Score at which the verdict fires.")
    keywords: dict[float, list[str]] = Field(default_factory=dict, description="weight → words")
    patterns: dict[float, list[str]] = Field(default_factory=dict, description="weight → regexes")
    calm: list[str] = Field(
        default_factory=list, description="Regexes of calm phrasings; cues inside them don't count."
    )
    negators: list[str] = Field(
        default_factory=list, description="Words that cancel a cue right after them."
    )
    negator_window: int = Field(4, ge=1, description="Characters before a cue searched.")

    @field_validator("patterns", "calm")
    @classmethod
    def _compiles(cls, value: dict[float, list[str]] | list[str]) -> object:
        patterns = value if isinstance(value, list) else [p for ps in value.values() for p in ps]
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"bad regex {pattern!r}: {exc}") from exc
        return value

    @field_validator("keywords", "patterns")
    @classmethod
    def _weights_in_range(cls, value: dict[float, list[str]]) -> dict[float, list[str]]:
        if any(not 0 < weight <= 1 for weight in value):
            raise ValueError("cue weights must be in (0, 1]")
        return value


class ShoutingSpec(_Strict):
    """Capitals as shouting, fund and everyday acronyms (QDII, NAV, ATM) excepted."""

    min_letters: int = Field(6, description="Capital letters in all-capital words = shouting.")
    weight: float = 0.6
    word_letters: int = Field(3, description="One all-capital word this long = emphasis.")
    word_weight: float = 0.35
    acronyms: list[str] = Field(default_factory=list)


class EmotionSpec(_Strict):
    angry: CueSpec
    anxious: CueSpec
    negative: CueSpec
    emphasis: CueSpec = Field(description="!!! and ??? — raise the stronger of angry/anxious.")
    shouting: ShoutingSpec
    min_score: float = Field(0.2, description="Below this every label reads neutral.")
    strong: float = Field(
        0.5, description="At this score angry, then anxious, win over a higher `negative`."
    )
    negative_from_complaint: float = Field(
        0.6, description="A grievance is dissatisfaction: complaint score × this → negative."
    )


class ExamplesSpec(_Strict):
    """Nearest seed examples (embeddings) as a second opinion beside the rules."""

    file: str
    enabled: bool = True
    k: int = Field(5, ge=1)
    weight: float = Field(0.5, ge=0, le=1, description="Largest share of the intent score.")
    min_similarity: float = Field(0.8, description="Neighbours below this are ignored.")


class SignalModelSpec(_Strict):
    """The learned signal model (assistant/understanding/signal_model.py) beside the cues."""

    file: str
    enabled: bool = True


class IntentSpec(_Strict):
    cues: dict[Intent, CueSpec]
    from_signals: dict[SignalName, Intent] = Field(
        default_factory=dict, description="A fired signal that decides the intent outright."
    )
    min_score: float = Field(0.3, description="Below this the intent is `other`.")
    history_discount: float = Field(
        0.6, description="A topic-less follow-up inherits the last intent at this factor."
    )
    examples: ExamplesSpec | None = None


class RuleBook(_Strict):
    version: str
    signals: dict[SignalName, CueSpec]
    signal_examples: ExamplesSpec | None = None
    signal_model: SignalModelSpec | None = None
    scope_model: SignalModelSpec | None = Field(None, description="scope_model.py's weights")
    emotion_model: SignalModelSpec | None = Field(None, description="emotion_model.py's weights")
    crisis_model: SignalModelSpec | None = Field(
        None, description="the crisis model's weights (signal_model.py's format, one label)"
    )
    beyond_model: SignalModelSpec | None = Field(
        None,
        description="the beyond-the-documents model's weights (signal_model.py's format, one "
        "label, with a character n-gram part read beside the vector): the client's own records, "
        "live data",
    )
    suppress: dict[SignalName, list[SignalName]] = Field(
        default_factory=dict, description="A fired signal here silences those listed."
    )
    emotion: EmotionSpec
    intent: IntentSpec


class _UniqueKeyLoader(yaml.SafeLoader):
    """PyYAML keeps the last of two equal keys silently; in a weight-grouped list that would
    drop a whole group of cues, so a repeated key is an error here."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[object, object]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"repeated key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _read_yaml(path: Path) -> object:
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_UniqueKeyLoader)  # a SafeLoader subclass


def load_rulebook(rules_dir: Path, name: str = DEFAULT_RULES) -> RuleBook:
    """Read and validate one rules file from `rules_dir`."""
    path = rules_dir / name
    raw = _read_yaml(path)
    try:
        return RuleBook.model_validate(raw)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from exc


def load_examples(rules_dir: Path, name: str, section: str) -> dict[str, list[str]]:
    """Seed examples of one section by label, e.g. `{"product": ["A类和C类收费…", ...]}`."""
    raw = _read_yaml(rules_dir / name)
    assert isinstance(raw, dict), f"{name}: expected a mapping"
    return {str(label): [str(t) for t in texts] for label, texts in raw[section].items()}
