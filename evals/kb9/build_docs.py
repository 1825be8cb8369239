"""Build the PDF and the DOCX document of the ninth (fictional) fund company, 驼铃基金.

The Markdown, text and HTML documents under `evals/kb9/docs/` are written by hand; these two are
generated so that their bytes can be rebuilt offline: the company's product-and-fee handbook as a
PDF (a product comparison table, then one fee table per fund; reportlab with the built-in
`STSong-Light` CID font) and the index-enhanced fund's 招募说明书摘要 as a DOCX with fee tables
(python-docx, through `evals.docx_build`). Both print the index-enhanced fund's fees from before
the 2026-11-18 notice. The generated files are committed beside the others.

    python -m evals.kb9.build_docs
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
PDF_PATH = DOCS / "费率与公告" / "驼铃基金产品与费率手册_2026年10月版.pdf"
INDEX_PATH = DOCS / "基金档案" / "659231_中证1000增强" / "招募说明书摘要（2026年8月更新）.docx"
FONT = "STSong-Light"
COMPANY = "驼铃基金管理有限公司"
DOCX_FONT = "SimSun"
DOCX_STYLES = ("Normal", "Title", "Heading 1", "Heading 2")

BOOK_TITLE = "驼铃基金产品与费率手册（2026年10月版）"
BOOK_INTRO = [
    "编制：驼铃基金管理有限公司客户服务部　生效日期：2026年10月1日",
    "本手册汇总驼铃基金旗下七只基金的基本信息和直销渠道原费率（未计网上优惠）。M为单笔申购金额，"
    "N为持有期限。费率如有调整，以本公司最新公告为准。",
]
COMPARISON_NOTE = "表1　旗下基金对比"
COMPARISON: list[Row] = [
    ["基金简称", "A类代码", "其他份额", "风险等级", "基金经理", "赎回到账"],
    ["天天金货币", "659201", "B类659202", "R1", "韩雪松", "T+1日"],
    ["丝路短债", "659211", "C类659212", "R2", "马晓川", "T+2日"],
    ["陇原定开债", "659221", "C类659222", "R2", "杜若兰", "T+3日"],
    ["中证1000增强", "659231", "C类659232", "R4", "宁致远", "T+3日"],
    ["西部新能源", "659241", "C类659242", "R4", "贺骁", "T+3日"],
    ["丝路稳进六个月持有", "659251", "C类659252", "R3", "马晓川、贺骁", "T+3日"],
    ["全球医药QDII", "659261", "人民币C类659262、美元A类659263", "R4", "欧阳沐", "T+8日"],
]
COMPARISON_AFTER = [
    "全球医药QDII美元A类赎回款T+10日到账。陇原定开债仅在开放期办理申购赎回，"
    "丝路稳进六个月持有的每笔份额须持有满六个月方可赎回。",
]

FEES: list[tuple[str, list[Row], str]] = [
    (
        "2.1　驼铃天天金货币（A类659201，B类659202）",
        [
            ["费用项目", "A类", "B类"],
            ["申购费", "0", "0"],
            ["赎回费", "0", "0"],
            ["管理费（年）", "0.20%", "0.20%"],
            ["托管费（年）", "0.05%", "0.05%"],
            ["销售服务费（年）", "0.25%", "0.01%"],
            ["首次申购最低（直销APP）", "1元", "500万元"],
        ],
        "说明：天天金货币B类份额首次申购最低500万元；A类持有达到500万份自动升级为B类，B类低于500万份自动降级为A类。两类份额均不收取申购费和赎回费。",
    ),
    (
        "2.2　驼铃丝路短债（A类659211，C类659212）",
        [
            ["费用项目", "A类", "C类"],
            ["申购费 M＜100万元", "0.30%", "0"],
            ["申购费 100万元≤M＜500万元", "0.15%", "0"],
            ["申购费 M≥500万元", "每笔1000元", "0"],
            ["赎回费 N＜7日", "1.50%", "1.50%"],
            ["赎回费 7日≤N＜30日", "0", "0.10%"],
            ["赎回费 N≥30日", "0", "0"],
            ["管理费（年）", "0.20%", "0.20%"],
            ["托管费（年）", "0.05%", "0.05%"],
            ["销售服务费（年）", "0", "0.15%"],
        ],
        "说明：丝路短债A类持有满7日赎回不收取赎回费，C类须持有满30日才免赎回费；持有不满7日的赎回费全额计入基金财产。",
    ),
    (
        "2.3　驼铃陇原定开债（A类659221，C类659222）",
        [
            ["费用项目", "A类", "C类"],
            ["申购费 M＜100万元", "0.60%", "0"],
            ["申购费 100万元≤M＜500万元", "0.30%", "0"],
            ["申购费 M≥500万元", "每笔1000元", "0"],
            ["赎回费 N＜7日", "1.50%", "1.50%"],
            ["赎回费 N≥7日", "0", "0"],
            ["管理费（年）", "0.30%", "0.30%"],
            ["托管费（年）", "0.08%", "0.08%"],
            ["销售服务费（年）", "0", "0.20%"],
        ],
        "说明：陇原定开债以一年为一个封闭期，仅在开放期内办理申购和赎回；本基金不支持定投和转换，C类份额不收取申购费。",
    ),
    (
        "2.4　驼铃中证1000增强（A类659231，C类659232）",
        [
            ["费用项目", "A类", "C类"],
            ["申购费 M＜100万元", "1.20%", "0"],
            ["申购费 100万元≤M＜300万元", "0.80%", "0"],
            ["申购费 300万元≤M＜500万元", "0.40%", "0"],
            ["申购费 M≥500万元", "每笔1000元", "0"],
            ["赎回费 N＜7日", "1.50%", "1.50%"],
            ["赎回费 7日≤N＜30日", "0.50%", "0.50%"],
            ["赎回费 30日≤N＜1年", "0.50%", "0"],
            ["赎回费 1年≤N＜2年", "0.25%", "0"],
            ["赎回费 N≥2年", "0", "0"],
            ["管理费（年）", "1.00%", "1.00%"],
            ["托管费（年）", "0.15%", "0.15%"],
            ["销售服务费（年）", "0", "0.40%"],
        ],
        "说明：中证1000增强A类申购金额100万元以下的费率为1.20%；指数许可使用费由基金管理人承担，不从基金资产中列支。",
    ),
    (
        "2.5　驼铃西部新能源（A类659241，C类659242）",
        [
            ["费用项目", "A类", "C类"],
            ["申购费 M＜100万元", "1.50%", "0"],
            ["申购费 100万元≤M＜300万元", "1.00%", "0"],
            ["申购费 300万元≤M＜500万元", "0.50%", "0"],
            ["申购费 M≥500万元", "每笔1000元", "0"],
            ["赎回费 N＜7日", "1.50%", "1.50%"],
            ["赎回费 7日≤N＜30日", "0.50%", "0.50%"],
            ["赎回费 30日≤N＜1年", "0.50%", "0"],
            ["赎回费 1年≤N＜2年", "0.25%", "0"],
            ["赎回费 N≥2年", "0", "0"],
            ["管理费（年）", "1.20%", "1.20%"],
            ["托管费（年）", "0.20%", "0.20%"],
            ["销售服务费（年）", "0", "0.50%"],
        ],
        "说明：西部新能源A类持有满2年免收赎回费，C类持有满30日免收赎回费，C类按年收取0.50%的销售服务费。",
    ),
    (
        "2.6　驼铃丝路稳进六个月持有（A类659251，C类659252）",
        [
            ["费用项目", "A类", "C类"],
            ["申购费 M＜100万元", "0.80%", "0"],
            ["申购费 100万元≤M＜500万元", "0.50%", "0"],
            ["申购费 M≥500万元", "每笔1000元", "0"],
            ["赎回费（满六个月持有期后）", "0", "0"],
            ["管理费（年）", "0.60%", "0.60%"],
            ["托管费（年）", "0.12%", "0.12%"],
            ["销售服务费（年）", "0", "0.30%"],
        ],
        "说明：丝路稳进六个月持有的每笔份额须持有满六个月方可赎回或转出，满期后赎回不收取赎回费，因此表中未列示持有期内的赎回费。",
    ),
    (
        "2.7　驼铃全球医药QDII（人民币A类659261，人民币C类659262，美元A类659263）",
        [
            ["费用项目", "人民币A类", "人民币C类", "美元A类"],
            ["申购费 第一档", "1.20%（M＜100万元）", "0", "1.20%（15万美元以下）"],
            ["申购费 第二档", "0.60%（100万元≤M＜500万元）", "0", "0.60%（15万至70万美元）"],
            ["申购费 第三档", "每笔1000元（M≥500万元）", "0", "每笔150美元（70万美元及以上）"],
            ["赎回费 N＜7日", "1.50%", "1.50%", "1.50%"],
            ["赎回费 7日≤N＜30日", "0.50%", "0.50%", "0.50%"],
            ["赎回费 30日≤N＜365日", "0.50%", "0", "0.50%"],
            ["赎回费 N≥365日", "0", "0", "0"],
            ["管理费（年）", "1.20%", "1.20%", "1.20%"],
            ["托管费（年）", "0.25%", "0.25%", "0.25%"],
            ["销售服务费（年）", "0", "0.40%", "0"],
        ],
        "说明：全球医药QDII A类含人民币A类和美元A类；美元A类以美元现汇申购，申购费按美元金额分档。本基金实行单日申购限额，详见投资者须知。",
    ),
]
DISCOUNTS = [
    "通过驼铃基金APP或官网申购A类份额的，比例申购费率享受1折优惠，例如原费率1.20%的，优惠后为0.12%。",
    "通过定投申购A类份额的，免收申购费。直销柜台申购按原费率收取。",
    "按固定金额收取的申购费（每笔1000元、每笔150美元）不享受优惠。",
    "赎回费、管理费、托管费和销售服务费不打折。",
]

INDEX_TITLE = "驼铃中证1000指数增强型证券投资基金招募说明书（更新）摘要"
INDEX_DATE = "本摘要内容截止日：2026年8月1日　公布日期：2026年8月20日"
INDEX_WARNING = (
    "本摘要摘自招募说明书，投资者欲了解详细内容，应阅读招募说明书正文。"
    "基金的过往业绩并不预示其未来表现。"
)
INDEX_BASICS: list[Row] = [
    ["项目", "内容"],
    ["基金名称", "驼铃中证1000指数增强型证券投资基金"],
    ["基金简称", "驼铃中证1000增强"],
    ["份额代码", "A类659231；C类659232"],
    ["基金类型", "股票型（指数增强）"],
    ["基金合同生效日", "2023年2月20日"],
    ["基金经理", "宁致远（自2023年2月20日起任职）"],
    ["基金托管人", "兴业银行股份有限公司"],
    ["标的指数", "中证1000指数"],
    ["业绩比较基准", "中证1000指数收益率×95%＋银行活期存款利率（税后）×5%"],
    ["风险等级", "R4（中高风险）"],
]
INDEX_STRATEGY = [
    "本基金为指数增强型基金，在跟踪中证1000指数的基础上，运用多因子量化模型进行适度的主动调整，力争获得超越标的指数的收益。",
    "本基金投资于股票的比例不低于基金资产的80%，其中投资于中证1000指数成份股及其备选成份股的比例不低于非现金基金资产的80%。",
    "本基金力争日均跟踪偏离度的绝对值不超过0.50%，年化跟踪误差不超过7.75%。",
    "本基金不是ETF，不在交易所上市交易。",
]
INDEX_SUBSCRIPTION: list[Row] = [
    ["申购金额（M）", "A类申购费率", "C类申购费率"],
    ["M＜100万元", "1.20%", "0"],
    ["100万元≤M＜300万元", "0.80%", "0"],
    ["300万元≤M＜500万元", "0.40%", "0"],
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
    ["费用类别", "年费率", "收取方"],
    ["管理费", "1.00%", "基金管理人"],
    ["托管费", "0.15%", "基金托管人"],
    ["销售服务费", "A类不收取；C类0.40%", "销售机构"],
    ["指数许可使用费", "由基金管理人承担", "—"],
]
INDEX_OTHER = [
    "申购份额于T+1日确认，赎回款于T+3日到账。A类与C类份额之间不能相互转换。",
    "本基金每年收益分配次数最多为6次，默认分红方式为现金分红。",
    "本基金的主要风险包括市场风险、小盘股波动风险、跟踪误差风险和量化模型失效风险。",
]


def build_pdf(path: Path = PDF_PATH) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer

    title, heading, body = pdf_styles(FONT, 9, 14)
    flow: list[Any] = [Paragraph(BOOK_TITLE, title)]
    flow += [Paragraph(line, body) for line in BOOK_INTRO]
    flow += [Paragraph("第一部分　产品对比", heading), Paragraph(COMPARISON_NOTE, body)]
    flow += [Spacer(1, 4), ruled_table(COMPARISON, FONT, repeatRows=1), Spacer(1, 4)]
    flow += [Paragraph(line, body) for line in COMPARISON_AFTER]
    flow += [Paragraph("第二部分　各基金费率", heading)]
    for caption, rows, note in FEES:
        table = ruled_table(rows, FONT, repeatRows=1)
        parts = [Paragraph(caption, body), Spacer(1, 3), table, Spacer(1, 3), Paragraph(note, body)]
        flow += [Spacer(1, 6), KeepTogether(parts)]
    flow += [Paragraph("第三部分　网上交易优惠", heading)]
    flow += [Paragraph(line, body) for line in DISCOUNTS]
    path.parent.mkdir(parents=True, exist_ok=True)
    SimpleDocTemplate(str(path), pagesize=A4, title=BOOK_TITLE, author=COMPANY).build(flow)


def build_index_docx(path: Path = INDEX_PATH) -> None:
    document = new_docx(INDEX_TITLE, COMPANY, dt.datetime(2026, 8, 20), DOCX_FONT, DOCX_STYLES)
    document.add_paragraph(INDEX_DATE)
    document.add_paragraph(INDEX_WARNING)
    document.add_paragraph("一、基金概况", style="Heading 1")
    docx_table(document, INDEX_BASICS)
    document.add_paragraph("二、投资策略", style="Heading 1")
    for line in INDEX_STRATEGY:
        document.add_paragraph(line)
    document.add_paragraph("三、基金费用", style="Heading 1")
    document.add_paragraph("（一）申购费率", style="Heading 2")
    docx_table(document, INDEX_SUBSCRIPTION)
    document.add_paragraph("（二）赎回费率", style="Heading 2")
    docx_table(document, INDEX_REDEMPTION)
    document.add_paragraph("（三）运作费用", style="Heading 2")
    docx_table(document, INDEX_RUNNING)
    document.add_paragraph("四、交易、分红与风险", style="Heading 1")
    for line in INDEX_OTHER:
        document.add_paragraph(line)
    save_docx(document, path, dt.date(2026, 8, 20))


BUILT = (
    (build_pdf, PDF_PATH),
    (build_index_docx, INDEX_PATH),
)


if __name__ == "__main__":
    write_all(BUILT, DOCS)
