"""Metric computations, pure functions over plain values, each tested on hand-made cases."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from assistant.grounding import is_supported
from assistant.text import split_sentences


def fact_recall(answer: str, facts: Sequence[str]) -> float:
    """Share of required facts that appear verbatim (case-insensitive, spaces ignored)."""
    if not facts:
        return 1.0
    squashed = _squash(answer)
    return sum(1 for f in facts if _squash(f) in squashed) / len(facts)


def groundedness(answer: str, passages: Sequence[str]) -> float:
    """Share of the answer's sentences that the cited passages support."""
    sentences = [s for s in split_sentences(answer) if len(s) > 1]
    if not sentences:
        return 0.0
    return sum(is_supported(s, list(passages)) for s in sentences) / len(sentences)


def citation_precision(answer: str, cited_passages: Sequence[str]) -> float:
    """Share of citations whose passage supports at least one sentence of the answer."""
    if not cited_passages:
        return 0.0
    sentences = [s for s in split_sentences(answer) if len(s) > 1]
    return sum(
        1 for passage in cited_passages if any(is_supported(s, [passage]) for s in sentences)
    ) / len(cited_passages)


def precision_recall_f1(
    expected: Iterable[set[str]], predicted: Iterable[set[str]], label: str
) -> dict[str, float]:
    """Per-label precision, recall and F1 over multi-label cases."""
    tp = fp = fn = 0
    for want, got in zip(expected, predicted, strict=True):
        if label in got and label in want:
            tp += 1
        elif label in got:
            fp += 1
        elif label in want:
            fn += 1
    return counts_to_scores(tp, fp, fn)


def counts_to_scores(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall, F1 and support from counts; the one place the conventions live (a
    label never predicted has precision 1.0, one never expected recall 1.0), so every suite and
    benchmark reports a rare label alike."""
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "support": float(tp + fn)}


def span_matches(
    expected: Sequence[tuple[str, int, int]], found: Sequence[tuple[str, int, int]]
) -> tuple[int, int, int]:
    """(true positives, false positives, false negatives) for typed spans; a found span counts
    when it has the expected type and overlaps the expected span."""
    matched_found: set[int] = set()
    tp = 0
    for kind, start, end in expected:
        hit = next(
            (
                i
                for i, (k, s, e) in enumerate(found)
                if i not in matched_found and k == kind and s < end and start < e
            ),
            None,
        )
        if hit is not None:
            matched_found.add(hit)
            tp += 1
    return tp, len(found) - len(matched_found), len(expected) - tp


def _squash(text: str) -> str:
    return "".join(text.split()).lower()
