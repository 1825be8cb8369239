from __future__ import annotations

import pytest

from ingestion.chunker import chunk_markdown

FAQ = """# 交易常见问题

## 赎回

### 纯债基金赎回多久到账？
通利纯债赎回款一般在T+3个工作日内到账。

遇节假日顺延。

### 领先成长赎回费怎么算？
持有不满7天收取1.50%。
"""


def test_each_faq_pair_is_one_chunk_with_its_heading_path() -> None:
    chunks = chunk_markdown(FAQ, "交易常见问题")
    assert [c.kind for c in chunks] == ["faq", "faq"]
    assert chunks[0].question == "纯债基金赎回多久到账？"
    assert chunks[0].section == "赎回 > 纯债基金赎回多久到账？"
    assert "遇节假日顺延" in chunks[0].text  # the whole answer, both paragraphs


def test_long_paragraph_is_cut_at_chinese_sentence_ends() -> None:
    sentence = "基金份额持有人可以在交易日提交赎回申请，赎回款按规定时间划回银行卡。"
    chunks = chunk_markdown("# 规则\n\n## 赎回\n\n" + sentence * 20, "规则", max_chars=200)
    assert len(chunks) > 1
    assert all(len(c.text) <= 200 for c in chunks)
    assert all(c.text.endswith("。") for c in chunks)
    assert all(c.section == "赎回" for c in chunks)


def test_a_long_run_of_lines_is_cut_at_line_ends_and_keeps_its_lines() -> None:
    items = [f"（{n}）第{n}只基金：T+1日确认；赎回款T+{n + 2}日内到账；" for n in range(1, 13)]
    body = "第十条　各基金的确认和到账时间如下：\n" + "\n".join(items)
    chunks = chunk_markdown("# 规则\n\n## 到账\n\n" + body, "规则", max_chars=200)
    assert len(chunks) > 1 and all(len(c.text) <= 200 for c in chunks)
    lines = [line for c in chunks for line in c.text.splitlines()]
    assert lines == [
        "第十条　各基金的确认和到账时间如下：",
        *items,
    ]  # no item cut, none run together


def test_small_table_stays_whole_with_its_lead_in() -> None:
    rows = "\n".join(f"| N<{d}天 | {d / 100:.2f}% |" for d in range(1, 8))
    markdown = f"# 费用\n\n## 赎回费\n\n赎回费率如下：\n\n| 持有期 | 费率 |\n|---|---|\n{rows}\n"
    chunks = chunk_markdown(markdown, "费用", max_chars=100)
    assert len(chunks) == 1
    assert chunks[0].text.startswith("赎回费率如下") and chunks[0].text.count("|---|") == 1


def test_large_table_is_split_by_rows_repeating_the_header() -> None:
    rows = "\n".join(f"| 第{i}行 | {'数据' * 30} |" for i in range(60))
    chunks = chunk_markdown(f"# T\n\n## 表\n\n| 列A | 列B |\n|---|---|\n{rows}\n", "T")
    assert len(chunks) > 1
    assert all(c.kind == "table" and c.text.startswith("| 列A | 列B |") for c in chunks)
    assert sum(c.text.count("第") for c in chunks) == 60


def test_heading_without_body_makes_no_chunk_and_fences_are_not_headings() -> None:
    markdown = "# T\n\n## 空\n\n## 代码\n\n```\n# not a heading\n```\n"
    chunks = chunk_markdown(markdown, "T")
    assert len(chunks) == 1 and chunks[0].section == "代码"


def test_a_short_title_block_opens_the_first_section_instead_of_standing_alone() -> None:
    markdown = (
        "均衡优选混合基金概况\n（A类份额：006633；C类份额：006634）\n\n"
        "## 一、基本情况\n\n基金经理：韩知微\n\n## 二、投资范围\n\n股票资产占比30%-80%。"
    )
    chunks = chunk_markdown(markdown, "均衡优选混合基金概况")
    assert [c.section for c in chunks] == ["一、基本情况", "二、投资范围"]
    assert "006633" in chunks[0].text and "韩知微" in chunks[0].text


def test_a_long_introduction_and_one_before_a_question_stay_passages_of_their_own() -> None:
    intro = "本文件说明直销渠道的交易规则。" * 10  # longer than a title block
    chunks = chunk_markdown(f"{intro}\n\n## 赎回\n\n赎回款T+3到账。", "规则")
    assert chunks[0].section is None and chunks[1].section == "赎回"
    chunks = chunk_markdown("常见问题\n\n## 几点收市？\n\n15:00。", "常见问题")
    assert chunks[0].section is None and chunks[1].kind == "faq"


@pytest.mark.parametrize(
    ("body", "questions", "first_answer"),
    [
        # labels in brackets, one answer of two lines
        (
            "【问】快速赎回为什么提示超额？\n【答】每人每日上限1万元。\n超过请用普通赎回。\n\n"
            "【问】周末有收益吗？\n【答】自下周一起享有收益。",
            ["快速赎回为什么提示超额？", "周末有收益吗？"],
            "每人每日上限1万元。\n超过请用普通赎回。",
        ),
        # a dialogue with blank lines, a table in an answer
        (
            "客户：卖了钱几天到？\n\n小鹤：各只基金不一样：\n| 基金 | 到账 |\n|---|---|\n"
            "| 货币 | T+1 |\n\n客户：能撤单吗？\n\n小鹤：15:00前可以。",
            ["卖了钱几天到？", "能撤单吗？"],
            "各只基金不一样：\n| 基金 | 到账 |\n|---|---|\n| 货币 | T+1 |",
        ),
        # 问/答 in plain text
        (
            "问：一个人可以开几个账户？\n答：只能开一个。\n\n问：未成年人能开户吗？\n答：须由监护人办理。",
            ["一个人可以开几个账户？", "未成年人能开户吗？"],
            "只能开一个。",
        ),
        # hard negatives: labelled lines that are no questions and answers
        ("注意：赎回款T+1到账。\n提示：遇节假日顺延。\n注意：以公告为准。", [], None),
        ("客户：能撤单吗？\n小鹤：可以。", [], None),  # one pair alone makes no list of FAQs
        ("费用：\n| 费用 | 费率 |\n|---|---|\n| 管理费 | 0.30% |", [], None),
    ],
)
def test_questions_and_answers_written_as_labelled_lines_are_one_chunk_each(
    body: str, questions: list[str], first_answer: str | None
) -> None:
    """Packed as plain text, one passage held three questions and their answers, and the one
    asked was quoted beside two it had not. Each answer is whole, its label left out."""
    chunks = chunk_markdown(f"# 常见问题\n\n## 账户\n\n{body}\n", "常见问题")
    faqs = [c for c in chunks if c.kind == "faq"]
    assert [c.question for c in faqs] == questions
    assert all(c.section == "账户" for c in faqs)
    if first_answer is not None:
        assert faqs[0].text == f"{questions[0]}\n{first_answer}"


def test_an_introduction_before_labelled_questions_stays_a_passage() -> None:
    body = "本篇收录账户问题。\n\n问：一个人可以开几个账户？\n答：只能开一个。\n\n问：能销户吗？\n答：能。"
    chunks = chunk_markdown(f"# 常见问题\n\n## 账户\n\n{body}\n", "常见问题")
    assert [c.kind for c in chunks] == ["section", "faq", "faq"]
    assert chunks[0].text == "本篇收录账户问题。"


PAGE = """# 账户服务指南

## 一、谁可以开户
年满18周岁的中国公民可以开户。

## 二、销户
销户前须赎回全部份额。
"""


@pytest.mark.parametrize(
    ("markdown", "sections"),
    [
        # a web page's <h1> under a <title> that names the site too: not the root of each path
        (PAGE, ["一、谁可以开户", "二、销户"]),
        # two top-level headings: each is a part of the document, kept in the paths
        (
            PAGE + "\n# 附录\n\n## 常用电话\n客服热线400-000-0000。\n",
            ["账户服务指南 > 一、谁可以开户", "账户服务指南 > 二、销户", "附录 > 常用电话"],
        ),
    ],
)
def test_a_documents_one_opening_top_heading_is_no_section(
    markdown: str, sections: list[str]
) -> None:
    chunks = chunk_markdown(markdown, "账户服务指南 - 星河基金")
    assert [c.section for c in chunks] == sections
