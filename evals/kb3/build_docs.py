"""Build the PDF and DOCX documents of the third (fictional) fund company, 砚湖基金.

The Markdown, text and HTML documents under `evals/kb3/docs/` are written by hand; these two are
generated so that their bytes can be rebuilt offline: the company's fee handbook as a PDF
(reportlab with the built-in `STSong-Light` CID font, so no font file is needed) and the short-term
bond fund's product summary as a DOCX (python-docx). Both generated files are committed.

    python -m evals.kb3.build_docs
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from evals.docx_build import (
    Row,
    docx_table,
    new_docx,
    pdf_styles,
    ruled_table,
    save_docx,
    write_all,
)

DOCS = Path(__file__).resolve().parent / "docs"
PDF_PATH = DOCS / "fees" / "砚湖基金费率手册（2026年12月版）.pdf"
DOCX_PATH = DOCS / "product" / "砚湖安泰短债债券_产品资料概要.docx"
FONT = "STSong-Light"
COMPANY = "砚湖基金管理有限公司"

Part = tuple[str, list[Row]]

FEE_TITLE = "砚湖基金费率手册（2026年12月版）"
FEE_INTRO = (
    "本手册适用于砚湖基金直销渠道（砚湖基金APP、官网网上交易、直销柜台），自2026年12月1日起生效，"
    "此前版本同时废止。表中M为单笔申购金额，N为持有期限（自份额确认日起计算）。"
    "砚湖安泰短债的费率见其产品资料概要。"
)
FEE_SECTIONS: list[tuple[str, list[Part]]] = [
    (
        "第一节砚湖日日盈货币（A类738101、B类738102）",
        [
            (
                "不收取申购费、赎回费。管理费0.18%，托管费0.04%；"
                "销售服务费A类0.20%，B类0.02%（均为年费率）。",
                [],
            )
        ],
    ),
    (
        "第二节砚湖500ETF联接（A类738331、C类738332）",
        [
            (
                "A类申购费：",
                [
                    ["申购金额", "A类费率"],
                    ["M＜50万元", "1.00%"],
                    ["50万元≤M＜200万元", "0.60%"],
                    ["200万元≤M＜500万元", "0.30%"],
                    ["M≥500万元", "每笔1000元"],
                ],
            ),
            (
                "赎回费：",
                [
                    ["持有期限", "A类", "C类"],
                    ["N＜7日", "1.50%", "1.50%"],
                    ["7日≤N＜30日", "0.50%", "0.50%"],
                    ["30日≤N＜180日", "0.50%", "0"],
                    ["180日≤N＜365日", "0.25%", "0"],
                    ["N≥365日", "0", "0"],
                ],
            ),
            ("管理费0.50%，托管费0.10%，C类销售服务费0.30%。", []),
        ],
    ),
    (
        "第三节砚湖新锐成长（A类738451、C类738452）",
        [
            (
                "A类申购费：",
                [
                    ["申购金额", "A类费率"],
                    ["M＜100万元", "1.50%"],
                    ["100万元≤M＜300万元", "1.00%"],
                    ["300万元≤M＜500万元", "0.60%"],
                    ["M≥500万元", "每笔1000元"],
                ],
            ),
            (
                "赎回费：",
                [
                    ["持有期限", "A类", "C类"],
                    ["N＜7日", "1.50%", "1.50%"],
                    ["7日≤N＜30日", "0.75%", "0.50%"],
                    ["30日≤N＜365日", "0.50%", "0"],
                    ["365日≤N＜730日", "0.25%", "0"],
                    ["N≥730日", "0", "0"],
                ],
            ),
            (
                "管理费1.20%，托管费0.20%（2026年12月1日起执行），C类销售服务费0.50%。",
                [],
            ),
        ],
    ),
    (
        "第四节砚湖养老2040（A类738561、Y类738562）",
        [
            (
                "三年最短持有期，持有期满后赎回不收取赎回费。Y类不收取申购费。A类申购费：",
                [
                    ["申购金额", "A类费率"],
                    ["M＜100万元", "1.00%"],
                    ["100万元≤M＜500万元", "0.50%"],
                    ["M≥500万元", "每笔1000元"],
                ],
            ),
            ("管理费A类0.90%、Y类0.45%；托管费A类0.20%、Y类0.10%。", []),
        ],
    ),
    (
        "第五节砚湖恒裕一年定开债（A类738671、C类738672）",
        [
            (
                "A类申购费：",
                [
                    ["申购金额", "A类费率"],
                    ["M＜100万元", "0.80%"],
                    ["100万元≤M＜500万元", "0.40%"],
                    ["M≥500万元", "每笔800元"],
                ],
            ),
            (
                "赎回费（仅开放期可赎回）：",
                [
                    ["持有期限", "A类", "C类"],
                    ["N＜7日", "1.50%", "1.50%"],
                    ["7日≤N＜30日", "0", "0.30%"],
                    ["N≥30日", "0", "0"],
                ],
            ),
            ("管理费0.30%，托管费0.08%，C类销售服务费0.25%。", []),
        ],
    ),
    (
        "第六节直销渠道费率优惠",
        [
            (
                "通过砚湖基金APP或官网网上交易申购A类份额，比例申购费率享受4折优惠；"
                "定期定额投资（定投）A类份额，比例申购费率享受1折优惠；"
                "直销柜台申购不享受优惠，按原费率收取。"
                "按固定金额收取的申购费（每笔1000元、每笔800元）不打折。"
                "对持有不满7日的份额收取的赎回费，全额计入基金财产。",
                [],
            )
        ],
    ),
    (
        "第七节转换费用",
        [
            (
                "基金转换费用由转出基金的赎回费和申购补差费两部分构成。"
                "申购补差费按转出与转入基金申购费率的差额收取：转入基金申购费率高于转出基金的，"
                "收取差额；低于或相等的，不收取补差费。从砚湖日日盈货币转出的，按转入基金的申购费率全额补差。",
                [],
            )
        ],
    ),
]

SHORT_BOND_TITLE = "砚湖安泰短债债券型证券投资基金产品资料概要"
SHORT_BOND_OVERVIEW: list[Row] = [
    ["项目", "内容"],
    ["基金简称", "砚湖安泰短债"],
    ["份额代码", "A类738211；C类738212；E类738213"],
    ["基金合同生效日", "2020年5月12日"],
    ["基金经理", "韩牧之"],
    ["基金托管人", "招商银行股份有限公司"],
    ["风险等级", "R2（中低风险）"],
    ["业绩比较基准", "中债总财富（1年以下）指数收益率×80%+一年期定期存款利率（税后）×20%"],
    ["投资范围", "债券资产不低于80%，其中投资于剩余期限不超过397天的短债不低于非现金资产的80%"],
]
SHORT_BOND_SUBSCRIPTION: list[Row] = [
    ["申购金额（M）", "A类申购费率"],
    ["M＜100万元", "0.40%"],
    ["100万元≤M＜300万元", "0.20%"],
    ["M≥300万元", "每笔500元"],
]
SHORT_BOND_REDEMPTION: list[Row] = [
    ["持有期限（N）", "A类", "C类", "E类"],
    ["N＜7日", "1.50%", "1.50%", "1.50%"],
    ["7日≤N＜30日", "0.05%", "0", "0"],
    ["N≥30日", "0", "0", "0"],
]
SHORT_BOND_RUNNING: list[Row] = [
    ["费用项目", "A类", "C类", "E类"],
    ["管理费", "0.25%", "0.25%", "0.25%"],
    ["托管费", "0.06%", "0.06%", "0.06%"],
    ["销售服务费", "不收取", "0.20%", "0.10%"],
]
SHORT_BOND_TRADING = [
    "A类、C类份额首次申购最低10元，E类份额首次申购最低1元；追加申购不设下限。",
    "E类份额仅通过砚湖基金APP和官网网上交易办理，直销柜台不办理E类份额的申购。",
    "交易日15:00前提交的申购、赎回申请于T+1日确认，赎回款于T+2日（交易日）到账。",
    "本基金默认分红方式为现金分红，投资者可通过APP修改为红利再投资。",
    "C类份额、E类份额不收取申购费，A类份额不收取销售服务费。",
]
SHORT_BOND_RISKS = [
    "本基金主要投资短期债券，面临利率风险、信用风险和流动性风险，净值可能出现下跌。"
    "本基金不是货币市场基金，不承诺保本，不保证每日正收益。"
]


def build_pdf(path: Path = PDF_PATH) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    title, heading, body = pdf_styles(FONT, 10, 15)
    flow: list[Any] = [Paragraph(FEE_TITLE, title), Paragraph(FEE_INTRO, body)]
    for section_heading, parts in FEE_SECTIONS:
        flow.append(Paragraph(section_heading, heading))
        for text, rows in parts:
            flow.append(Paragraph(text, body))
            if rows:
                table = ruled_table(rows, FONT)
                flow += [Spacer(1, 4), table, Spacer(1, 6)]
    path.parent.mkdir(parents=True, exist_ok=True)
    SimpleDocTemplate(str(path), pagesize=A4, title=FEE_TITLE, author=COMPANY).build(flow)


def build_docx(path: Path = DOCX_PATH) -> None:
    document = new_docx(
        SHORT_BOND_TITLE,
        COMPANY,
        dt.datetime(2026, 11, 15),
        "SimSun",
        ("Normal", "Title", "Heading 1"),
    )
    document.add_paragraph("编制日期：2026年11月15日　送出日期：2026年11月20日")
    document.add_paragraph("（一）产品概况", style="Heading 1")
    docx_table(document, SHORT_BOND_OVERVIEW)
    document.add_paragraph("（二）费用", style="Heading 1")
    document.add_paragraph("1. 申购费（C类、E类份额不收取申购费）：")
    docx_table(document, SHORT_BOND_SUBSCRIPTION)
    document.add_paragraph("2. 赎回费：")
    docx_table(document, SHORT_BOND_REDEMPTION)
    document.add_paragraph("3. 基金运作相关费用（年费率）：")
    docx_table(document, SHORT_BOND_RUNNING)
    document.add_paragraph("（三）交易须知", style="Heading 1")
    for line in SHORT_BOND_TRADING:
        document.add_paragraph(line)
    document.add_paragraph("（四）风险揭示", style="Heading 1")
    for line in SHORT_BOND_RISKS:
        document.add_paragraph(line)
    save_docx(document, path, dt.date(2026, 11, 15))


BUILT = (
    (build_pdf, PDF_PATH),
    (build_docx, DOCX_PATH),
)


if __name__ == "__main__":
    write_all(BUILT, DOCS)
