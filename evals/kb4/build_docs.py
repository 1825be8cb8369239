"""Build the PDF and the two DOCX documents of the fourth (fictional) fund company, 鹤汀基金.

The Markdown, text and HTML documents under `evals/kb4/docs/` are written by hand; these three are
generated so that their bytes can be rebuilt offline: the direct-channel fee schedule as a PDF of
three cross-fund tables (reportlab with the built-in `STSong-Light` CID font, so no font file is
needed) and two 产品资料概要 as DOCX with fee tables (python-docx). The generated files are
committed beside the others.

    python -m evals.kb4.build_docs
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
PDF_PATH = DOCS / "feilv" / "HTJJ-FL-2026_鹤汀基金直销费率表（2026年7月版）.pdf"
SHORT_BOND_PATH = DOCS / "chanpin" / "HTJJ-CP-03_鹤汀安盈短债_产品资料概要.docx"
QDII_PATH = DOCS / "chanpin" / "HTJJ-CP-09_鹤汀全球医疗QDII_产品资料概要.docx"
FONT = "STSong-Light"
COMPANY = "鹤汀基金管理有限公司"
DOCX_FONT = "FangSong"
DOCX_STYLES = ("Normal", "Title", "Heading 1", "Heading 2")

FEE_TITLE = "鹤汀基金直销费率表（2026年7月版）"
FEE_INTRO = [
    "文档编号：HTJJ-FL-2026　生效日期：2026年7月1日　适用渠道：鹤汀理财APP、官网网上交易、直销柜台",
    "本表按费用类别列示鹤汀基金旗下七只基金在直销渠道的原费率。表中M为单笔申购金额，"
    "N为持有期限。鹤汀安盈短债、鹤汀全球医疗QDII的费率见各自的产品资料概要。"
    "费率如有调整，以本公司最新公告为准。",
]
SUBSCRIPTION: list[Row] = [
    ["基金及份额", "申购金额", "申购费率"],
    ["鹤汀添益货币A/B/E", "不限", "0"],
    ["鹤汀安享纯债A", "M＜100万元", "0.80%"],
    ["鹤汀安享纯债A", "100万元≤M＜500万元", "0.40%"],
    ["鹤汀安享纯债A", "M≥500万元", "每笔1000元"],
    ["鹤汀恒信6个月定开债A", "M＜100万元", "0.50%"],
    ["鹤汀恒信6个月定开债A", "100万元≤M＜500万元", "0.25%"],
    ["鹤汀恒信6个月定开债A", "M≥500万元", "每笔1000元"],
    ["鹤汀红利低波指数A", "M＜100万元", "1.00%"],
    ["鹤汀红利低波指数A", "100万元≤M＜500万元", "0.60%"],
    ["鹤汀红利低波指数A", "M≥500万元", "每笔1000元"],
    ["鹤汀先进制造A", "M＜100万元", "1.50%"],
    ["鹤汀先进制造A", "100万元≤M＜300万元", "1.00%"],
    ["鹤汀先进制造A", "300万元≤M＜500万元", "0.50%"],
    ["鹤汀先进制造A", "M≥500万元", "每笔1000元"],
    ["鹤汀先锋成长A", "M＜100万元", "1.20%"],
    ["鹤汀先锋成长A", "100万元≤M＜500万元", "0.80%"],
    ["鹤汀先锋成长A", "M≥500万元", "每笔1000元"],
    ["鹤汀养老2045A", "M＜100万元", "0.80%"],
    ["鹤汀养老2045A", "100万元≤M＜500万元", "0.40%"],
    ["鹤汀养老2045A", "M≥500万元", "每笔1000元"],
]
REDEMPTION: list[Row] = [
    ["基金", "持有期限", "A类赎回费率", "C类赎回费率"],
    ["鹤汀添益货币", "不限", "0", "—"],
    ["鹤汀安享纯债", "N＜7日", "1.50%", "1.50%"],
    ["鹤汀安享纯债", "7日≤N＜30日", "0.10%", "0.10%"],
    ["鹤汀安享纯债", "30日≤N＜365日", "0.10%", "0"],
    ["鹤汀安享纯债", "N≥365日", "0", "0"],
    ["鹤汀恒信6个月定开债", "N＜7日", "1.50%", "1.50%"],
    ["鹤汀恒信6个月定开债", "N≥7日", "0", "0"],
    ["鹤汀红利低波指数", "N＜7日", "1.50%", "1.50%"],
    ["鹤汀红利低波指数", "7日≤N＜30日", "0.50%", "0.50%"],
    ["鹤汀红利低波指数", "30日≤N＜365日", "0.50%", "0"],
    ["鹤汀红利低波指数", "365日≤N＜730日", "0.25%", "0"],
    ["鹤汀红利低波指数", "N≥730日", "0", "0"],
    ["鹤汀先进制造", "N＜7日", "1.50%", "1.50%"],
    ["鹤汀先进制造", "7日≤N＜30日", "0.75%", "0.50%"],
    ["鹤汀先进制造", "30日≤N＜365日", "0.50%", "0"],
    ["鹤汀先进制造", "365日≤N＜730日", "0.25%", "0"],
    ["鹤汀先进制造", "N≥730日", "0", "0"],
    ["鹤汀先锋成长", "N＜7日", "1.50%", "1.50%"],
    ["鹤汀先锋成长", "7日≤N＜30日", "0.50%", "0.50%"],
    ["鹤汀先锋成长", "30日≤N＜365日", "0.50%", "0"],
    ["鹤汀先锋成长", "365日≤N＜730日", "0.20%", "0"],
    ["鹤汀先锋成长", "N≥730日", "0", "0"],
    ["鹤汀养老2045", "持有满三年后", "0", "—"],
]
RUNNING: list[Row] = [
    ["基金", "管理费", "托管费", "销售服务费"],
    ["鹤汀添益货币", "0.25%", "0.05%", "A类0.25%，B类0.01%，E类0.15%"],
    ["鹤汀安享纯债", "0.30%", "0.10%", "A类0，C类0.30%"],
    ["鹤汀恒信6个月定开债", "0.25%", "0.08%", "A类0，C类0.20%"],
    ["鹤汀红利低波指数", "0.50%", "0.10%", "A类0，C类0.25%"],
    ["鹤汀先进制造", "1.20%", "0.20%", "A类0，C类0.60%"],
    ["鹤汀先锋成长", "1.50%", "0.25%", "A类0，C类0.50%"],
    ["鹤汀养老2045", "A类0.60%，Y类0.30%", "A类0.15%，Y类0.075%", "不收取"],
]
FEE_SECTIONS: list[tuple[str, str, list[Row]]] = [
    (
        "一、申购费率",
        "各基金C类份额和鹤汀养老2045 Y类份额不收取申购费。按固定金额收取的申购费按笔计算。",
        SUBSCRIPTION,
    ),
    (
        "二、赎回费率",
        "持有期限自份额确认日起计算。对持有不满7日的份额收取的赎回费，全额计入基金财产。",
        REDEMPTION,
    ),
    ("三、运作费率（年费率）", "运作费用每日计提，已在基金份额净值中扣除。", RUNNING),
]
FEE_DISCOUNTS = (
    "通过鹤汀理财APP或官网网上交易申购A类份额，比例申购费率享受4折优惠，但优惠后的费率不低于0.60%；"
    "原申购费率低于或等于0.60%的，按原费率执行，不再打折。"
    "通过定期定额投资申购A类份额的，比例申购费率享受1折优惠。"
    "直销柜台申购不享受优惠。按固定金额收取的申购费（每笔1000元）不打折。"
)

SHORT_BOND_TITLE = "鹤汀安盈短债债券型证券投资基金产品资料概要"
SHORT_BOND_OVERVIEW: list[Row] = [
    ["项目", "内容"],
    ["基金简称", "鹤汀安盈短债"],
    ["A类份额代码", "024630"],
    ["C类份额代码", "024631"],
    ["基金合同生效日", "2021年1月19日"],
    ["基金经理", "唐初溪"],
    ["基金托管人", "兴业银行股份有限公司"],
    ["风险等级", "R2（中低风险）"],
    ["业绩比较基准", "中债总财富（1-3年）指数收益率×85%+一年期定期存款利率（税后）×15%"],
    ["投资范围", "投资于债券资产的比例不低于基金资产的80%，其中短期债券不低于非现金基金资产的80%"],
]
SHORT_BOND_SUBSCRIPTION: list[Row] = [
    ["申购金额（M）", "A类申购费率"],
    ["M＜100万元", "0.30%"],
    ["100万元≤M＜500万元", "0.15%"],
    ["M≥500万元", "每笔500元"],
]
SHORT_BOND_REDEMPTION: list[Row] = [
    ["持有期限（N）", "A类", "C类"],
    ["N＜7日", "1.50%", "1.50%"],
    ["7日≤N＜30日", "0.10%", "0.05%"],
    ["N≥30日", "0", "0"],
]
SHORT_BOND_RUNNING: list[Row] = [
    ["费用项目", "A类", "C类"],
    ["管理费", "0.30%", "0.30%"],
    ["托管费", "0.08%", "0.08%"],
    ["销售服务费", "不收取", "0.25%"],
]
SHORT_BOND_NOTES = [
    "交易须知：首次申购及追加申购最低10元。交易日15:00前提交的申请T+1日确认，赎回款于T+2日到账。",
    "本基金默认分红方式为现金分红。本基金可与鹤汀旗下开通转换业务的其他基金相互转换。",
    "风险揭示：本基金主要投资于短期债券，面临利率风险、信用风险和流动性风险。"
    "本基金不是货币市场基金，净值可能下跌，不保证每日正收益。",
]

QDII_TITLE = "鹤汀全球医疗健康股票型证券投资基金（QDII）产品资料概要"
QDII_OVERVIEW: list[Row] = [
    ["项目", "内容"],
    ["基金简称", "鹤汀全球医疗QDII"],
    ["人民币A类份额代码", "024690"],
    ["人民币C类份额代码", "024691"],
    ["美元现汇A类份额代码", "024692"],
    ["美元现钞A类份额代码", "024693"],
    ["基金合同生效日", "2022年2月14日"],
    ["基金经理", "陆可言"],
    ["基金托管人", "中国银行股份有限公司"],
    ["境外托管人", "花旗银行（Citibank, N.A.）"],
    ["风险等级", "R4（中高风险）"],
    ["业绩比较基准", "MSCI全球医疗保健指数收益率（经汇率调整）×85%+人民币活期存款利率（税后）×15%"],
]
QDII_SUBSCRIPTION: list[Row] = [
    ["申购金额", "人民币A类", "美元现汇A类、美元现钞A类"],
    ["人民币M＜100万元；美元M＜15万美元", "1.50%", "1.50%"],
    ["人民币100万元≤M＜500万元；美元15万美元≤M＜75万美元", "1.00%", "1.00%"],
    ["人民币M≥500万元；美元M≥75万美元", "每笔1000元", "每笔150美元"],
]
QDII_REDEMPTION: list[Row] = [
    ["持有期限（N）", "A类（含美元现汇A类、美元现钞A类）", "人民币C类"],
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
    ["销售服务费", "A类（含美元份额）不收取；人民币C类0.40%"],
]
QDII_TRADING = [
    "人民币份额首次申购最低10元；美元现汇A类、美元现钞A类首次申购最低100美元，追加申购最低10美元。",
    "美元现汇A类份额须以本人名下的美元现汇账户付款，美元现钞A类份额须以本人名下的美元现钞账户付款；"
    "赎回款和现金红利按原币种、原钞汇性质退回。现汇份额与现钞份额之间不能相互转换。",
    "人民币份额以人民币申购，申购时不需要购汇。",
    "交易日15:00前提交的申请T+2日确认，赎回款于T+8日（交易日）内到账。",
    "本基金各类份额净值于T+1日公布；境外主要市场休市日暂停申购和赎回。",
]
QDII_RISKS = [
    "本基金主要投资于境外上市的医疗健康类股票，面临境外市场风险、汇率风险、政治风险和行业集中风险。"
    "人民币份额的净值受人民币对美元汇率波动影响；美元份额以美元计价，投资者换回人民币时仍承担汇率风险。"
]


def build_pdf(path: Path = PDF_PATH) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    title, heading, body = pdf_styles(FONT, 9, 14)
    flow: list[Any] = [Paragraph(FEE_TITLE, title)]
    flow += [Paragraph(line, body) for line in FEE_INTRO]
    for section_heading, note, rows in FEE_SECTIONS:
        table = ruled_table(rows, FONT, repeatRows=1)
        flow += [Paragraph(section_heading, heading), Paragraph(note, body), Spacer(1, 4)]
        flow += [table, Spacer(1, 6)]
    flow += [Paragraph("四、直销网上交易费率优惠", heading), Paragraph(FEE_DISCOUNTS, body)]
    path.parent.mkdir(parents=True, exist_ok=True)
    SimpleDocTemplate(str(path), pagesize=A4, title=FEE_TITLE, author=COMPANY).build(flow)


def build_short_bond_docx(path: Path = SHORT_BOND_PATH) -> None:
    document = new_docx(SHORT_BOND_TITLE, COMPANY, dt.datetime(2026, 8, 20), DOCX_FONT, DOCX_STYLES)
    document.add_paragraph("编制日期：2026年8月20日　送出日期：2026年8月25日　文档编号：HTJJ-CP-03")
    document.add_paragraph("第一部分　产品概况", style="Heading 1")
    docx_table(document, SHORT_BOND_OVERVIEW)
    document.add_paragraph("第二部分　费用", style="Heading 1")
    document.add_paragraph("申购费（仅A类收取，C类不收取申购费）", style="Heading 2")
    docx_table(document, SHORT_BOND_SUBSCRIPTION)
    document.add_paragraph("赎回费", style="Heading 2")
    docx_table(document, SHORT_BOND_REDEMPTION)
    document.add_paragraph("运作费用（年费率）", style="Heading 2")
    docx_table(document, SHORT_BOND_RUNNING)
    document.add_paragraph("第三部分　其他", style="Heading 1")
    for line in SHORT_BOND_NOTES:
        document.add_paragraph(line)
    save_docx(document, path, dt.date(2026, 8, 20))


def build_qdii_docx(path: Path = QDII_PATH) -> None:
    document = new_docx(QDII_TITLE, COMPANY, dt.datetime(2026, 9, 20), DOCX_FONT, DOCX_STYLES)
    document.add_paragraph("编制日期：2026年9月20日　送出日期：2026年9月25日　文档编号：HTJJ-CP-09")
    document.add_paragraph("第一部分　产品概况", style="Heading 1")
    docx_table(document, QDII_OVERVIEW)
    document.add_paragraph("第二部分　费用", style="Heading 1")
    document.add_paragraph("申购费（人民币C类不收取申购费）", style="Heading 2")
    docx_table(document, QDII_SUBSCRIPTION)
    document.add_paragraph("赎回费", style="Heading 2")
    docx_table(document, QDII_REDEMPTION)
    document.add_paragraph("运作费用", style="Heading 2")
    docx_table(document, QDII_RUNNING)
    document.add_paragraph("第三部分　交易须知", style="Heading 1")
    for line in QDII_TRADING:
        document.add_paragraph(line)
    document.add_paragraph("第四部分　风险揭示", style="Heading 1")
    for line in QDII_RISKS:
        document.add_paragraph(line)
    save_docx(document, path, dt.date(2026, 9, 20))


BUILT = (
    (build_pdf, PDF_PATH),
    (build_short_bond_docx, SHORT_BOND_PATH),
    (build_qdii_docx, QDII_PATH),
)


if __name__ == "__main__":
    write_all(BUILT, DOCS)
