"""Build the PDF and the DOCX document of the sixth (fictional) fund company, 泓岳基金.

The Markdown, text and HTML documents under `evals/kb6/docs/` are written by hand; these two are
generated so that their bytes can be rebuilt offline: the company-wide fee schedule as a PDF with
three cross-fund tables (subscription, redemption, running fees; reportlab with the built-in
`STSong-Light` CID font) and the index fund's 产品资料概要 as a DOCX with fee tables (python-docx,
through `evals.docx_build`). The generated files are committed beside the others.

    python -m evals.kb6.build_docs
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
PDF_PATH = DOCS / "F01_泓岳基金费率总表_2026年10月版.pdf"
INDEX_PATH = DOCS / "P03_泓岳中证A500指数_产品资料概要.docx"
FONT = "STSong-Light"
COMPANY = "泓岳基金管理有限公司"
DOCX_FONT = "SimSun"
DOCX_STYLES = ("Normal", "Title", "Heading 1", "Heading 2")

FEE_TITLE = "泓岳基金费率总表（2026年10月版）"
FEE_INTRO = [
    "生效日期：2026年10月1日　适用渠道：泓岳基金直销（APP、官网、直销柜台）",
    "本表列示各基金的原费率（未计优惠）。M为单笔申购金额，N为持有期限（自份额确认日起算，1年按365日计）。"
    "泓岳日日盈货币不收取申购费和赎回费。费率如有调整，以本公司最新公告为准。",
]
SUBSCRIPTION_NOTE = (
    "表1　A类（及泓岳养老2045 Y类）申购费率。各基金C类份额不收申购费；泓岳养老2045 Y类免收申购费。"
)
SUBSCRIPTION: list[Row] = [
    ["基金", "M＜100万元", "100万元≤M＜300万元", "300万元≤M＜500万元", "M≥500万元"],
    ["稳泰纯债A", "0.60%", "0.40%", "0.20%", "每笔1000元"],
    ["中证A500指数A", "1.00%", "0.60%", "0.30%", "每笔1000元"],
    ["先进制造A", "1.50%", "1.00%", "0.30%", "每笔1000元"],
    ["均衡优选A", "1.20%", "0.80%", "0.30%", "每笔1000元"],
    ["养老2045 A", "0.80%", "0.50%", "0.20%", "每笔1000元"],
    ["养老2045 Y", "0", "0", "0", "0"],
    ["美国科技QDII人民币A", "1.20%", "0.80%", "0.40%", "每笔1000元"],
]
USD_NOTE = (
    "美国科技QDII美元A类申购费：15万美元以下1.20%，15万美元（含）至75万美元0.80%，"
    "75万美元及以上每笔150美元。"
)
REDEMPTION_NOTE = "表2　赎回费率。持有不满7日的赎回费全额计入基金财产。"
REDEMPTION: list[Row] = [
    ["基金及份额", "N＜7日", "7日≤N＜30日", "30日≤N＜1年", "1年≤N＜2年", "N≥2年"],
    ["稳泰纯债A", "1.50%", "0.10%", "0", "0", "0"],
    ["稳泰纯债C", "1.50%", "0", "0", "0", "0"],
    ["中证A500指数A", "1.50%", "0.50%", "0.50%", "0.25%", "0"],
    ["中证A500指数C", "1.50%", "0.50%", "0", "0", "0"],
    ["先进制造A", "1.50%", "0.75%", "0.50%", "0.25%", "0"],
    ["先进制造C", "1.50%", "0.50%", "0", "0", "0"],
    ["均衡优选A", "1.50%", "0.75%", "0.50%", "0.20%", "0"],
    ["均衡优选C", "1.50%", "0.50%", "0", "0", "0"],
    ["美国科技QDII A类", "1.50%", "0.75%", "0.50%", "0.25%", "0"],
    ["美国科技QDII C类", "1.50%", "0.50%", "0", "0", "0"],
]
REDEMPTION_AFTER = [
    "美国科技QDII A类含人民币A类和美元A类，C类含人民币C类和美元C类。",
    "泓岳养老2045的A类、Y类每笔份额须持有满三年方可赎回，持有满三年后赎回不收取赎回费。",
]
RUNNING_NOTE = "表3　运作费用（年费率，按日计提）"
RUNNING: list[Row] = [
    ["基金", "管理费", "托管费", "销售服务费"],
    ["日日盈货币", "0.18%", "0.05%", "A类0.25%，B类0.01%，E类0.15%"],
    ["稳泰纯债", "0.30%", "0.10%", "C类0.20%"],
    ["中证A500指数", "0.50%", "0.10%", "C类0.25%"],
    ["先进制造", "1.20%", "0.20%", "C类0.50%"],
    ["均衡优选", "1.00%", "0.20%", "C类0.40%"],
    ["养老2045", "A类0.80%，Y类0.40%", "A类0.15%，Y类0.075%", "不收取"],
    ["美国科技QDII", "1.20%", "0.25%", "人民币C类、美元C类0.40%"],
]
DISCOUNTS = [
    "通过泓岳基金APP或官网申购A类份额，比例申购费率享受4折优惠，例如原费率1.50%的，优惠后为0.60%；"
    "通过定投申购A类份额的，比例申购费率享受1折优惠。",
    "直销柜台申购按原费率收取。按固定金额收取的申购费（每笔1000元、每笔150美元）不打折。",
    "转换费用由转出基金的赎回费和申购费补差构成，申购费补差同样适用上述网上优惠。",
]

INDEX_TITLE = "泓岳中证A500指数型证券投资基金 基金产品资料概要"
INDEX_DATE = "编制日期：2026年8月15日　送出日期：2026年8月18日"
INDEX_WARNING = "本概要提供本基金的重要信息，是招募说明书的一部分。作出投资决定前，请阅读完整的招募说明书等销售文件。"
INDEX_BASICS: list[Row] = [
    ["项目", "内容"],
    ["基金简称", "泓岳中证A500指数"],
    ["基金代码", "A类026321；C类026322"],
    ["基金管理人", "泓岳基金管理有限公司"],
    ["基金托管人", "平安银行股份有限公司"],
    ["基金合同生效日", "2025年1月9日"],
    ["基金类型", "股票型（被动指数型）"],
    ["运作方式", "普通开放式"],
    ["基金经理", "蒋南枝（2025年1月9日起任职）"],
    ["标的指数", "中证A500指数"],
    ["风险等级", "R3（中风险）"],
]
INDEX_STRATEGY = [
    "本基金采用完全复制法跟踪标的指数，投资于股票的比例不低于基金资产的90%，"
    "投资于标的指数成份股及备选成份股的比例不低于非现金基金资产的80%。",
    "本基金力争日均跟踪偏离度的绝对值不超过0.35%，年化跟踪误差不超过4%。",
    "本基金不是ETF，也不是ETF联接基金，只能在场外申购赎回，不能在交易所买卖。",
]
INDEX_SUBSCRIPTION: list[Row] = [
    ["申购金额（M）", "A类申购费率", "C类申购费率"],
    ["M＜100万元", "1.00%", "0"],
    ["100万元≤M＜300万元", "0.60%", "0"],
    ["300万元≤M＜500万元", "0.30%", "0"],
    ["M≥500万元", "每笔1000元", "0"],
]
INDEX_REDEMPTION: list[Row] = [
    ["持有期限（N）", "A类赎回费率", "C类赎回费率"],
    ["N＜7日", "1.50%", "1.50%"],
    ["7日≤N＜30日", "0.50%", "0.50%"],
    ["30日≤N＜1年", "0.50%", "0"],
    ["1年≤N＜2年", "0.25%", "0"],
    ["N≥2年", "0", "0"],
]
INDEX_RUNNING: list[Row] = [
    ["费用类别", "收费方式/年费率", "收取方"],
    ["管理费", "0.50%", "基金管理人"],
    ["托管费", "0.10%", "基金托管人"],
    ["销售服务费", "A类不收取；C类0.25%", "销售机构"],
    ["指数许可使用费", "0.02%，收取下限为每季度5万元", "指数编制机构"],
]
INDEX_OTHER = [
    "申购份额于T+1日确认，赎回款于T+3日内到账。本基金每年收益分配次数最多为4次，默认分红方式为现金分红。",
    "本基金的主要风险包括市场风险、跟踪误差风险、标的指数回报与股票市场平均回报偏离的风险，以及标的指数变更的风险。",
    "A类与C类份额之间不能相互转换。C类份额适合持有期限较短的投资者。",
]


def build_pdf(path: Path = PDF_PATH) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    title, heading, body = pdf_styles(FONT, 9, 14)
    flow: list[Any] = [Paragraph(FEE_TITLE, title)]
    flow += [Paragraph(line, body) for line in FEE_INTRO]
    flow += [Paragraph("一、申购费", heading), Paragraph(SUBSCRIPTION_NOTE, body), Spacer(1, 4)]
    flow += [ruled_table(SUBSCRIPTION, FONT, repeatRows=1), Spacer(1, 4), Paragraph(USD_NOTE, body)]
    flow += [Paragraph("二、赎回费", heading), Paragraph(REDEMPTION_NOTE, body), Spacer(1, 4)]
    flow += [ruled_table(REDEMPTION, FONT, repeatRows=1), Spacer(1, 4)]
    flow += [Paragraph(line, body) for line in REDEMPTION_AFTER]
    flow += [Paragraph("三、运作费用", heading), Paragraph(RUNNING_NOTE, body), Spacer(1, 4)]
    flow += [ruled_table(RUNNING, FONT, repeatRows=1), Spacer(1, 6)]
    flow += [Paragraph("四、直销网上交易优惠", heading)]
    flow += [Paragraph(line, body) for line in DISCOUNTS]
    path.parent.mkdir(parents=True, exist_ok=True)
    SimpleDocTemplate(str(path), pagesize=A4, title=FEE_TITLE, author=COMPANY).build(flow)


def build_index_docx(path: Path = INDEX_PATH) -> None:
    document = new_docx(INDEX_TITLE, COMPANY, dt.datetime(2026, 8, 15), DOCX_FONT, DOCX_STYLES)
    document.add_paragraph(INDEX_DATE)
    document.add_paragraph(INDEX_WARNING)
    document.add_paragraph("一、产品概况", style="Heading 1")
    docx_table(document, INDEX_BASICS)
    document.add_paragraph("二、基金投资与净值表现", style="Heading 1")
    for line in INDEX_STRATEGY:
        document.add_paragraph(line)
    document.add_paragraph("三、投资本基金涉及的费用", style="Heading 1")
    document.add_paragraph("（一）申购费", style="Heading 2")
    docx_table(document, INDEX_SUBSCRIPTION)
    document.add_paragraph("（二）赎回费", style="Heading 2")
    docx_table(document, INDEX_REDEMPTION)
    document.add_paragraph("（三）基金运作相关费用", style="Heading 2")
    docx_table(document, INDEX_RUNNING)
    document.add_paragraph("四、交易、分红与风险", style="Heading 1")
    for line in INDEX_OTHER:
        document.add_paragraph(line)
    save_docx(document, path, dt.date(2026, 8, 18))


BUILT = (
    (build_pdf, PDF_PATH),
    (build_index_docx, INDEX_PATH),
)


if __name__ == "__main__":
    write_all(BUILT, DOCS)
