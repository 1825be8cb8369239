"""Build the PDF and the DOCX document of the seventh (fictional) fund company, 榕湾基金.

The Markdown, text and HTML documents under `evals/kb7/docs/` are written by hand; these two are
generated so that their bytes can be rebuilt offline: the direct-channel fee schedule as a PDF
organised by fee (one long table of subscription fees, one of redemption fees, one of running
fees, every fund and share class a row; reportlab with the built-in `STSong-Light` CID font, so
no font file is needed), and the pension target-date FOF's product note as a DOCX with its glide
path, share-class and fee tables (python-docx, through `evals.docx_build`). The generated files
are committed beside the others.

    python -m evals.kb7.build_docs
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
PDF_PATH = DOCS / "费率" / "榕湾基金直销渠道费率总表_2026年10月版.pdf"
FOF_PATH = DOCS / "柜台资料" / "颐年2040_产品说明与费率.docx"
FONT = "STSong-Light"
COMPANY = "榕湾基金管理有限公司"
DOCX_FONT = "SimSun"
DOCX_STYLES = ("Normal", "Title", "Heading 1", "Heading 2")

FEE_TITLE = "榕湾基金直销渠道费率总表（2026年10月版）"
FEE_INTRO = [
    "发布日期：2026年10月10日　适用渠道：直销柜台、官网网上交易、榕湾基金APP、微信服务号",
    "本表按费用项目汇总列示榕湾基金旗下全部7只基金各类份额的原费率（未计网上直销优惠）。"
    "M为单笔申购金额，N为持有期限（自份额确认日起计算）。费率如有调整，以本公司公告为准。",
]
SUBSCRIPTION: list[Row] = [
    ["基金简称", "份额", "代码", "申购金额M", "申购费率"],
    ["添利货币", "A/B/E类", "027701/02/03", "不限", "0"],
    ["恒裕纯债", "A类", "027711", "M＜100万元", "0.80%"],
    ["恒裕纯债", "A类", "027711", "100万元≤M＜300万元", "0.40%"],
    ["恒裕纯债", "A类", "027711", "300万元≤M＜500万元", "0.20%"],
    ["恒裕纯债", "A类", "027711", "M≥500万元", "每笔1000元"],
    ["创业板指数", "A类", "027721", "M＜100万元", "1.00%"],
    ["创业板指数", "A类", "027721", "100万元≤M＜500万元", "0.60%"],
    ["创业板指数", "A类", "027721", "M≥500万元", "每笔1000元"],
    ["湾区精选", "A类", "027731", "M＜100万元", "1.50%"],
    ["湾区精选", "A类", "027731", "100万元≤M＜300万元", "1.00%"],
    ["湾区精选", "A类", "027731", "300万元≤M＜500万元", "0.50%"],
    ["湾区精选", "A类", "027731", "M≥500万元", "每笔1000元"],
    ["稳盈一年持有", "A类", "027741", "M＜100万元", "1.00%"],
    ["稳盈一年持有", "A类", "027741", "100万元≤M＜500万元", "0.60%"],
    ["稳盈一年持有", "A类", "027741", "M≥500万元", "每笔1000元"],
    ["颐年2040", "A类", "027751", "M＜100万元", "1.00%"],
    ["颐年2040", "A类", "027751", "100万元≤M＜500万元", "0.60%"],
    ["颐年2040", "A类", "027751", "M≥500万元", "每笔1000元"],
    ["颐年2040", "Y类", "027752", "不限", "0"],
    ["亚太精选QDII", "人民币A", "027761", "M＜100万元", "1.20%"],
    ["亚太精选QDII", "人民币A", "027761", "100万元≤M＜500万元", "0.80%"],
    ["亚太精选QDII", "人民币A", "027761", "M≥500万元", "每笔1000元"],
    ["亚太精选QDII", "美元A", "027763", "M＜14万美元", "1.20%"],
    ["亚太精选QDII", "美元A", "027763", "14万美元≤M＜70万美元", "0.80%"],
    ["亚太精选QDII", "美元A", "027763", "M≥70万美元", "每笔140美元"],
    ["各基金C类", "C类", "—", "不限", "0"],
]
REDEMPTION: list[Row] = [
    ["基金简称", "份额", "持有期限N", "赎回费率"],
    ["添利货币", "A/B/E类", "不限", "0"],
    ["恒裕纯债", "A类", "N＜7日", "1.50%"],
    ["恒裕纯债", "A类", "7日≤N＜365日", "0.10%"],
    ["恒裕纯债", "A类", "N≥365日", "0"],
    ["恒裕纯债", "C类", "N＜7日", "1.50%"],
    ["恒裕纯债", "C类", "7日≤N＜30日", "0.10%"],
    ["恒裕纯债", "C类", "N≥30日", "0"],
    ["创业板指数", "A类", "N＜7日", "1.50%"],
    ["创业板指数", "A类", "7日≤N＜365日", "0.50%"],
    ["创业板指数", "A类", "365日≤N＜730日", "0.25%"],
    ["创业板指数", "A类", "N≥730日", "0"],
    ["创业板指数", "C类", "N＜7日", "1.50%"],
    ["创业板指数", "C类", "7日≤N＜30日", "0.50%"],
    ["创业板指数", "C类", "N≥30日", "0"],
    ["湾区精选", "A类", "N＜7日", "1.50%"],
    ["湾区精选", "A类", "7日≤N＜30日", "0.75%"],
    ["湾区精选", "A类", "30日≤N＜365日", "0.50%"],
    ["湾区精选", "A类", "365日≤N＜730日", "0.25%"],
    ["湾区精选", "A类", "N≥730日", "0"],
    ["湾区精选", "C类", "N＜7日", "1.50%"],
    ["湾区精选", "C类", "7日≤N＜30日", "0.50%"],
    ["湾区精选", "C类", "N≥30日", "0"],
    ["稳盈一年持有", "A类、C类", "持有满一年后", "0"],
    ["颐年2040", "A类、Y类", "持有满三年后", "0"],
    ["亚太精选QDII", "人民币A、美元A", "N＜7日", "1.50%"],
    ["亚太精选QDII", "人民币A、美元A", "7日≤N＜365日", "0.50%"],
    ["亚太精选QDII", "人民币A、美元A", "365日≤N＜730日", "0.25%"],
    ["亚太精选QDII", "人民币A、美元A", "N≥730日", "0"],
    ["亚太精选QDII", "人民币C、美元C", "N＜7日", "1.50%"],
    ["亚太精选QDII", "人民币C、美元C", "7日≤N＜30日", "0.50%"],
    ["亚太精选QDII", "人民币C、美元C", "N≥30日", "0"],
]
RUNNING: list[Row] = [
    ["基金简称", "份额", "管理费", "托管费", "销售服务费"],
    ["添利货币", "A类", "0.18%", "0.05%", "0.25%"],
    ["添利货币", "B类", "0.18%", "0.05%", "0.01%"],
    ["添利货币", "E类", "0.18%", "0.05%", "0.10%"],
    ["恒裕纯债", "A类/C类", "0.30%", "0.08%", "0/0.35%"],
    ["创业板指数", "A类/C类", "0.50%", "0.10%", "0/0.30%"],
    ["湾区精选", "A类/C类", "1.20%", "0.20%", "0/0.50%"],
    ["稳盈一年持有", "A类/C类", "0.80%", "0.15%", "0/0.40%"],
    ["颐年2040", "A类", "0.80%", "0.20%", "0"],
    ["颐年2040", "Y类", "0.40%", "0.10%", "0"],
    ["亚太精选QDII", "A类（人民币、美元）", "1.60%", "0.30%", "0"],
    ["亚太精选QDII", "C类（人民币、美元）", "1.60%", "0.30%", "0.60%"],
]
FEE_DISCOUNTS = [
    "通过官网网上交易、榕湾基金APP或微信服务号申购各基金A类份额，申购费率享受4折优惠，"
    "但优惠后费率不低于0.60%；原费率等于或低于0.60%的，按原费率执行。",
    "例：湾区精选A类原费率1.50%，网上直销4折后为0.60%；恒裕纯债A类原费率0.80%，4折后为0.32%，"
    "低于0.60%，故按0.60%执行。",
    "通过网上直销定期定额投资申购A类份额，申购费率享受1折优惠，不设最低费率。"
    "直销柜台申购按原费率收取。按固定金额收取的申购费（每笔1000元、每笔140美元）不打折。",
]
FEE_NOTES = [
    "1. 赎回费中对持有不满7日的份额收取的1.50%赎回费全额计入基金财产。",
    "2. 管理费、托管费、销售服务费按前一日基金资产净值的年费率每日计提，从基金资产中支付。",
    "3. 基金转换费用=转出基金赎回费+申购费补差，补差按转入基金与转出基金的申购费差额计算。",
]

FOF_TITLE = "榕湾颐年养老目标日期2040三年持有期混合型发起式基金中基金（FOF）产品说明与费率"
FOF_BASICS: list[Row] = [
    ["项目", "内容"],
    ["基金简称", "榕湾颐年2040"],
    ["基金代码", "A类027751，Y类027752"],
    ["基金合同生效日", "2022年11月28日"],
    ["目标日期", "2040年12月31日"],
    ["基金经理", "方静雯"],
    ["基金托管人", "中国工商银行股份有限公司"],
    ["最短持有期", "每份基金份额三年"],
    ["2026年度业绩比较基准", "中证800指数收益率×55%+中债新综合指数收益率×45%"],
    ["风险等级", "R3（中风险）"],
]
FOF_GLIDE: list[Row] = [
    ["年度", "权益类资产配置比例中枢", "权益类资产配置比例区间"],
    ["2026年", "55%", "40%-65%"],
    ["2030年", "45%", "30%-55%"],
    ["2035年", "35%", "20%-45%"],
    ["2040年", "25%", "10%-35%"],
]
FOF_CLASSES: list[Row] = [
    ["份额类别", "代码", "购买方式", "首次/追加最低申购", "可否定投", "可否转换"],
    ["A类", "027751", "基金账户，银行卡付款", "10元 / 10元", "可以", "持有期满后可以转出"],
    ["Y类", "027752", "个人养老金资金账户", "1元 / 1元", "不可以", "不可以"],
]
FOF_SUBSCRIPTION: list[Row] = [
    ["申购金额（M）", "A类申购费率", "Y类申购费率"],
    ["M＜100万元", "1.00%", "0"],
    ["100万元≤M＜500万元", "0.60%", "0"],
    ["M≥500万元", "每笔1000元", "0"],
]
FOF_RUNNING: list[Row] = [
    ["费用项目", "A类（年费率）", "Y类（年费率）"],
    ["管理费", "0.80%", "0.40%"],
    ["托管费", "0.20%", "0.10%"],
    ["销售服务费", "0", "0"],
    ["赎回费", "持有满三年后赎回，0", "持有满三年后赎回，0"],
]
FOF_FEE_NOTES = [
    "本基金投资于本基金管理人管理的其他基金的部分不收取管理费；投资于本基金托管人托管的其他基金的部分不收取托管费。",
    "本基金投资于其他基金时，被投资基金的申购费、赎回费和运作费用由本基金承担。",
]
FOF_TRADING = [
    "交易日15:00前提交的申请，T+2日确认份额；赎回款于T+8日（交易日）内到账。",
    "每一笔申购的份额单独计算三年最短持有期，到期日起方可赎回；持有期内不能赎回，也不能转换转出。",
    "Y类份额持有满三年后可以赎回，赎回款划回个人养老金资金账户，不能直接转入个人银行卡；"
    "从个人养老金资金账户领取资金须符合个人养老金的领取条件。",
    "目标日期2040年12月31日之后，本基金转为每日开放申购赎回，不再设置最短持有期，"
    "并更名为榕湾颐年稳健养老目标混合型基金中基金（FOF）。",
]
FOF_RISKS = [
    "养老目标基金不保本，不代表收益保证或其他任何形式的收益承诺。本基金名称中的“2040”是目标日期，"
    "不代表2040年可以获得确定的收益。投资者应关注最短持有期带来的流动性风险。"
]


def build_pdf(path: Path = PDF_PATH) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    title, heading, body = pdf_styles(FONT, 9, 14)
    flow: list[Any] = [Paragraph(FEE_TITLE, title)]
    flow += [Paragraph(line, body) for line in FEE_INTRO]
    for name, rows in (
        ("表一　申购费率（前端收费）", SUBSCRIPTION),
        ("表二　赎回费率", REDEMPTION),
        ("表三　运作费率（年费率）", RUNNING),
    ):
        flow += [Paragraph(name, heading), Spacer(1, 4)]
        flow += [ruled_table(rows, FONT, repeatRows=1), Spacer(1, 6)]
    flow += [Paragraph("四、网上直销申购费率优惠", heading)]
    flow += [Paragraph(line, body) for line in FEE_DISCOUNTS]
    flow += [Paragraph("五、说明", heading)]
    flow += [Paragraph(line, body) for line in FEE_NOTES]
    path.parent.mkdir(parents=True, exist_ok=True)
    SimpleDocTemplate(str(path), pagesize=A4, title=FEE_TITLE, author=COMPANY).build(flow)


def build_fof_docx(path: Path = FOF_PATH) -> None:
    document = new_docx(FOF_TITLE, COMPANY, dt.datetime(2026, 9, 15), DOCX_FONT, DOCX_STYLES)
    document.add_paragraph("版本日期：2026年9月15日　供直销柜台及客服人员使用")
    document.add_paragraph("一、基本信息", style="Heading 1")
    docx_table(document, FOF_BASICS)
    document.add_paragraph("二、下滑曲线（权益类资产配置比例）", style="Heading 1")
    document.add_paragraph(
        "本基金随目标日期临近逐步降低权益类资产（股票、股票型基金和偏股混合型基金）的配置比例，"
        "下表为部分年度的配置比例中枢和区间。"
    )
    docx_table(document, FOF_GLIDE)
    document.add_paragraph("三、份额类别", style="Heading 1")
    docx_table(document, FOF_CLASSES)
    document.add_paragraph("四、费用", style="Heading 1")
    document.add_paragraph("（一）申购费", style="Heading 2")
    docx_table(document, FOF_SUBSCRIPTION)
    document.add_paragraph("（二）运作费用和赎回费", style="Heading 2")
    docx_table(document, FOF_RUNNING)
    for line in FOF_FEE_NOTES:
        document.add_paragraph(line)
    document.add_paragraph("五、交易安排", style="Heading 1")
    for line in FOF_TRADING:
        document.add_paragraph(line)
    document.add_paragraph("六、风险提示", style="Heading 1")
    for line in FOF_RISKS:
        document.add_paragraph(line)
    save_docx(document, path, dt.date(2026, 9, 15))


BUILT = (
    (build_pdf, PDF_PATH),
    (build_fof_docx, FOF_PATH),
)


if __name__ == "__main__":
    write_all(BUILT, DOCS)
