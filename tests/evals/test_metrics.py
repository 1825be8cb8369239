"""Each metric on small cases whose right value is known by hand."""

from __future__ import annotations

import pytest

from evals.metrics import (
    citation_precision,
    counts_to_scores,
    fact_recall,
    groundedness,
    precision_recall_f1,
    span_matches,
)


def test_fact_recall_counts_verbatim_facts_ignoring_spaces_and_case() -> None:
    answer = "C类销售服务费为每年0.60%，赎回款T+4 到账。"
    assert fact_recall(answer, ["0.60%", "T+4"]) == 1.0
    assert fact_recall(answer, ["0.60%", "1.50%"]) == 0.5
    assert fact_recall("Cut-off is 15:00", ["cut-off"]) == 1.0
    assert fact_recall("anything", []) == 1.0


def test_groundedness_is_the_share_of_supported_sentences() -> None:
    passage = "领先成长C类份额不收取申购费。C类每年收取0.60%的销售服务费。"
    assert groundedness("C类份额不收取申购费。C类每年收取0.60%的销售服务费。", [passage]) == 1.0
    assert groundedness("C类份额不收取申购费。持有一年保证收益8%。", [passage]) == 0.5
    assert groundedness("", [passage]) == 0.0


def test_a_wrong_number_makes_a_sentence_unsupported() -> None:
    passage = "C类每年收取0.60%的销售服务费。"
    assert groundedness("C类每年收取0.80%的销售服务费。", [passage]) == 0.0


def test_citation_precision() -> None:
    answer = "通利纯债赎回款T+3个工作日内到账。"
    good = "通利纯债赎回款一般在T+3个工作日内到账。"
    unrelated = "交易密码连续输错5次锁定24小时。"
    assert citation_precision(answer, [good]) == 1.0
    assert citation_precision(answer, [good, unrelated]) == 0.5
    assert citation_precision(answer, []) == 0.0


def test_precision_recall_f1_per_label() -> None:
    expected = [{"complaint"}, {"complaint", "angry"}, set(), {"angry"}]
    predicted = [{"complaint"}, {"angry"}, {"complaint"}, {"angry"}]
    complaint = precision_recall_f1(expected, predicted, "complaint")
    assert complaint["precision"] == pytest.approx(0.5) and complaint["recall"] == pytest.approx(
        0.5
    )
    angry = precision_recall_f1(expected, predicted, "angry")
    assert angry["precision"] == 1.0 and angry["recall"] == 1.0 and angry["f1"] == 1.0


def test_span_matches_need_type_and_overlap() -> None:
    expected = [("PHONE_NUMBER", 5, 16), ("EMAIL_ADDRESS", 20, 35)]
    found = [("PHONE_NUMBER", 5, 16), ("PERSON", 20, 35), ("BANK_CARD", 40, 59)]
    assert span_matches(expected, found) == (1, 2, 1)
    assert span_matches([], []) == (0, 0, 0)


def test_counts_to_scores_conventions_for_absent_labels() -> None:
    assert counts_to_scores(1, 1, 1) == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2.0}
    never_predicted = counts_to_scores(0, 0, 3)
    assert never_predicted["precision"] == 1.0 and never_predicted["recall"] == 0.0
    assert never_predicted["f1"] == 0.0
    assert counts_to_scores(0, 0, 0)["f1"] == 1.0  # nothing expected, nothing found
