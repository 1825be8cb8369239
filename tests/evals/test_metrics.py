"""Each metric on small cases whose right value is known by hand."""

from __future__ import annotations

import pytest

from evals.common import required_facts
from evals.metrics import (
    ANSWERED_RIGHT,
    ANSWERED_WRONG,
    ASKED_BACK,
    HANDED_OFF,
    NOT_QUOTED,
    answer_outcome,
    citation_precision,
    counts_to_scores,
    expected_calibration_error,
    fact_recall,
    groundedness,
    outcome_rates,
    precision_recall_f1,
    reliability_bins,
    span_matches,
)


def test_fact_recall_counts_verbatim_facts_ignoring_spaces_and_case() -> None:
    answer = "C类销售服务费为每年0.60%，赎回款T+4 到账。"
    assert fact_recall(answer, ["0.60%", "T+4"]) == 1.0
    assert fact_recall(answer, ["0.60%", "1.50%"]) == 0.5
    assert fact_recall("Cut-off is 15:00", ["cut-off"]) == 1.0
    assert fact_recall("anything", []) == 1.0


def test_a_fact_given_in_several_forms_is_held_by_any_one() -> None:
    answer = "一般基金T+1日确认，泓岳养老2045为T+3日。"
    assert fact_recall(answer, [("T+3日确认份额", "T+3日")]) == 1.0
    assert fact_recall(answer, [("T+3日确认份额", "T+4日"), "T+1日"]) == 0.5
    case = {"facts": ["T+3日确认份额", "T+1日"], "fact_forms": {"T+3日确认份额": ["T+3日"]}}
    assert required_facts(case) == [("T+3日确认份额", "T+3日"), ("T+1日",)]
    assert fact_recall(answer, required_facts(case)) == 1.0
    assert fact_recall(answer, case["facts"]) == 0.5  # the labels as written


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


def test_answer_outcome_tells_answers_from_asking_back_and_handing_off() -> None:
    assert answer_outcome("answered", ["faq.md"], [], right=True) == ANSWERED_RIGHT
    assert answer_outcome("answered", ["faq.md"], [], right=False) == ANSWERED_WRONG
    # No document answers the question: any quoted answer is a wrong one.
    assert answer_outcome("answered", ["faq.md"], [], right=None) == ANSWERED_WRONG
    assert answer_outcome("answered", [], ["怎么申购？", "申购费多少？"], right=None) == ASKED_BACK
    assert answer_outcome("handoff", ["faq.md"], [], right=True) == HANDED_OFF
    assert answer_outcome("answered", [], [], right=None) == NOT_QUOTED


def test_wrong_answer_rate_is_a_share_of_the_answered_ones() -> None:
    outcomes = [ANSWERED_RIGHT] * 6 + [ANSWERED_WRONG] * 2 + [ASKED_BACK, HANDED_OFF]
    rates = outcome_rates(outcomes)
    assert rates["answered_share"] == pytest.approx(0.8)
    assert rates["wrong_answer_rate"] == pytest.approx(0.25)
    assert rates["wrong_answers"] == 2.0
    assert rates["asked_back_rate"] == pytest.approx(0.1)
    assert rates["handoff_rate"] == pytest.approx(0.1)
    assert rates["not_quoted_rate"] == 0.0
    assert outcome_rates([HANDED_OFF])["wrong_answer_rate"] == 0.0


def test_reliability_bins_compare_confidence_with_the_share_right() -> None:
    pairs = [(0.95, True), (0.92, False), (0.55, True), (1.0, True), (0.05, False)]
    bins = reliability_bins(pairs, bins=10)
    assert [(b["low"], b["count"]) for b in bins] == [(0.0, 1.0), (0.5, 1.0), (0.9, 3.0)]
    top = bins[-1]
    assert top["accuracy"] == pytest.approx(2 / 3)
    assert top["confidence"] == pytest.approx((0.95 + 0.92 + 1.0) / 3)
    gaps = [0.05, 0.45, abs(top["confidence"] - 2 / 3)]
    assert expected_calibration_error(bins) == pytest.approx((gaps[0] + gaps[1] + 3 * gaps[2]) / 5)
    assert expected_calibration_error([]) == 0.0
