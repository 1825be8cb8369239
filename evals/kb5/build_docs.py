"""Build the PDF and the DOCX document of the fifth (fictional) fund company, 澄川基金.

The Markdown, text and HTML documents under `evals/kb5/docs/` are written by hand; these two are
generated so that their bytes can be rebuilt offline: the direct-channel fee disclosure as a PDF
with one fee table per fund (reportlab with the built-in `STSong-Light` CID font, so no font file
is needed) and the QDII fund's overview as a DOCX with share-class and fee tables (python-docx,
through `evals.docx_build`). The generated files are committed beside the others.

    python -m evals.kb5.build_docs
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
PDF_PATH = DOCS / "30_pricing" / "chengchuan-direct-channel-fee-disclosure-2026-09.pdf"
QDII_PATH = DOCS / "20_funds" / "025971_global-consumer-qdii_overview-and-fees.docx"
FONT = "STSong-Light"
COMPANY = "澄川基金管理有限公司"
DOCX_FONT = "SimSun"
DOCX_STYLES = ("Normal", "Title", "Heading 1", "Heading 2")

FEE_TITLE = "澄川基金直销渠道费率公示（2026年9月版）"
FEE_INTRO = [
    "公示日期：2026年9月1日　适用渠道：澄川财富APP、官网网上交易、直销柜台",
    "本公示按基金逐只列示直销渠道的原费率（未计优惠）。M为单笔申购金额，N为持有期限，"
    "持有期限自份额确认日起计算。澄川全球消费QDII的费率见该基金的《基金概况与费用说明》。"
    "费率如有调整，以本公司最新公告为准。",
]
FUND_FEES: list[tuple[str, str, list[Row]]] = [
    (
        "（一）澄川鑫益货币：A类025901，B类025902，D类025903",
        "基金全称：澄川鑫益货币市场基金。本基金不收取申购费和赎回费；B类份额首次申购门槛为500万元，D类份额仅在澄川财富APP销售。",
        [
            ["费用项目", "适用条件", "A类", "B类", "D类"],
            ["申购费", "不限", "0", "0", "0"],
            ["赎回费", "不限", "0", "0", "0"],
            ["管理费", "年费率", "0.20%", "0.20%", "0.20%"],
            ["托管费", "年费率", "0.05%", "0.05%", "0.05%"],
            ["销售服务费", "年费率", "0.25%", "0.01%", "0.10%"],
        ],
    ),
    (
        "（二）澄川鑫裕短债：A类025911，C类025912",
        "基金全称：澄川鑫裕短债债券型证券投资基金。A类持有满7日赎回不收取赎回费，C类持有满30日赎回不收取赎回费。",
        [
            ["费用项目", "适用条件", "A类", "C类"],
            ["申购费", "M＜100万元", "0.30%", "0"],
            ["申购费", "100万元≤M＜500万元", "0.15%", "0"],
            ["申购费", "M≥500万元", "每笔1000元", "0"],
            ["赎回费", "N＜7日", "1.50%", "1.50%"],
            ["赎回费", "7日≤N＜30日", "0", "0.10%"],
            ["赎回费", "N≥30日", "0", "0"],
            ["管理费", "年费率", "0.25%", "0.25%"],
            ["托管费", "年费率", "0.06%", "0.06%"],
            ["销售服务费", "年费率", "0", "0.20%"],
        ],
    ),
    (
        "（三）澄川安和纯债：A类025921，C类025922",
        "基金全称：澄川安和纯债债券型证券投资基金。C类持有满30日、A类持有满180日赎回不收取赎回费。",
        [
            ["费用项目", "适用条件", "A类", "C类"],
            ["申购费", "M＜100万元", "0.60%", "0"],
            ["申购费", "100万元≤M＜500万元", "0.30%", "0"],
            ["申购费", "M≥500万元", "每笔1000元", "0"],
            ["赎回费", "N＜7日", "1.50%", "1.50%"],
            ["赎回费", "7日≤N＜30日", "0.10%", "0.10%"],
            ["赎回费", "30日≤N＜180日", "0.05%", "0"],
            ["赎回费", "N≥180日", "0", "0"],
            ["管理费", "年费率", "0.30%", "0.30%"],
            ["托管费", "年费率", "0.10%", "0.10%"],
            ["销售服务费", "年费率", "0", "0.30%"],
        ],
    ),
    (
        "（四）澄川安和稳健6个月持有：A类025931，C类025932",
        "基金全称：澄川安和稳健六个月持有期混合型证券投资基金。每笔份额须持有满六个月方可赎回，持有期满后赎回不收取赎回费。",
        [
            ["费用项目", "适用条件", "A类", "C类"],
            ["申购费", "M＜100万元", "0.80%", "0"],
            ["申购费", "100万元≤M＜500万元", "0.50%", "0"],
            ["申购费", "M≥500万元", "每笔1000元", "0"],
            ["赎回费", "持有满六个月后", "0", "0"],
            ["管理费", "年费率", "0.60%", "0.60%"],
            ["托管费", "年费率", "0.15%", "0.15%"],
            ["销售服务费", "年费率", "0", "0.40%"],
        ],
    ),
    (
        "（五）澄川沪深300增强：A类025941，C类025942",
        "基金全称：澄川沪深300指数增强型证券投资基金。A类持有满730日、C类持有满30日赎回不收取赎回费。",
        [
            ["费用项目", "适用条件", "A类", "C类"],
            ["申购费", "M＜100万元", "1.20%", "0"],
            ["申购费", "100万元≤M＜500万元", "0.80%", "0"],
            ["申购费", "M≥500万元", "每笔1000元", "0"],
            ["赎回费", "N＜7日", "1.50%", "1.50%"],
            ["赎回费", "7日≤N＜30日", "0.50%", "0.50%"],
            ["赎回费", "30日≤N＜365日", "0.50%", "0"],
            ["赎回费", "365日≤N＜730日", "0.25%", "0"],
            ["赎回费", "N≥730日", "0", "0"],
            ["管理费", "年费率", "0.80%", "0.80%"],
            ["托管费", "年费率", "0.15%", "0.15%"],
            ["销售服务费", "年费率", "0", "0.40%"],
        ],
    ),
    (
        "（六）澄川新兴动力：A类025951，C类025952",
        "基金全称：澄川新兴动力股票型证券投资基金。A类申购费分四档，300万元（含）至500万元的申购费率为0.60%。",
        [
            ["费用项目", "适用条件", "A类", "C类"],
            ["申购费", "M＜100万元", "1.50%", "0"],
            ["申购费", "100万元≤M＜300万元", "1.00%", "0"],
            ["申购费", "300万元≤M＜500万元", "0.60%", "0"],
            ["申购费", "M≥500万元", "每笔1000元", "0"],
            ["赎回费", "N＜7日", "1.50%", "1.50%"],
            ["赎回费", "7日≤N＜30日", "0.75%", "0.50%"],
            ["赎回费", "30日≤N＜365日", "0.50%", "0"],
            ["赎回费", "365日≤N＜730日", "0.25%", "0"],
            ["赎回费", "N≥730日", "0", "0"],
            ["管理费", "年费率", "1.20%", "1.20%"],
            ["托管费", "年费率", "0.20%", "0.20%"],
            ["销售服务费", "年费率", "0", "0.60%"],
        ],
    ),
    (
        "（七）澄川价值精选：A类025961，C类025962",
        "基金全称：澄川价值精选混合型证券投资基金。A类持有满730日、C类持有满30日赎回不收取赎回费。",
        [
            ["费用项目", "适用条件", "A类", "C类"],
            ["申购费", "M＜100万元", "1.50%", "0"],
            ["申购费", "100万元≤M＜500万元", "1.00%", "0"],
            ["申购费", "M≥500万元", "每笔1000元", "0"],
            ["赎回费", "N＜7日", "1.50%", "1.50%"],
            ["赎回费", "7日≤N＜30日", "0.50%", "0.50%"],
            ["赎回费", "30日≤N＜365日", "0.50%", "0"],
            ["赎回费", "365日≤N＜730日", "0.25%", "0"],
            ["赎回费", "N≥730日", "0", "0"],
            ["管理费", "年费率", "1.20%", "1.20%"],
            ["托管费", "年费率", "0.20%", "0.20%"],
            ["销售服务费", "年费率", "0", "0.60%"],
        ],
    ),
]
FEE_DISCOUNTS = [
    "通过澄川财富APP或官网网上交易申购各基金A类份额的，比例申购费率享受1折优惠；"
    "例如原费率1.50%的，优惠后为0.15%。通过定期定额投资申购A类份额的，同样享受1折优惠。",
    "直销柜台申购按原费率收取，不享受优惠。按固定金额收取的申购费（每笔1000元）不打折。",
    "对持有不满7日的份额收取的赎回费，全额计入基金财产。",
]

QDII_TITLE = "澄川全球消费精选混合型证券投资基金（QDII）基金概况与费用说明"
QDII_BASICS: list[Row] = [
    ["项目", "内容"],
    ["基金简称", "澄川全球消费QDII"],
    ["基金合同生效日", "2024年4月16日"],
    ["基金经理", "陈嘉树"],
    ["基金托管人", "中国农业银行股份有限公司"],
    ["境外资产托管人", "道富银行（State Street Bank and Trust Company）"],
    [
        "业绩比较基准",
        "MSCI全球可选消费指数（MSCI ACWI Consumer Discretionary Index）收益率（经汇率调整）×80%"
        "+中债总指数收益率×20%",
    ],
    ["风险等级", "R4（中高风险）"],
    [
        "投资范围",
        "股票资产占基金资产的60%-95%，其中投资于境外市场消费行业股票的比例不低于非现金基金资产的80%",
    ],
]
QDII_CLASSES: list[Row] = [
    ["份额类别", "代码", "计价币种", "首次/追加最低申购", "可否转换", "可否定投"],
    ["人民币A类", "025971", "人民币", "10元 / 10元", "可以", "可以"],
    ["人民币C类", "025972", "人民币", "10元 / 10元", "可以", "可以"],
    ["美元A类", "025973", "美元（现汇）", "100美元 / 10美元", "不可以", "不可以"],
]
QDII_SUBSCRIPTION: list[Row] = [
    ["申购金额（M）", "人民币A类", "美元A类"],
    ["人民币M＜100万元；美元M＜15万美元", "1.20%", "1.20%"],
    ["人民币100万元≤M＜500万元；美元15万美元≤M＜75万美元", "0.80%", "0.80%"],
    ["人民币M≥500万元；美元M≥75万美元", "每笔1000元", "每笔150美元"],
]
QDII_REDEMPTION: list[Row] = [
    ["持有期限（N）", "人民币A类、美元A类", "人民币C类"],
    ["N＜7日", "1.50%", "1.50%"],
    ["7日≤N＜30日", "0.50%", "0.50%"],
    ["30日≤N＜365日", "0.50%", "0"],
    ["365日≤N＜730日", "0.25%", "0"],
    ["N≥730日", "0", "0"],
]
QDII_RUNNING: list[Row] = [
    ["费用项目", "年费率"],
    ["管理费", "1.50%"],
    ["托管费（含境外托管费）", "0.30%"],
    ["销售服务费", "人民币A类、美元A类不收取；人民币C类0.50%"],
]
QDII_TRADING = [
    "交易日15:00前提交的申请，T+2日确认份额；赎回款人民币份额于T+7日（交易日）内到账，美元A类于T+8日内到账。",
    "各类份额的基金份额净值于T+1日公布。境外主要市场休市时，本基金可能暂停申购和赎回。",
    "美元A类份额只接受本人名下美元现汇账户付款，不接受美元现钞；赎回款和现金红利以美元划回原账户。",
    "本基金目前不设单日申购上限。如可用的境外投资额度不足，本公司可能暂停或限制申购，届时以公告为准。",
    "人民币A类和人民币C类之间不能相互转换；本基金不设港币份额，也不设美元C类份额。",
]
QDII_RISKS = [
    "本基金主要投资于境外上市的消费行业股票，面临境外市场风险、汇率风险、行业集中风险和境外税务风险。"
    "人民币份额的净值受人民币对美元汇率波动影响；美元A类以美元计价，投资者换回人民币时仍承担汇率风险。"
]


def build_pdf(path: Path = PDF_PATH) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    title, heading, body = pdf_styles(FONT, 9, 14)
    flow: list[Any] = [Paragraph(FEE_TITLE, title)]
    flow += [Paragraph(line, body) for line in FEE_INTRO]
    for fund_heading, note, rows in FUND_FEES:
        flow += [Paragraph(fund_heading, heading), Paragraph(note, body), Spacer(1, 4)]
        flow += [ruled_table(rows, FONT, repeatRows=1), Spacer(1, 6)]
    flow += [Paragraph("（八）直销网上交易申购费率优惠", heading)]
    flow += [Paragraph(line, body) for line in FEE_DISCOUNTS]
    path.parent.mkdir(parents=True, exist_ok=True)
    SimpleDocTemplate(str(path), pagesize=A4, title=FEE_TITLE, author=COMPANY).build(flow)


def build_qdii_docx(path: Path = QDII_PATH) -> None:
    document = new_docx(QDII_TITLE, COMPANY, dt.datetime(2026, 10, 12), DOCX_FONT, DOCX_STYLES)
    document.add_paragraph("版本日期：2026年10月12日　适用对象：个人投资者")
    document.add_paragraph("1  基金基本信息", style="Heading 1")
    docx_table(document, QDII_BASICS)
    document.add_paragraph("2  份额类别", style="Heading 1")
    docx_table(document, QDII_CLASSES)
    document.add_paragraph("3  费用", style="Heading 1")
    document.add_paragraph("3.1  申购费（人民币C类不收取申购费）", style="Heading 2")
    docx_table(document, QDII_SUBSCRIPTION)
    document.add_paragraph("3.2  赎回费", style="Heading 2")
    docx_table(document, QDII_REDEMPTION)
    document.add_paragraph("3.3  运作费用", style="Heading 2")
    docx_table(document, QDII_RUNNING)
    document.add_paragraph("4  交易安排", style="Heading 1")
    for line in QDII_TRADING:
        document.add_paragraph(line)
    document.add_paragraph("5  风险提示", style="Heading 1")
    for line in QDII_RISKS:
        document.add_paragraph(line)
    save_docx(document, path, dt.date(2026, 10, 12))


BUILT = (
    (build_pdf, PDF_PATH),
    (build_qdii_docx, QDII_PATH),
)


if __name__ == "__main__":
    write_all(BUILT, DOCS)
