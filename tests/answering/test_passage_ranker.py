"""The passage ranker with the weights in force: which retrieved passage the extractive writer
quotes, and when it quotes a second one."""

from __future__ import annotations

import pytest

from assistant.prompts import PromptLibrary
from assistant.retrieval.hybrid import ScoredChunk
from assistant.writers.base import WriteRequest
from assistant.writers.extractive import ExtractiveWriter
from assistant.writers.passage_ranker import FEATURES, PassageRanker


def faq(question: str, answer: str, *, score: float, dense: float, asked: float) -> ScoredChunk:
    return ScoredChunk(
        id=question,
        text=f"{question}\n{answer}",
        metadata={
            "kind": "faq",
            "language": "zh",
            "section": f"服务 > {question}",
            "source": "faq/service.md",
            "title": "FAQ",
        },
        score=score,
        dense_similarity=dense,
        bm25_score=1.0,
        question_similarity=asked,
    )


HOURS = faq(
    "人工客服几点上班？",
    "工作日 8:30–21:00，周末 9:00–17:00。",
    score=0.033,
    dense=0.90,
    asked=0.90,
)
HOTLINE = faq(
    "客服电话是多少？",
    "客服热线 400-883-8088，境外请拨 +86-755-2694-8088。",
    score=0.031,
    dense=0.895,
    asked=0.93,
)
OVERVIEW = faq(
    "怎样联系我们？",
    "您可以通过 App 在线客服联系我们，也可以来信。",
    score=0.034,
    dense=0.90,
    asked=0.89,
)


@pytest.fixture(scope="module")
def writer() -> ExtractiveWriter:
    return ExtractiveWriter(PromptLibrary())


def test_every_feature_has_a_weight_and_the_file_a_version(writer: ExtractiveWriter) -> None:
    rules = PromptLibrary().rules("passage_ranker")
    assert set(rules["weights"]) == set(FEATURES)
    reader = writer.ranker.reader
    assert reader is not None  # its version, too, is recorded with every reply
    assert writer.ranker.version == f"{rules['version']} + {reader.version}"


def test_the_faq_whose_question_matches_wins_over_a_higher_ranked_one(
    writer: ExtractiveWriter,
) -> None:
    request = WriteRequest(
        question="你们客服热线号码多少", language="zh", chunks=[OVERVIEW, HOTLINE]
    )
    written = writer.write(request)
    assert "400-883-8088" in written.text
    assert written.citations[0].section == HOTLINE.section


def test_a_second_passage_is_quoted_when_only_it_holds_what_was_asked(
    writer: ExtractiveWriter,
) -> None:
    request = WriteRequest(question="客服几点上班 电话多少", language="zh", chunks=[HOURS, HOTLINE])
    written = writer.write(request)
    assert "8:30" in written.text and "400-883-8088" in written.text
    assert [c.section for c in written.citations] == [HOURS.section, HOTLINE.section]


def test_no_second_passage_when_the_first_holds_the_answer(writer: ExtractiveWriter) -> None:
    request = WriteRequest(question="客服几点上班", language="zh", chunks=[HOURS, HOTLINE])
    written = writer.write(request)
    assert len(written.citations) == 1
    assert "400-883-8088" not in written.text


def test_the_weights_in_force_are_recorded_with_the_answer(writer: ExtractiveWriter) -> None:
    written = writer.write(WriteRequest(question="客服几点上班", language="zh", chunks=[HOURS]))
    assert writer.ranker.version in written.prompt_version


def _ranker(margin: float) -> PassageRanker:
    library = PromptLibrary()
    rules = {**library.rules("passage_ranker"), "second_passage_margin": margin}
    return PassageRanker(rules, library.rules("answer_types"))


TWIN = faq(
    "联系客服有哪些方式？",
    "可以在 App 里找在线客服，也可以写邮件。",
    score=0.034,
    dense=0.90,
    asked=0.89,
)


@pytest.mark.parametrize(("margin", "quoted"), [(0.0, 1), (1.0, 2)])
def test_a_runner_up_the_ranker_can_hardly_tell_apart_is_quoted_too(
    margin: float, quoted: int
) -> None:
    # OVERVIEW and TWIN score alike; neither holds a kind of answer the other lacks.
    request = WriteRequest(question="怎么联系你们", language="zh", chunks=[OVERVIEW, TWIN])
    assert len(_ranker(margin).choose(request)) == quoted


def test_sentences_are_chosen_in_the_documents_words_for_the_clients(
    writer: ExtractiveWriter,
) -> None:
    """成立 is 基金合同生效日 in the documents (the retrieval synonyms): without them the
    sentence sharing 日期 with the question, the summary's own filing date, was quoted."""
    overview = ScoredChunk(
        id="overview",
        text=(
            "编制日期：2026年8月20日　送出日期：2026年8月25日\n"
            "本概要提供本基金的重要信息，是招募说明书的一部分。投资者应当认真阅读招募说明书、"
            "基金合同等销售文件，了解本基金的风险收益特征，并根据自身的投资目的、期限、经验、"
            "资产状况等判断本基金是否和投资人的风险承受能力相适应。\n"
            "| 基金合同生效日 | 2021年1月19日 |\n"
            "| 基金管理人 | 星河基金管理有限公司 |\n| 基金托管人 | 兴业银行股份有限公司 |"
        ),
        metadata={"kind": "section", "language": "zh", "section": "产品概况", "source": "p.docx"},
        score=0.03,
        dense_similarity=0.9,
        bm25_score=1.0,
    )
    written = writer.write(
        WriteRequest(question="安盈短债成立日期", language="zh", chunks=[overview])
    )
    assert "2021年1月19日" in written.text


def test_only_a_near_paraphrase_of_an_faqs_question_counts(writer: ExtractiveWriter) -> None:
    """Questions on one topic read ~0.90-0.94 alike to e5 whatever they ask; the FAQ-question
    feature starts above that."""
    request = WriteRequest(question="客服几点下班", language="zh", chunks=[HOURS, HOTLINE])
    same_topic = faq("客服电话是多少？", "400-883-8088", score=0.03, dense=0.9, asked=0.91)
    paraphrase = faq("客服几点下班？", "21:00", score=0.03, dense=0.9, asked=0.97)
    column = FEATURES.index("faq_question")
    rows = writer.ranker.features(request, [same_topic, paraphrase])
    assert rows[0][column] == 0.0 and rows[1][column] > 0.0


def test_the_cross_language_note_stands_before_the_quote_in_the_other_language(
    writer: ExtractiveWriter,
) -> None:
    english = ScoredChunk(
        id="en",
        text="Minimum first purchase\nUSD 100 for each US dollar class.",
        metadata={**HOTLINE.metadata, "language": "en", "source": "en/guide.md"},
        score=0.033,
        dense_similarity=0.90,
        bm25_score=1.0,
        question_similarity=0.95,
    )
    chinese = ScoredChunk(
        id="zh",
        text="美元份额最低申购金额？\n首次申购最低100美元，追加最低10美元。",
        metadata={**HOTLINE.metadata, "source": "faq/trading.md"},
        score=0.032,
        dense_similarity=0.899,
        bm25_score=1.0,
        question_similarity=0.95,
    )
    written = writer.write(
        WriteRequest(
            question="minimum first purchase USD class", language="en", chunks=[english, chinese]
        )
    )
    note = "From our Chinese-language documents:"
    assert len(written.used_chunks) == 2, written.notes
    assert written.text.startswith("USD 100")
    assert f"{note}\n首次申购最低100美元" in written.text
    assert written.text.count(note) == 1
