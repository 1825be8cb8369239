"""Each format becomes Markdown with a title and headings; real files, made here."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from ingestion.chunker import chunk_markdown
from ingestion.loaders import LoadError, load_document


def load(tmp_path: Path, name: str, raw: bytes):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    return load_document(path, tmp_path, raw)


def make_pdf() -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setTitle("赎回规则说明")
    page.setFont("STSong-Light", 12)
    page.drawString(50, 800, "一、赎回到账")
    page.drawString(50, 780, "货币基金赎回款T+1到账，纯债基金赎回款T+3到账。")
    page.save()
    return buffer.getvalue()


def make_fee_pdf() -> bytes:
    """A ruled fee table that runs over a page break, after a paragraph wrapped at the margin."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=11, wordWrap="CJK")
    rows = [["持有期限", "赎回费率"]] + [
        [f"{d}日≤N＜{d + 1}日", f"{d / 100:.2f}%"] for d in range(7, 60)
    ]
    table = Table(rows, repeatRows=0)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), "STSong-Light"),
                ("GRID", (0, 0), (-1, -1), 0.5, "black"),
            ]
        )
    )
    story = [
        Paragraph("一、赎回费", style),
        Paragraph("本费率表自2026年1月1日起适用，列示直销渠道各基金的赎回费率，" * 4, style),
        table,
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title="赎回费率表").build(story)
    return buffer.getvalue()


def make_docx() -> bytes:
    from docx import Document

    document = Document()
    document.core_properties.title = "定投业务规则"
    document.add_heading("定投业务规则", level=0)
    document.add_heading("扣款规则", level=1)
    document.add_paragraph("每期最低扣款金额为10元，连续3期扣款失败自动终止定投。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "周期", "扣款日"
    table.cell(1, 0).text, table.cell(1, 1).text = "每月", "1-28日"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


HTML = """<html><head><title>分红方式说明</title><script>var x = 1;</script></head>
<body><nav>首页 | 产品</nav><h1>分红方式说明</h1><h2>如何修改分红方式</h2>
<p>在权益登记日前，可在App持仓页修改为现金分红或红利再投资。</p>
<table><tr><th>基金</th><th>可选方式</th></tr><tr><td>易支付货币</td><td>红利再投资</td></tr></table>
</body></html>"""


def test_pdf_text_and_numbered_headings(tmp_path: Path) -> None:
    document = load(tmp_path, "rules.pdf", make_pdf())
    assert document.meta.title == "赎回规则说明"
    assert "## 一、赎回到账" in document.markdown
    chunks = chunk_markdown(document.markdown, document.meta.title)
    assert chunks[0].section == "一、赎回到账" and "T+3" in chunks[0].text


SYMBOL_HEADINGS = """直销业务规则
文档编号：YW-02

■ 基金转换
1. 转换申请以T日15:00为界。

■ 分红方式
1. 默认分红方式为现金分红。
"""


def test_plain_text_headings_set_off_by_a_block_symbol(tmp_path: Path) -> None:
    """The heading line used to end the section before it, and the section it opens had none."""
    document = load(tmp_path, "rules.txt", SYMBOL_HEADINGS.encode())
    chunks = chunk_markdown(document.markdown, document.meta.title)
    assert document.meta.title == "直销业务规则"
    assert [c.section for c in chunks] == ["基金转换", "分红方式"]
    assert "15:00" in chunks[0].text and "分红方式" not in chunks[0].text
    assert "现金分红" in chunks[1].text


NOTICE = """星河稳利纯债债券型证券投资基金2026年第4次分红公告

公告送出日期：2026年11月20日

一、公告基本信息
基金名称：星河稳利纯债债券型证券投资基金
基金主代码：010711

二、与分红相关的其他信息
现金红利发放日：2026年11月25日
"""


def test_a_plain_texts_first_line_is_its_title(tmp_path: Path) -> None:
    """The first section's heading had become the title ("一、公告基本信息"): every passage of
    the notice was headed by it, and a citation named it as the document."""
    document = load(tmp_path, "notice.txt", NOTICE.encode())
    assert document.meta.title == "星河稳利纯债债券型证券投资基金2026年第4次分红公告"
    chunks = chunk_markdown(document.markdown, document.meta.title)
    assert [c.section for c in chunks] == ["一、公告基本信息", "二、与分红相关的其他信息"]
    assert "公告送出日期" in chunks[0].text and "分红公告" not in chunks[0].text


RULES = """星河基金直销交易业务规则

第一章　总则
第一条　本规则所称交易日指证券交易所的正常交易日。
第二条　投资者可通过以下渠道申购：
（一）官网；（二）APP。

第二章　申购与赎回
第三条　申购采用金额申购原则。
"""


def test_chapters_numbered_with_an_ideographic_space_are_headings(tmp_path: Path) -> None:
    """第一章　总则 (U+3000 after the number) was read as text, so a rule book had no sections;
    an article that is a sentence or a list's lead-in (第二条　…：) stays text."""
    document = load(tmp_path, "rules.txt", RULES.encode())
    chunks = chunk_markdown(document.markdown, document.meta.title)
    assert document.meta.title == "星河基金直销交易业务规则"
    assert [c.section for c in chunks] == ["第一章　总则", "第二章　申购与赎回"]
    assert "第二条" in chunks[0].text and "金额申购" in chunks[1].text


@pytest.mark.parametrize(
    ("first_line", "title"),
    [
        ("公告送出日期：2026年11月20日", "一、公告基本信息"),  # a labelled value
        ("一、公告基本信息", "一、公告基本信息"),  # a section's heading
        ("本公司自2026年1月1日起调整直销费率。", "一、公告基本信息"),  # a sentence
        ("问：可以开几个账户？", "一、公告基本信息"),  # a question
        ("■ 基金转换", "基金转换"),  # a heading set off by a symbol
    ],
)
def test_a_first_line_that_is_not_a_title(tmp_path: Path, first_line: str, title: str) -> None:
    text = f"{first_line}\n\n一、公告基本信息\n基金主代码：010711\n"
    assert load(tmp_path, "notice.txt", text.encode()).meta.title == title


def test_pdf_table_is_a_markdown_table_whole_across_the_page_break(tmp_path: Path) -> None:
    document = load(tmp_path, "fees.pdf", make_fee_pdf())
    lines = document.markdown.splitlines()
    table = [line for line in lines if line.startswith("|")]
    assert table[0] == "| 持有期限 | 赎回费率 |"
    assert "| 7日≤N＜8日 | 0.07% |" in table and "| 59日≤N＜60日 | 0.59% |" in table
    assert len(table) == 2 + 53  # header, rule, every row: one table, not two
    # the wrapped paragraph is one line again, its sentence not cut at the margin
    assert (
        "本费率表自2026年1月1日起适用，列示直销渠道各基金的赎回费率，本费率表" in document.markdown
    )


def test_docx_headings_and_table(tmp_path: Path) -> None:
    document = load(tmp_path, "sip.docx", make_docx())
    assert document.meta.title == "定投业务规则"
    assert "## 扣款规则" in document.markdown
    assert "| 每月 | 1-28日 |" in document.markdown


def test_html_drops_scripts_and_navigation_keeps_table(tmp_path: Path) -> None:
    document = load(tmp_path, "dividends.html", HTML.encode())
    assert document.meta.title == "分红方式说明"
    assert "var x" not in document.markdown and "首页" not in document.markdown
    assert "| 易支付货币 | 红利再投资 |" in document.markdown
    assert "## 如何修改分红方式" in document.markdown


def test_markdown_without_front_matter_takes_title_from_heading(tmp_path: Path) -> None:
    document = load(tmp_path, "a/b.md", "# 风险揭示书\n\n基金有风险，投资需谨慎。".encode())
    assert document.source == "a/b.md"
    assert document.meta.title == "风险揭示书"
    assert document.meta.doc_type == "general" and document.meta.language == "zh"


def test_front_matter_fields_are_read(tmp_path: Path) -> None:
    raw = (
        "---\ntitle: 产品概要\ndoc_type: product_summary\nfund_codes: ['002000', '002001']\n"
        "effective_date: 2026-10-01\nversion: '2026.10'\nlanguage: zh\n---\n# 产品概要\n\n正文"
    ).encode()
    meta = load(tmp_path, "p.md", raw).meta
    assert meta.fund_codes == ["002000", "002001"]
    assert meta.effective_date == "2026-10-01" and meta.version == "2026.10"


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("scan.pdf", b"%PDF-1.4\n%%EOF", "PDF"),
        ("notes.rtf", b"{\\rtf1 hi}", "unsupported file type"),
        ("list.md", b"---\n- a\n- b\n---\n# x\n\ny", "mapping"),
    ],
)
def test_loader_errors_say_what_is_wrong(
    tmp_path: Path, name: str, raw: bytes, message: str
) -> None:
    with pytest.raises(LoadError, match=message):
        load(tmp_path, name, raw)
