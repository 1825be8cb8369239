"""Build the PDF and the DOCX document of the eighth (fictional) fund company, 澄衡基金.

The Markdown, text and HTML documents under `evals/kb8/docs/` are written by hand; these two are
generated so that their bytes can be rebuilt offline: the direct-sales fee schedule as a PDF with
one fee table per fund (reportlab with the built-in `STSong-Light` CID font) and the 90-day
rolling bond fund's 产品说明书 as a DOCX with fee tables (python-docx, through `evals.docx_build`).
The generated files are committed beside the others.

    python -m evals.kb8.build_docs
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
PDF_PATH = DOCS / "交易规则" / "澄衡基金直销费率表_2026年10月版.pdf"
ROLLING_PATH = DOCS / "产品" / "031821_恒信90天滚动" / "澄衡恒信90天滚动持有债券_产品说明书.docx"
FONT = "STSong-Light"
COMPANY = "澄衡基金管理有限公司"
DOCX_FONT = "SimSun"
DOCX_STYLES = ("Normal", "Title", "Heading 1", "Heading 2")

FEE_TITLE = "澄衡基金直销费率表（2026年10月版）"
FEE_INTRO = [
    "文件编号：CH-ZX-FL-2026-10　执行日期：2026年10月8日　适用渠道：澄衡基金直销柜台、澄衡基金APP、官网",
    "说明：M为单笔申购金额；N为持有期限，自份额确认日起算。以下均为原费率，"
    "网上直销优惠见第八部分。如本表与本公司其后发布的公告不一致，以公告为准。",
]
# One block per fund: (heading, rows). Rows are 费用项目 | A-class | C-class (or the fund's classes).
FUNDS: list[tuple[str, list[Row]]] = [
    (
        "第一部分　澄衡添益货币（A类031801，B类031802）",
        [
            ["费用项目", "A类", "B类"],
            ["申购费", "0", "0"],
            ["赎回费", "0", "0"],
            ["管理费（年）", "0.20%", "0.20%"],
            ["托管费（年）", "0.05%", "0.05%"],
            ["销售服务费（年）", "0.25%", "0.01%"],
        ],
    ),
    (
        "第二部分　澄衡安和短债（A类031811，C类031812）",
        [
            ["费用项目", "A类", "C类"],
            ["申购费 M＜100万元", "0.30%", "0"],
            ["申购费 100万元≤M＜500万元", "0.15%", "0"],
            ["申购费 M≥500万元", "每笔1000元", "0"],
            ["赎回费 N＜7日", "1.50%", "1.50%"],
            ["赎回费 7日≤N＜30日", "0", "0.10%"],
            ["赎回费 N≥30日", "0", "0"],
            ["管理费（年）", "0.25%", "0.25%"],
            ["托管费（年）", "0.08%", "0.08%"],
            ["销售服务费（年）", "不收取", "0.15%"],
        ],
    ),
    (
        "第三部分　澄衡恒信90天滚动持有债券（A类031821，C类031822）",
        [
            ["费用项目", "A类", "C类"],
            ["申购费 M＜100万元", "0.60%", "0"],
            ["申购费 100万元≤M＜300万元", "0.40%", "0"],
            ["申购费 300万元≤M＜500万元", "0.20%", "0"],
            ["申购费 M≥500万元", "每笔1000元", "0"],
            ["赎回费", "0", "0"],
            ["管理费（年）", "0.40%", "0.40%"],
            ["托管费（年）", "0.10%", "0.10%"],
            ["销售服务费（年）", "不收取", "0.30%"],
        ],
    ),
    (
        "第四部分　澄衡中证红利低波100指数（A类031831，C类031832）",
        [
            ["费用项目", "A类", "C类"],
            ["申购费 M＜100万元", "1.20%", "0"],
            ["申购费 100万元≤M＜300万元", "0.80%", "0"],
            ["申购费 300万元≤M＜500万元", "0.50%", "0"],
            ["申购费 M≥500万元", "每笔1000元", "0"],
            ["赎回费 N＜7日", "1.50%", "1.50%"],
            ["赎回费 7日≤N＜30日", "0.50%", "0.50%"],
            ["赎回费 30日≤N＜1年", "0.50%", "0"],
            ["赎回费 1年≤N＜2年", "0.25%", "0"],
            ["赎回费 N≥2年", "0", "0"],
            ["管理费（年）", "0.50%", "0.50%"],
            ["托管费（年）", "0.10%", "0.10%"],
            ["销售服务费（年）", "不收取", "0.25%"],
        ],
    ),
    (
        "第五部分　澄衡红利优选混合（A类031841，C类031842）",
        [
            ["费用项目", "A类", "C类"],
            ["申购费 M＜100万元", "1.50%", "0"],
            ["申购费 100万元≤M＜300万元", "1.00%", "0"],
            ["申购费 300万元≤M＜500万元", "0.60%", "0"],
            ["申购费 M≥500万元", "每笔1000元", "0"],
            ["赎回费 N＜7日", "1.50%", "1.50%"],
            ["赎回费 7日≤N＜30日", "0.75%", "0.50%"],
            ["赎回费 30日≤N＜1年", "0.50%", "0"],
            ["赎回费 1年≤N＜2年", "0.25%", "0"],
            ["赎回费 N≥2年", "0", "0"],
            ["管理费（年）", "1.20%", "1.20%"],
            ["托管费（年）", "0.20%", "0.20%"],
            ["销售服务费（年）", "不收取", "0.50%"],
        ],
    ),
    (
        "第六部分　澄衡成渝优势产业股票（A类031851，C类031852）",
        [
            ["费用项目", "A类", "C类"],
            ["申购费 M＜100万元", "1.50%", "0"],
            ["申购费 100万元≤M＜300万元", "1.00%", "0"],
            ["申购费 300万元≤M＜500万元", "0.80%", "0"],
            ["申购费 M≥500万元", "每笔1000元", "0"],
            ["赎回费 N＜7日", "1.50%", "1.50%"],
            ["赎回费 7日≤N＜30日", "0.75%", "0.50%"],
            ["赎回费 30日≤N＜1年", "0.50%", "0"],
            ["赎回费 1年≤N＜2年", "0.25%", "0"],
            ["赎回费 N≥2年", "0", "0"],
            ["管理费（年）", "1.50%", "1.50%"],
            ["托管费（年）", "0.25%", "0.25%"],
            ["销售服务费（年）", "不收取", "0.60%"],
        ],
    ),
    (
        "第七部分　澄衡全球医疗QDII（人民币A类031861，人民币C类031862，美元A类031863）",
        [
            ["费用项目", "人民币A类", "人民币C类"],
            ["申购费 M＜100万元", "1.60%", "0"],
            ["申购费 100万元≤M＜300万元", "1.00%", "0"],
            ["申购费 300万元≤M＜500万元", "0.60%", "0"],
            ["申购费 M≥500万元", "每笔1000元", "0"],
            ["赎回费 N＜7日", "1.50%", "1.50%"],
            ["赎回费 7日≤N＜365日", "0.50%", "0.50%（N＜30日）"],
            ["赎回费 N≥365日", "0", "0"],
            ["管理费（年）", "1.50%", "1.50%"],
            ["托管费（年）", "0.30%", "0.30%"],
            ["销售服务费（年）", "不收取", "0.50%"],
        ],
    ),
]
USD_NOTE = (
    "美元A类（031863）申购费：单笔20万美元以下1.60%；20万美元（含）至70万美元1.00%；"
    "70万美元及以上每笔200美元。美元A类赎回费、管理费、托管费与人民币A类相同。"
    "人民币C类持有满30日后赎回费为0。"
)
DISCOUNTS = [
    "1. 通过澄衡基金APP、官网申购安和短债A类、恒信90天滚动A类的，申购费全免（费率为0）。",
    "2. 通过澄衡基金APP、官网申购其余基金A类份额（含定投），比例申购费率享受3折优惠，"
    "例如原费率1.50%的，优惠后为0.45%；原费率1.20%的，优惠后为0.36%。",
    "3. 直销柜台申购按原费率收取。固定费用（每笔1000元、每笔200美元）不享受折扣。",
    "4. 赎回费、管理费、托管费、销售服务费不打折。",
]

ROLLING_TITLE = "澄衡恒信90天滚动持有债券型证券投资基金 产品说明书"
ROLLING_DATE = "版本：2026年第2版　更新日期：2026年9月12日"
ROLLING_WARNING = (
    "本说明书为投资者了解本基金的简明材料，不构成投资建议。"
    "本基金每份基金份额设置90天滚动运作期，运作期内不能赎回，请确认资金安排后再申购。"
)
ROLLING_BASICS: list[Row] = [
    ["项目", "内容"],
    ["基金全称", "澄衡恒信90天滚动持有债券型证券投资基金"],
    ["基金简称", "澄衡恒信90天滚动"],
    ["份额代码", "A类031821　C类031822"],
    ["基金类型", "债券型"],
    ["运作方式", "契约型开放式，每份基金份额设90天滚动运作期"],
    ["基金经理", "严书澜"],
    ["基金托管人", "中信银行股份有限公司"],
    ["基金合同生效日", "2024年6月17日"],
    ["业绩比较基准", "中债综合财富（1年以下）指数收益率"],
    ["风险等级", "R2（中低风险）"],
]
ROLLING_RULES = [
    "每份基金份额的第一个运作期自基金合同生效日（对认购份额）或申购份额确认日（对申购份额）起算，"
    "至90天后的对应日止。运作期到期日，投资者可提出赎回申请；未赎回的份额自动进入下一个运作期。",
    "举例：2026年9月1日确认的申购份额，第一个运作期到期日为2026年11月30日，"
    "投资者在当日提出赎回方可赎回；错过当日的，需等待下一个运作期到期日。",
    "运作期到期日赎回的，不收取赎回费。赎回款于赎回申请日后T+3日内到账。",
    "申购最低金额：APP和官网10元，直销柜台首次1万元。本基金A类与C类之间不能相互转换，"
    "也不能与本公司其他基金相互转换。",
]
ROLLING_SUBSCRIPTION: list[Row] = [
    ["单笔申购金额（M）", "A类申购费率", "C类申购费率"],
    ["M＜100万元", "0.60%", "0"],
    ["100万元≤M＜300万元", "0.40%", "0"],
    ["300万元≤M＜500万元", "0.20%", "0"],
    ["M≥500万元", "每笔1000元", "0"],
]
ROLLING_RUNNING: list[Row] = [
    ["费用名称", "A类", "C类"],
    ["管理费", "0.40%/年", "0.40%/年"],
    ["托管费", "0.10%/年", "0.10%/年"],
    ["销售服务费", "无", "0.30%/年"],
    ["赎回费", "无（运作期到期日赎回）", "无（运作期到期日赎回）"],
]
ROLLING_OTHER = [
    "投资范围：本基金投资于债券资产的比例不低于基金资产的80%，主要投资于剩余期限在1年以内的"
    "国债、政策性金融债、同业存单及AA+及以上评级的信用债，不投资股票，也不投资可转换债券。",
    "收益分配：本基金每年最多分配12次，默认分红方式为红利再投资。",
    "主要风险：利率风险、信用风险、流动性风险，以及运作期内无法赎回的流动性安排风险。",
]


def build_pdf(path: Path = PDF_PATH) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    title, heading, body = pdf_styles(FONT, 9, 14)
    flow: list[Any] = [Paragraph(FEE_TITLE, title)]
    flow += [Paragraph(line, body) for line in FEE_INTRO]
    for name, rows in FUNDS:
        flow += [Paragraph(name, heading), Spacer(1, 4), ruled_table(rows, FONT, repeatRows=1)]
    flow += [Spacer(1, 4), Paragraph(USD_NOTE, body)]
    flow += [Paragraph("第八部分　网上直销优惠", heading)]
    flow += [Paragraph(line, body) for line in DISCOUNTS]
    path.parent.mkdir(parents=True, exist_ok=True)
    SimpleDocTemplate(str(path), pagesize=A4, title=FEE_TITLE, author=COMPANY).build(flow)


def build_rolling_docx(path: Path = ROLLING_PATH) -> None:
    document = new_docx(ROLLING_TITLE, COMPANY, dt.datetime(2026, 9, 12), DOCX_FONT, DOCX_STYLES)
    document.add_paragraph(ROLLING_DATE)
    document.add_paragraph(ROLLING_WARNING)
    document.add_paragraph("一、基金概况", style="Heading 1")
    docx_table(document, ROLLING_BASICS)
    document.add_paragraph("二、滚动运作期规则", style="Heading 1")
    for line in ROLLING_RULES:
        document.add_paragraph(line)
    document.add_paragraph("三、费用", style="Heading 1")
    document.add_paragraph("（一）申购费率", style="Heading 2")
    docx_table(document, ROLLING_SUBSCRIPTION)
    document.add_paragraph("（二）运作费用及赎回费", style="Heading 2")
    docx_table(document, ROLLING_RUNNING)
    document.add_paragraph("四、投资范围、分红与风险", style="Heading 1")
    for line in ROLLING_OTHER:
        document.add_paragraph(line)
    save_docx(document, path, dt.date(2026, 9, 12))


BUILT = (
    (build_pdf, PDF_PATH),
    (build_rolling_docx, ROLLING_PATH),
)


if __name__ == "__main__":
    write_all(BUILT, DOCS)
