"""The understand step: language, intent, emotion and hand-off signals for one message.

Built once (it compiles the rules and embeds the seed examples), then called per message with
the redacted text. Every verdict carries the evidence that produced it, and the reply
records `rules_version`, so a reviewer can tell which words fired under which rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from llama_index.core.base.embeddings.base import BaseEmbedding

from assistant.language import detect_language
from assistant.understanding.cues import normalise, strip_placeholders
from assistant.understanding.emotion import EmotionReader
from assistant.understanding.emotion_model import EmotionModel
from assistant.understanding.examples import NearestExamples
from assistant.understanding.folding import fold
from assistant.understanding.intent import IntentReader
from assistant.understanding.models import Understanding
from assistant.understanding.rules import (
    DEFAULT_RULES,
    ExamplesSpec,
    SignalModelSpec,
    load_examples,
    load_rulebook,
)
from assistant.understanding.scope_model import ScopeModel
from assistant.understanding.signal_model import SignalModel
from assistant.understanding.signals import SignalReader

# Client messages are short; a pasted wall of text is read at its start and its end, where
# the request and the grievance usually are, so matching time stays bounded.
HEAD_CHARS = 1500
TAIL_CHARS = 500


def clip(text: str) -> str:
    """At most HEAD_CHARS + TAIL_CHARS characters: the start and the end of `text`."""
    if len(text) <= HEAD_CHARS + TAIL_CHARS:
        return text
    return f"{text[:HEAD_CHARS]} … {text[-TAIL_CHARS:]}"


class Understander:
    """Reads a redacted client message; see `understand`."""

    def __init__(
        self,
        rules_dir: Path,
        embedder: BaseEmbedding | None = None,
        *,
        rules_file: str = DEFAULT_RULES,
    ) -> None:
        self.rules = load_rulebook(rules_dir, rules_file)
        self.embedder = embedder
        self.signals = SignalReader(
            self.rules,
            _examples(rules_dir, self.rules.signal_examples, "signals", embedder),
            _signal_model(rules_dir, self.rules.signal_model, embedder),
            _scope_model(rules_dir, self.rules.scope_model),
            _signal_model(rules_dir, self.rules.crisis_model, embedder),
            _signal_model(rules_dir, self.rules.beyond_model, embedder),
        )
        self.emotion = EmotionReader(
            self.rules.emotion, _emotion_model(rules_dir, self.rules.emotion_model, embedder)
        )
        self.intent = IntentReader(
            self.rules.intent,
            _examples(rules_dir, self.rules.intent.examples, "examples", embedder),
        )

    @property
    def uses_embeddings(self) -> bool:
        return (
            self.intent.examples is not None
            or self.signals.examples is not None
            or bool(self.signals.models)
            or (self.emotion.model is not None and self.emotion.model.uses_vector)
        )

    def understand(
        self,
        text: str,
        *,
        history: Sequence[str] = (),
        query_vector: list[float] | None = None,
        names_ours: bool = False,
    ) -> Understanding:
        """The verdict on `text`; `history` holds the client's earlier messages, oldest first.

        Pass the message's `query_vector` when the pipeline already has it; otherwise the
        message is embedded here (only if seed examples are in use). `names_ours`: the
        message names a fund or fund manager of the live documents, so it is in scope
        whatever the scope model would say (`SignalReader.scores`).
        """
        clipped = fold(clip(text))  # traditional characters read as simplified
        plain = strip_placeholders(clipped)
        normal = normalise(plain)
        vector = self._vector(clipped, query_vector)
        signals, complaint = self.signals.read(normal, vector, names_ours)
        intent, intent_score, intent_evidence = self.intent.read(
            normal, vector, signals, [normalise(strip_placeholders(clip(h))) for h in history]
        )
        return Understanding(
            language=detect_language(clipped),
            intent=intent,
            intent_score=intent_score,
            intent_evidence=intent_evidence,
            emotion=self.emotion.read(
                normal,
                plain,
                complaint,
                in_scope=not any(s.name == "out_of_scope" for s in signals),
                vector=vector,
            ),
            signals=signals,
            rules_version="; ".join(self.versions),
        )

    @property
    def versions(self) -> list[str]:
        """The rules' version and every learned model's: recorded with each reply."""
        models = (*self.signals.models, self.signals.scope, self.emotion.model)
        return [self.rules.version, *(m.version for m in models if m is not None)]

    def _vector(self, text: str, given: list[float] | None) -> list[float] | None:
        if given is not None or not self.uses_embeddings or self.embedder is None:
            return given
        return self.embedder.get_query_embedding(text)


def _examples(
    rules_dir: Path, spec: ExamplesSpec | None, section: str, embedder: BaseEmbedding | None
) -> NearestExamples | None:
    """Seed examples embedded once, if the rules enable them and there is an embedder."""
    if embedder is None or spec is None or not spec.enabled:
        return None
    return NearestExamples(load_examples(rules_dir, spec.file, section), embedder)


def _scope_model(rules_dir: Path, spec: SignalModelSpec | None) -> ScopeModel | None:
    """The scope model learned on real text (weights in `spec.file`), if the rules enable it."""
    if spec is None or not spec.enabled:
        return None
    return ScopeModel.load(rules_dir / spec.file)


def _emotion_model(
    rules_dir: Path, spec: SignalModelSpec | None, embedder: BaseEmbedding | None
) -> EmotionModel | None:
    """The learned emotion model, if the rules enable it; it reads the e5 vector too when the
    embedder is the one it was trained with."""
    if spec is None or not spec.enabled:
        return None
    return EmotionModel.load(rules_dir / spec.file, embedder.model_name if embedder else None)


def _signal_model(
    rules_dir: Path, spec: SignalModelSpec | None, embedder: BaseEmbedding | None
) -> SignalModel | None:
    """The learned signal model, if the rules enable it and it fits the embedder."""
    if embedder is None or spec is None or not spec.enabled:
        return None
    return SignalModel.load(rules_dir / spec.file, embedder.model_name)
