"""Build the PDF and DOCX documents of the second (fictional) fund company, 青岚基金.

The Markdown, text and HTML documents under `evals/kb2/docs/` are written by hand; these two are
generated so that their bytes can be rebuilt: a fee schedule as a PDF (reportlab, with the
built-in `STSong-Light` CID font, so no font file is needed) and the QDII fund's product summary
as a DOCX (python-docx). The generated files are committed beside the others.

    python -m evals.kb2.build_docs
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from evals.docx_build import Row, docx_table, new_docx, pdf_styles, ruled_table, save_docx

DOCS = Path(__file__).resolve().parent / "docs"
PDF_PATH = DOCS / "03-费率" / "青岚基金旗下公募基金费率一览（2026年版）.pdf"
DOCX_PATH = DOCS / "02-基金产品" / "青岚全球科技精选QDII_产品资料概要.docx"
FONT = "STSong-Light"

FEE_TITLE = "青岚基金旗下公募基金费率一览（2026年版）"
FEE_INTRO = (
    "本费率表自2026年1月1日起适用，列示青岚基金直销渠道境内公募基金的各项费率。"
    "表中M为单笔申购金额，N为持有期限。青岚全球科技精选（QDII）的费率见其产品资料概要。"
)
Section = tuple[str, list[tuple[str, list[Row]]]]

FEE_SECTIONS: list[Section] = [
    (
        "一、青岚添利货币市场基金（A类017301、B类017302）",
        [
            ("本基金不收取申购费和赎回费。", []),
            (
                "运作费用（年费率）：",
                [
                    ["费用项目", "A类（017301）", "B类（017302）"],
                    ["管理费", "0.20%", "0.20%"],
                    ["托管费", "0.05%", "0.05%"],
                    ["销售服务费", "0.25%", "0.01%"],
                ],
            ),
        ],
    ),
    (
        "二、青岚稳享纯债债券（A类008421、C类008422）",
        [
            (
                "申购费（仅A类收取，C类不收取申购费）：",
                [
                    ["申购金额", "A类申购费率"],
                    ["M＜100万元", "0.60%"],
                    ["100万元≤M＜500万元", "0.30%"],
                    ["M≥500万元", "每笔1000元"],
                ],
            ),
            (
                "赎回费：",
                [
                    ["持有期限", "A类", "C类"],
                    ["N＜7日", "1.50%", "1.50%"],
                    ["7日≤N＜30日", "0.10%", "0.10%"],
                    ["30日≤N＜365日", "0.10%", "0"],
                    ["N≥365日", "0", "0"],
                ],
            ),
            (
                "运作费用（年费率）：管理费0.30%，托管费0.10%；销售服务费A类为0，C类为0.35%。",
                [],
            ),
        ],
    ),
    (
        "三、青岚沪深300指数增强（A类011560、C类011561）",
        [
            (
                "申购费（仅A类收取，C类不收取申购费）：",
                [
                    ["申购金额", "A类申购费率"],
                    ["M＜100万元", "1.20%"],
                    ["100万元≤M＜500万元", "0.70%"],
                    ["M≥500万元", "每笔1000元"],
                ],
            ),
            (
                "赎回费：",
                [
                    ["持有期限", "A类", "C类"],
                    ["N＜7日", "1.50%", "1.50%"],
                    ["7日≤N＜30日", "0.50%", "0.50%"],
                    ["30日≤N＜365日", "0.50%", "0"],
                    ["365日≤N＜730日", "0.25%", "0"],
                    ["N≥730日", "0", "0"],
                ],
            ),
            (
                "运作费用（年费率）：管理费0.80%，托管费0.12%；销售服务费A类为0，C类为0.40%。",
                [],
            ),
        ],
    ),
    (
        "四、青岚均衡优选混合（A类006633、C类006634）",
        [
            (
                "申购费（仅A类收取，C类不收取申购费）：",
                [
                    ["申购金额", "A类申购费率"],
                    ["M＜100万元", "1.50%"],
                    ["100万元≤M＜500万元", "1.00%"],
                    ["M≥500万元", "每笔1000元"],
                ],
            ),
            (
                "赎回费：",
                [
                    ["持有期限", "A类", "C类"],
                    ["N＜7日", "1.50%", "1.50%"],
                    ["7日≤N＜30日", "0.75%", "0.75%"],
                    ["30日≤N＜365日", "0.75%", "0"],
                    ["365日≤N＜730日", "0.30%", "0"],
                    ["N≥730日", "0", "0"],
                ],
            ),
            (
                "运作费用（年费率）：管理费1.20%，托管费0.20%；销售服务费A类为0，C类为0.60%。",
                [],
            ),
        ],
    ),
    (
        "五、其他说明",
        [
            (
                "通过青岚财富APP申购A类份额，比例申购费率享受1折优惠，固定费用不打折。"
                "对持有期限少于7日的投资者收取的赎回费，全额计入基金财产。"
                "管理费、托管费和销售服务费按前一日基金资产净值每日计提，已在基金净值中扣除，"
                "投资者无需另行支付。",
                [],
            )
        ],
    ),
]

QDII_TITLE = "青岚全球科技精选混合型证券投资基金（QDII）产品资料概要"
QDII_OVERVIEW: list[Row] = [
    ["项目", "内容"],
    ["基金简称", "青岚全球科技"],
    ["份额代码", "人民币A类013970；人民币C类013971；美元现汇A类013972"],
    ["成立日期", "2021年12月2日"],
    ["基金经理", "顾屿川"],
    ["基金托管人", "中国银行股份有限公司"],
    ["境外托管人", "道富银行（State Street Bank and Trust Company）"],
    ["风险等级", "R4（中高风险）"],
    ["业绩比较基准", "纳斯达克100指数收益率（经汇率调整）×80%+人民币活期存款利率（税后）×20%"],
]
QDII_SUBSCRIPTION: list[Row] = [
    ["申购金额", "人民币A类", "美元现汇A类"],
    ["M＜100万元（美元份额：M＜15万美元）", "1.60%", "1.60%"],
    ["100万元≤M＜500万元（美元份额：15万美元≤M＜75万美元）", "0.90%", "0.90%"],
    ["M≥500万元（美元份额：M≥75万美元）", "每笔1000元", "每笔150美元"],
]
QDII_REDEMPTION: list[Row] = [
    ["持有期限", "A类（含美元现汇A类）", "C类"],
    ["N＜7日", "1.50%", "1.50%"],
    ["7日≤N＜30日", "0.50%", "0.50%"],
    ["30日≤N＜365日", "0.50%", "0"],
    ["N≥365日", "0", "0"],
]
QDII_RUNNING: list[Row] = [
    ["费用项目", "年费率"],
    ["管理费", "1.50%"],
    ["托管费", "0.30%"],
    ["销售服务费", "A类不收取；C类0.50%"],
]
QDII_TRADING = [
    "人民币份额首次申购最低10元；美元现汇A类首次申购最低100美元，须使用本人名下的美元现汇账户。",
    "本基金基金份额净值于T+2个工作日公布。申购于T+2日确认，赎回款于T+10个工作日内到账。",
    "本基金在境外主要市场休市日暂停申购和赎回；本基金暂不开通基金转换业务。",
    "单日申购限额以最新公告为准。",
]
QDII_RISKS = [
    "本基金主要投资于境外上市的科技类股票，除市场风险外，还面临汇率风险、境外市场风险、"
    "政治风险及流动性风险。人民币份额的净值受人民币对美元汇率波动影响。"
]


def build_pdf(path: Path = PDF_PATH) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    title, heading, body = pdf_styles(FONT, 10, 15)
    flow: list = [Paragraph(FEE_TITLE, title), Paragraph(FEE_INTRO, body)]  # type: ignore[type-arg]
    for section_heading, parts in FEE_SECTIONS:
        flow.append(Paragraph(section_heading, heading))
        for text, rows in parts:
            flow.append(Paragraph(text, body))
            if rows:
                table = ruled_table(rows, FONT)
                flow += [Spacer(1, 4), table, Spacer(1, 6)]
    path.parent.mkdir(parents=True, exist_ok=True)
    document = SimpleDocTemplate(
        str(path), pagesize=A4, title=FEE_TITLE, author="青岚基金管理有限公司"
    )
    document.build(flow)


def build_docx(path: Path = DOCX_PATH) -> None:
    document = new_docx(
        QDII_TITLE,
        "青岚基金管理有限公司",
        dt.datetime(2026, 10, 1),
        "SimSun",
        ("Normal", "Title", "Heading 1"),
    )
    document.add_paragraph("编制日期：2026年10月1日　送出日期：2026年10月9日")
    document.add_paragraph("一、产品概况", style="Heading 1")
    docx_table(document, QDII_OVERVIEW)
    document.add_paragraph("二、费用", style="Heading 1")
    document.add_paragraph("（一）申购费：仅A类份额收取，C类份额不收取申购费。")
    docx_table(document, QDII_SUBSCRIPTION)
    document.add_paragraph("（二）赎回费：")
    docx_table(document, QDII_REDEMPTION)
    document.add_paragraph("（三）基金运作相关费用：")
    docx_table(document, QDII_RUNNING)
    document.add_paragraph("三、交易须知", style="Heading 1")
    for line in QDII_TRADING:
        document.add_paragraph(line)
    document.add_paragraph("四、风险揭示", style="Heading 1")
    for line in QDII_RISKS:
        document.add_paragraph(line)
    save_docx(document, path, dt.date(2026, 10, 1))


def main() -> None:
    build_pdf()
    build_docx()
    print(f"wrote {PDF_PATH.relative_to(DOCS)} and {DOCX_PATH.relative_to(DOCS)}")


if __name__ == "__main__":
    main()
