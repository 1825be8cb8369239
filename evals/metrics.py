"""Metric computations, pure functions over plain values, each tested on hand-made cases."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from assistant.grounding import is_supported
from assistant.text import split_sentences


def fact_recall(answer: str, facts: Sequence[str | Sequence[str]]) -> float:
    """Share of required facts that appear verbatim (case-insensitive, spaces ignored). A fact
    may be given as the forms the documents state it in (`evals.common.required_facts`): any
    one of them holds it."""
    if not facts:
        return 1.0
    squashed = _squash(answer)
    forms = [(fact,) if isinstance(fact, str) else fact for fact in facts]
    return sum(any(_squash(f) in squashed for f in fact) for fact in forms) / len(facts)


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


# What became of one question: what the client saw, and whether it was right.
ANSWERED_RIGHT = "answered_right"
ANSWERED_WRONG = "answered_wrong"
ASKED_BACK = "asked_back"
HANDED_OFF = "handed_off"
NOT_QUOTED = "not_quoted"  # answered with our own wording only (no citation, nothing to tap)
OUTCOMES = (ANSWERED_RIGHT, ANSWERED_WRONG, ASKED_BACK, HANDED_OFF, NOT_QUOTED)


def answer_outcome(
    route: str, cited: Sequence[str], suggestions: Sequence[str], right: bool | None
) -> str:
    """Classify one reply. A reply with citations answered from the documents; `right` says
    whether it held every required fact and cited an accepted document (None for a question no
    document answers: any answer is wrong). A reply that offers suggestions and cites nothing
    asked back: neither an answer nor a hand-off."""
    if route == "handoff":
        return HANDED_OFF
    if cited:
        return ANSWERED_RIGHT if right else ANSWERED_WRONG
    return ASKED_BACK if suggestions else NOT_QUOTED


def scored_outcome(
    route: str,
    cited: Sequence[str],
    suggestions: Sequence[str],
    recall: float | None,
    accepted: set[str],
) -> str:
    """`answer_outcome` for a reply scored against its labels: right when it holds every fact
    (`recall` 1) and cites an accepted document; `recall` None: no document answers it."""
    right = None if recall is None else recall == 1.0 and any(s in accepted for s in cited)
    return answer_outcome(route, cited, suggestions, right)


def outcome_line(label: str, counts: Mapping[str, int]) -> str:
    """One printed line of outcome counts: right, wrong (as a share of answered), and each."""
    right, wrong = counts.get(ANSWERED_RIGHT, 0), counts.get(ANSWERED_WRONG, 0)
    return (
        f"  {label:<16} right {right}, wrong {wrong} "
        f"({wrong / max(right + wrong, 1):.3f} of answered), of "
        f"{sum(counts.values())}: {dict(sorted(counts.items()))}"
    )


def outcome_rates(outcomes: Sequence[str]) -> dict[str, float]:
    """Shares of all questions (answered, asked back, handed off, not quoted) and the
    wrong-answer rate as a share of the answered ones: the costly error, counted where it lands."""
    total = max(1, len(outcomes))
    right, wrong = outcomes.count(ANSWERED_RIGHT), outcomes.count(ANSWERED_WRONG)
    return {
        "answered_share": (right + wrong) / total,
        "wrong_answer_rate": wrong / (right + wrong) if right + wrong else 0.0,
        "wrong_answers": float(wrong),
        "asked_back_rate": outcomes.count(ASKED_BACK) / total,
        "handoff_rate": outcomes.count(HANDED_OFF) / total,
        "not_quoted_rate": outcomes.count(NOT_QUOTED) / total,
    }


def reliability_bins(pairs: Iterable[tuple[float, bool]], bins: int = 10) -> list[dict[str, float]]:
    """Confidence against correctness: per equal-width confidence bin, how many answers, their
    mean confidence and the share that were right. Empty bins are left out."""
    grouped: list[list[tuple[float, bool]]] = [[] for _ in range(bins)]
    for confidence, right in pairs:
        grouped[min(bins - 1, max(0, int(confidence * bins)))].append((confidence, right))
    return [
        {
            "low": i / bins,
            "high": (i + 1) / bins,
            "count": float(len(group)),
            "confidence": sum(c for c, _ in group) / len(group),
            "accuracy": sum(1 for _, r in group if r) / len(group),
        }
        for i, group in enumerate(grouped)
        if group
    ]


def expected_calibration_error(bins: Sequence[dict[str, float]]) -> float:
    """The count-weighted mean gap between confidence and accuracy over the bins."""
    total = sum(b["count"] for b in bins)
    if not total:
        return 0.0
    return sum(b["count"] * abs(b["confidence"] - b["accuracy"]) for b in bins) / total
