"""The shipped pair reader (figures: `python -m evals.train_pair_reader --loco`): it loads from
the file the ranker's rules name, onnxruntime and torch agree, and it tells the passage that
answers from the one that only shares the question's words."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from assistant.funds import Fund
from assistant.prompts import PromptLibrary
from assistant.retrieval.hybrid import ScoredChunk
from assistant.writers.base import WriteRequest
from assistant.writers.extractive import ExtractiveWriter
from assistant.writers.pair_reader import PairReader, load_pair_reader
from assistant.writers.passage_ranker import PassageRanker, asked_of, read_first, with_reader


@pytest.fixture(scope="module")
def reader() -> PairReader:
    prompts = PromptLibrary()
    ranker = PassageRanker.from_prompts(prompts)
    assert ranker.reader is not None and ranker.reader_weight > 0
    assert ranker.version.endswith(ranker.reader.version)  # recorded with every reply
    file = prompts.rules("passage_ranker")["pair_reader"]["file"]
    assert load_pair_reader(prompts.root / file) is ranker.reader  # one a process
    return ranker.reader


# (question, [(heading, quote)], the candidate that answers)
CASES = [
    (
        "星河纯债的托管人是哪家银行",
        [
            ("星河纯债产品资料概要", "星河纯债A 007001 ｜ 星河纯债C 007002 ｜ 风险等级 R2"),
            (
                "星河纯债产品资料概要 产品要素",
                "| 项目 | 内容 |\n|---|---|\n| 基金经理 | 周既明 |\n| 基金托管人 | 招商银行股份有限公司 |",
            ),
            ("星河纯债产品资料概要 收益分配", "本基金每年收益分配次数最多为12次。"),
        ],
        1,
    ),
    (
        "赎回的钱几天到账",
        [
            ("交易规则 赎回费", "持有不满7日的份额收取1.50%的赎回费，全额计入基金财产。"),
            ("交易规则 到账时间", "赎回款一般于T+3日（交易日）内划至投资者银行卡。"),
            ("交易规则 撤单", "T日15:00前可以撤销当日提交的赎回申请。"),
        ],
        1,
    ),
]


@pytest.mark.parametrize(("question", "candidates", "answer"), CASES)
def test_the_reader_scores_the_passage_that_answers_highest(
    reader: PairReader, question: str, candidates: list[tuple[str, str]], answer: int
) -> None:
    headings, quotes = zip(*candidates, strict=True)
    scores = reader.scores(question, headings, quotes)
    assert int(np.argmax(scores)) == answer, scores
    # int8 moves single scores by up to ~1.6 on a scale of ~8, but not the order (and over the
    # 979 training questions with a right candidate, not the count of right picks: 879 each)
    in_float = reader.scores(question, headings, quotes, engine="torch")
    assert np.argsort(in_float).tolist() == np.argsort(scores).tolist()


# (linear scores, the candidates read, their reader scores, weight, the combined scores)
COMBINED = [
    # the reader's standardised scores (-1, +1) times the linear spread (1.0) times 0.5
    ([3.0, 1.0, 1.0, 3.0], [0, 3], [0.0, 2.0], 0.5, [2.5, 1.0, 1.0, 3.5]),
    ([3.0, 1.0, 2.0], [0, 2], [5.0, 1.0], 0.0, [3.0, 1.0, 2.0]),  # weight 0: no change
    ([3.0, 1.0, 2.0], [0], [9.0], 1.0, [3.0, 1.0, 2.0]),  # one read: nothing to compare
]


@pytest.mark.parametrize(("linear", "read", "scores", "weight", "combined"), COMBINED)
def test_the_reader_moves_only_the_candidates_it_read(
    linear: list[float], read: list[int], scores: list[float], weight: float, combined: list[float]
) -> None:
    got = with_reader(np.array(linear), np.array(read), np.array(scores), weight)
    assert np.allclose(got, combined)


def test_the_reader_reads_the_linear_rankers_first_candidates() -> None:
    assert read_first(np.array([0.1, 0.9, 0.5, 0.7, 0.2]), 3).tolist() == [1, 3, 2]


def _chunk(
    i: int, text: str, title: str, section: str, dense: float, about: Sequence[str] = ()
) -> ScoredChunk:
    """The i-th retrieved passage of a test question (`about`: the fund codes it is about)."""
    return ScoredChunk(
        about_funds=list(about),
        id=str(i),
        text=text,
        metadata={
            "kind": "section",
            "language": "zh",
            "source": f"doc{i}.md",
            "title": title,
            "section": section,
        },
        score=0.03 - i / 1000,
        dense_similarity=dense,
        bm25_score=1.0,
    )


class CountingReader(PairReader):
    """The shipped reader, recording which quotes it was given, and against which question."""

    def __init__(self, reader: PairReader) -> None:
        self.__dict__.update(reader.__dict__)
        self.read: list[str] = []
        self.asked: dict[str, str] = {}  # quote -> the question it was read against

    def score(
        self, question: str, heading: str, quote: str, engine: str = "onnx", expanded: str = ""
    ) -> float:
        self.read.append(quote)
        self.asked[quote] = question
        return super().score(question, heading, quote, engine, expanded)


BOND = Fund("星河纯债", ("007001", "007002"), ("星河纯债",), None, "bond.md")
NAMED = {"question": "星河纯债久期多少", "fund": BOND, "asked_of_fund": "久期多少"}

# (what the request names, the funds the passage is about, the question it is read against)
ASKED_OF = [
    (NAMED, ("007001", "007002"), "久期多少"),  # the named fund's own passage
    (NAMED, ("007001",), "久期多少"),  # one of its share classes
    (NAMED, ("007001", "008001"), "星河纯债久期多少"),  # a table of several funds'
    (NAMED, ("008001",), "星河纯债久期多少"),  # another fund's
    (NAMED, (), "星河纯债久期多少"),  # about no fund (an FAQ)
    ({"question": "久期多少", "fund": BOND}, ("007001",), "久期多少"),  # fund from the passages
    ({"question": "星河纯债", "fund": BOND}, ("007001",), "星河纯债"),  # nothing but the name
]


@pytest.mark.parametrize(("named", "about", "asked"), ASKED_OF)
def test_a_passage_about_the_named_fund_alone_is_read_without_the_name(
    named: dict[str, object], about: tuple[str, ...], asked: str
) -> None:
    request = WriteRequest.model_validate({"language": "zh", "chunks": [], **named})
    assert (
        asked_of(request, _chunk(0, "组合久期：2.8年。", "季报", "投资组合", 0.9, about)) == asked
    )


HEADER = (
    "基金简称：星河纯债\n下属分级基金：星河纯债A（007001）、星河纯债C（007002）\n"
    "基金合同生效日：2021年9月7日\n基金经理：周既明（自2021年9月7日起任职）\n"
    "投资目标：在严格控制风险的前提下，力争获得超越业绩比较基准的稳定回报。\n"
    "投资范围：本基金只投资债券等固定收益类资产，不买股票。\n风险等级：R2（中低风险）"
)
PORTFOLIO = (
    "报告期末基金资产组合：债券资产占基金总资产的97.8%。\n"
    "报告期末组合久期：2.8年；杠杆率（总资产/净资产）：127.4%。"
)


def test_the_named_funds_header_does_not_outread_the_section_that_answers(
    reader: PairReader,
) -> None:
    """Read against 星河纯债久期多少, v1 scored the fund's header block (its name, codes,
    manager) over the portfolio section; read against 久期多少, as retrieval ranks the fund's
    passages, the portfolio section wins. v2, trained on fitted quotes, reads the portfolio
    higher either way; the ranker still reads a passage about the named fund alone without the
    name."""
    chunks = [
        _chunk(0, HEADER, "季度报告摘要", "基金产品概况", 0.87, BOND.codes),
        _chunk(1, PORTFOLIO, "季度报告摘要", "投资组合报告", 0.86, BOND.codes),
        _chunk(2, "赎回款T+3日内到账。", "常见问题", "赎回", 0.80),
    ]
    headings = [c.heading for c in chunks[:2]]
    rest = reader.scores("久期多少", headings, [HEADER, PORTFOLIO])
    assert rest[1] > rest[0], rest
    counting = CountingReader(reader)
    prompts = PromptLibrary()
    ranker = PassageRanker(
        prompts.rules("passage_ranker"),
        prompts.rules("answer_types"),
        prompts.rules("retrieval")["synonyms"],
        counting,
    )
    request = WriteRequest.model_validate({"language": "zh", "chunks": chunks, **NAMED})
    chosen = ranker.choose(request)
    assert counting.asked == {
        HEADER: "久期多少",
        PORTFOLIO: "久期多少",
        "赎回款T+3日内到账。": NAMED["question"],
    }
    assert chosen[0].chunk.id == "1"


def test_the_ranker_reads_as_many_candidates_as_its_rules_say(reader: PairReader) -> None:
    prompts = PromptLibrary()
    counting = CountingReader(reader)
    rules = prompts.rules("passage_ranker")
    ranker = PassageRanker(
        rules, prompts.rules("answer_types"), prompts.rules("retrieval")["synonyms"], counting
    )
    chunks = [
        _chunk(i, f"赎回规则第{i}条：赎回款T+{i}日到账。", "交易规则", f"赎回 > {i}", 0.9 - i / 100)
        for i in range(5)
    ]
    ranker.choose(WriteRequest(question="赎回多久到账", language="zh", chunks=chunks))
    assert len(counting.read) == rules["pair_reader"]["reads"] < len(chunks)


def test_the_written_answer_carries_the_readers_score_of_its_quote(reader: PairReader) -> None:
    """What the pipeline weighs when a message is read two ways (`AssistantPipeline._surer`)."""
    question, candidates, answer = CASES[1]
    chunks = [
        _chunk(i, quote, heading, heading, 0.85) for i, (heading, quote) in enumerate(candidates)
    ]
    written = ExtractiveWriter(PromptLibrary()).write(
        WriteRequest(question=question, language="zh", chunks=chunks)
    )
    assert written.used_chunks[0].id == str(answer)
    alone = reader.scores(question, [chunks[answer].heading], [written.text])[0]
    assert written.read_score is not None and abs(written.read_score - alone) < 1e-6
