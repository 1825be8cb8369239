"""Build evals/datasets/pii.jsonl: labelled client chat messages for the PII masker.

Each text is assembled from parts and every entity offset is computed here, never typed by hand.
Identity-card and bank-card numbers are generated with valid checksums (GB 11643-1999 check digit
and a real birth date; Luhn); decoys are generated so that they FAIL those checks. The script
asserts text[start:end] == value for every entity and that no un-labelled span of a text looks
like a valid ID card, bank card, mobile number or e-mail address.

Labelling conventions (keep in sync with the masker):
- PERSON covers the client's or a relative's name incl. an attached title (张先生, 陈经理, Mr. Wang);
  company staff and the fund manager (刘思远 / Liu Siyuan) are public roles, not client PII.
- PHONE_NUMBER includes the country code and area-code brackets ("+86 138 1234 5678",
  "(0755)8888 6666"), excludes an extension ("转 8021"). The company's own numbers
  (400-883-8088, +86-755-2694-8088), 12378 and bank 95-numbers are not PII.
- Masked or partial numbers (138****5678, 尾号5678) are not entities: nothing left to mask.
- ADDRESS needs at least a street/road and a number; bare cities/districts, bank branch names and
  the company's published address (深南大道9966号) are not entities.
- The company's mailboxes (service@ / privacy@rtfund.com) are not client PII.

Run: .venv/bin/python evals/datasets/build_pii.py
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

OUT = Path(__file__).with_name("pii.jsonl")
rng = random.Random(20261120)
_used: set[str] = set()

TYPES = (
    "CN_ID_CARD",
    "PHONE_NUMBER",
    "BANK_CARD",
    "EMAIL_ADDRESS",
    "PERSON",
    "ADDRESS",
    "PASSPORT",
    "HK_MACAU_PERMIT",
)


@dataclass(frozen=True)
class Ent:
    type: str
    value: str


@dataclass(frozen=True)
class Decoy:
    """Plain text that looks like PII but is not; adds a tag to its row."""

    value: str
    tag: str


# ---------------------------------------------------------------- checksums


ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
AREAS = (
    "110105", "110108", "310115", "310104", "440305", "440304", "330106", "330108",
    "510107", "420111", "320106", "440106", "370202", "610113", "350203", "430104",
    "500103", "120101", "210102", "230102", "340104", "410105", "320583", "441900",
)  # fmt: skip


def id_check(s17: str) -> str:
    return ID_CHECK[sum(int(c) * w for c, w in zip(s17, ID_WEIGHTS, strict=True)) % 11]


def is_valid_id(s: str) -> bool:
    s = s.replace(" ", "").upper()
    if not re.fullmatch(r"\d{17}[\dX]", s):
        return False
    try:
        born = date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= date(2026, 11, 20) and id_check(s[:17]) == s[17]


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def luhn_digit(partial: str) -> str:
    return next(d for d in "0123456789" if luhn_ok(partial + d))


def _unique(make: Callable[[], str]) -> str:
    while True:
        v = make()
        if v not in _used:
            _used.add(v)
            return v


# ---------------------------------------------------------------- generators


def _birth() -> str:
    d = date(1950, 1, 1) + timedelta(
        days=rng.randrange((date(2005, 12, 31) - date(1950, 1, 1)).days)
    )
    return d.strftime("%Y%m%d")


def _raw_id(check: str | None = None) -> str:
    def make() -> str:
        while True:
            s17 = rng.choice(AREAS) + _birth() + f"{rng.randrange(1000):03d}"
            c = id_check(s17)
            if check is None or c == check:
                return s17 + c

    return _unique(make)


def ID_(x: bool = False, lower: bool = False, spaced: bool = False) -> Ent:
    """A valid 18-character resident ID. x: check digit X; spaced: 6-8-4 groups."""
    v = _raw_id("X" if x else None)
    if lower:
        v = v.lower()
    if spaced:
        v = f"{v[:6]} {v[6:14]} {v[14:]}"
    assert is_valid_id(v)
    return Ent("CN_ID_CARD", v)


def BADID() -> Decoy:
    """A well-formed ID whose check digit is wrong."""
    v = _raw_id()
    wrong = rng.choice([c for c in "0123456789X" if c != v[-1]])
    v = v[:-1] + wrong
    assert not is_valid_id(v)
    return Decoy(v, "checksum_fail")


def BADDATE(ymd: str) -> Decoy:
    """An ID with an impossible birth date but a 'correct' check digit."""
    s17 = rng.choice(AREAS) + ymd + f"{rng.randrange(1000):03d}"
    v = s17 + id_check(s17)
    assert not is_valid_id(v)
    return Decoy(v, "invalid_date")


BINS = {
    "icbc": ("622202", 19),
    "ccb": ("621700", 19),
    "abc": ("622848", 19),
    "boc": ("621661", 19),
    "comm": ("622262", 19),
    "psbc": ("621799", 19),
    "upi": ("623668", 19),
    "cmb": ("622588", 16),
    "cmbd": ("621483", 16),
    "pab": ("622298", 16),
    "citic": ("622690", 16),
    "spdb": ("622521", 16),
    "visa": ("436742", 16),
    "cib17": ("622908", 17),
}


def _group4(v: str) -> str:
    return " ".join(v[i : i + 4] for i in range(0, len(v), 4))


def _raw_card(bank: str) -> str:
    prefix, n = BINS[bank]

    def make() -> str:
        body = prefix + "".join(rng.choice("0123456789") for _ in range(n - len(prefix) - 1))
        return body + luhn_digit(body)

    return _unique(make)


def CARD(bank: str, spaced: bool = False) -> Ent:
    v = _raw_card(bank)
    assert luhn_ok(v) and 16 <= len(v) <= 19
    return Ent("BANK_CARD", _group4(v) if spaced else v)


def BADCARD(bank: str, spaced: bool = False) -> Decoy:
    v = _raw_card(bank)
    v = v[:-1] + str((int(v[-1]) + rng.randrange(1, 10)) % 10)
    assert not luhn_ok(v)
    return Decoy(_group4(v) if spaced else v, "checksum_fail")


MOBILE_PREFIXES = (
    "138", "139", "135", "136", "150", "152", "158", "159", "186", "188", "187", "177",
    "181", "189", "133", "199", "166", "131", "132", "157", "173", "198", "185", "182",
)  # fmt: skip


def MOB(fmt: str = "plain") -> Ent:
    """plain 13812345678 | dash 138-1234-5678 | space 138 1234 5678 | +86s | +86 | +86dash."""

    def make() -> str:
        return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"

    v = _unique(make)
    a, b, c = v[:3], v[3:7], v[7:]
    out = {
        "plain": v,
        "dash": f"{a}-{b}-{c}",
        "space": f"{a} {b} {c}",
        "+86s": f"+86 {a} {b} {c}",
        "+86": f"+86{v}",
        "+86dash": f"+86-{a}-{b}-{c}",
    }[fmt]
    return Ent("PHONE_NUMBER", out)


def TEL(area: str, fmt: str = "dash") -> Ent:
    """Landline: dash 010-62345678 | paren (0755)8888 6666 | space 021 5888 1234."""

    def make() -> str:
        return str(rng.randint(2, 8)) + f"{rng.randrange(10**7):07d}"

    v = _unique(make)
    out = {
        "dash": f"{area}-{v}",
        "paren": f"({area}){v[:4]} {v[4:]}",
        "space": f"{area} {v[:4]} {v[4:]}",
    }[fmt]
    return Ent("PHONE_NUMBER", out)


def PASS(kind: str = "E") -> Ent:
    """Chinese passport: E + 8 digits, E + letter + 7 digits (EA…), old G + 8 digits."""

    def make() -> str:
        if kind == "EA":
            return "E" + rng.choice("ABCDEFG") + f"{rng.randrange(10**7):07d}"
        return kind + f"{rng.randrange(10**8):08d}"

    return Ent("PASSPORT", _unique(make))


def HKM(kind: str = "C") -> Ent:
    """往来港澳通行证 C + 8 digits; 回乡证 H/M + 8 digits (old version H + 10 digits)."""

    def make() -> str:
        if kind == "H10":
            return "H" + f"{rng.randrange(10**10):010d}"
        return kind + f"{rng.randrange(10**8):08d}"

    return Ent("HK_MACAU_PERMIT", _unique(make))


def ORDER(n: int, prefix: str = "2026112") -> Decoy:
    """An order / transaction number: fails Luhn, is not a valid ID, is not mobile-like."""

    def make() -> str:
        while True:
            v = prefix + "".join(rng.choice("0123456789") for _ in range(n - len(prefix)))
            if not luhn_ok(v) and not is_valid_id(v):
                return v

    return Decoy(_unique(make), "order_number")


def NAME(v: str) -> Ent:
    return Ent("PERSON", v)


def MAIL(v: str) -> Ent:
    return Ent("EMAIL_ADDRESS", v)


def ADDR(v: str) -> Ent:
    return Ent("ADDRESS", v)


# ---------------------------------------------------------------- rows

ROWS: list[tuple[str, tuple, tuple[str, ...]]] = []


def zh(*parts, tags: tuple[str, ...] = ()) -> None:
    ROWS.append(("zh", parts, tags))


def en(*parts, tags: tuple[str, ...] = ()) -> None:
    ROWS.append(("en", parts, tags))


HN = ("hard_negative",)
HD = ("hard_negative", "decoy")

# --- Chinese, with entities
zh("你好 我叫", NAME("王小明"), " 身份证", ID_(), " 开户一直显示审核中 咋回事啊")
zh("姓名：", NAME("李娜"), "\n身份证号：", ID_(), "\n手机：", MOB(), "\n风险测评为啥显示过期了")
zh("手机号换了 新号", MOB(), " 老号停机了收不到验证码 咋办")
zh("赎会的钱还没到 卡号", CARD("ccb"), " 建行的 帮我查查", tags=("typo",))
zh("邮箱", MAIL("zhangsan@163.com"), "谢谢 对账单发这个就行")
zh("寄到", ADDR("北京市朝阳区建国路88号SOHO现代城2号楼1203室"), " 收件人", NAME("张伟"),
   " 电话", MOB())  # fmt: skip
zh("我是香港居民 回乡证", HKM("H"), " 能在app上开户吗")
zh("往来港澳通行证", HKM("C"), "能不能当证件用 身份证丢了在补办")
zh("护照号", PASS("E"), " 人在国外 身份证过期了 能用护照改资料吗")
zh("帮我爸问的 他叫", NAME("刘建华"), " 手机", MOB("dash"), " 麻烦回个电话给他")
zh("绑的卡", CARD("icbc", spaced=True), " 工行的 换卡要多久啊")
zh("身分证", ID_(x=True), " 人脸识别一直失败 第五次了", tags=("typo",))
zh("我的卡号是", CARD("cmb"), "招行 申够一直提示支付失败", tags=("typo",))
zh("麻烦发到我邮箱", MAIL("li_na1988@qq.com"), " 或者", MAIL("lina.work@126.com"), "也行")
zh("地址改成", ADDR("杭州市西湖区文三路90号东部软件园3号楼502"), " 邮编310012")
zh("我是", NAME("张先生"), " 上午打过电话的 电话", MOB("space"), " 说好给我回电的呢")
zh("座机", TEL("010"), " 白天打这个 手机", MOB(), " 晚上")
zh("公司电话", TEL("0755", "paren"), "，找", NAME("陈经理"), "就行")
zh("手机好", MOB(), " 换号了 app里咋改", tags=("typo",))
zh("身份证号码", ID_(), " 姓名", NAME("孙丽华"), " 我妈的账户 她不会用手机 我帮她问下销户")
zh("卡", CARD("abc"), "已经注销了 新卡", CARD("boc"), " 咋换绑")
zh("通讯地址：", ADDR("上海市浦东新区张杨路500号时代广场12楼"), " 纸质对账单寄这里")
zh("我老婆", NAME("吴婷婷"), "也想开户 她手机", MOB("+86s"), " 要用她自己身份证吧")
zh("身份证", ID_(spaced=True), " 提示已被注册 我没注册过啊")
zh("回乡证号码", HKM("M"), " 澳门的 开户要审几天")
zh("护照", PASS("EA"), " 姓名", NAME("黄文博"), " 海外华人能买300增强吗")
zh("邮箱地址写错了 应该是", MAIL("wangxm_2020@sina.com"), "不是sina.cn的")
zh("帮我把分红方式改成红利再投 账户名", NAME("赵磊"), " 身份证", ID_())
zh("我住", ADDR("成都市武侯区天府大道北段1700号环球中心W6区1栋"), " 附近有你们网点吗")
zh("卡 ", CARD("abc", spaced=True), " 农行 定投扣款失败三次了")
zh("验证码收不到 手机", MOB("dash"), " 移动的")
zh("你好我是", NAME("马晓燕"), "，身份证", ID_(), "，手机", MOB(), "，卡", CARD("icbc"),
   "，想改交易密码")  # fmt: skip
zh(
    "联系人",
    NAME("郭建国"),
    " 电话",
    TEL("0571"),
    " 地址",
    ADDR("杭州市滨江区江南大道3850号创新大厦1808室"),
)
zh("材料发你们邮箱了 回复请发", MAIL("GuoJG@outlook.com"))
zh("身份证号", ID_(), "，之前用的手机是", MOB(), "，这个号停用了，新号", MOB())
zh("我叫", NAME("何敏"), "快速赎回额度为啥只有1万")
zh("招行卡", CARD("cmbd", spaced=True), " 解绑不了 说有在途交易")
zh("帮我查下 卡尾号不记得了 全号是", CARD("ccb"))
zh("寄件地址", ADDR("广州市天河区天河路385号太古汇一座2301"), " 电话", TEL("020"))
zh("姓名 ", NAME("罗佳怡"), " 身份证 ", ID_(), " 邮箱 ", MAIL("luojiayi@foxmail.com"))
zh("我妈叫", NAME("徐桂英"), " 身份证", ID_(), " 人走了 她的基金份额怎么继承")
zh("新卡号", CARD("pab"), "平安的 一类卡 能绑吗")
zh("手机", MOB("+86"), "收不到语音验证码")
zh("你们短信发到", MOB(), "了吗 一条没收到")
zh("我的qq邮箱", MAIL("3058812276@qq.com"), "收不到对账单")
zh("地址：", ADDR("南京市鼓楼区中山北路105号3单元502"), " 身份证上还是老地址 要改吗")
zh("邮箱是", MAIL("chen.jing@huaxin-tech.com.cn"), "，姓名", NAME("陈静"))
zh("我叫", NAME("梁海涛"), " 手机号", MOB(), " 上周提交的换手机号审核还没过")
zh("身份证", ID_(x=True, lower=True), " 最后一位小写x可以吗 一直提示格式不对")
zh("地址", ADDR("武汉市洪山区珞喻路1037号华中科技大学东区12栋301"), "收件人", NAME("宋雨桐"))
zh("我的通行证", HKM("C"), "过期了 要不要重新传")
zh("转账用的卡", CARD("citic"), " 中信的 支持吗")
zh("公司座机", TEL("0755", "paren"), " 转8021 找我")
zh("护照号码", PASS("G"), " 旧护照 新护照是", PASS("E"), " 要更新吗")
zh("回乡证", HKM("H10"), " 老版本10位的 行不行")
zh("卡号", CARD("upi", spaced=True), " 银联的 绑卡提示不支持")
zh(NAME("谢宇航"), " ", MOB(), " ", ID_(), " 开户")
zh("给我打电话", MOB("space"), " 下午3点以后")
zh("身份证上地址", ADDR("西安市雁塔区科技路48号创业广场B座1506"), " 现住址不一样 填哪个")
zh("我叫", NAME("郑凯"), "，你们客服小王说帮我加急的 到现在没消息", tags=("decoy",))
zh("卡号", CARD("comm"), "交行 定投每月8号扣", tags=("decoy",))
zh("邮箱", MAIL("yangfan_88@139.com"), "手机", MOB(), "都可以联系我")
zh("帐户名", NAME("林晓峰"), " 卡", CARD("psbc"), " 邮储的 赎回到这张卡吗", tags=("typo",))
zh("身份证", ID_(), " 姓名", NAME("钱丽"), " 风险测评做了3次了 今天还能做吗", tags=("decoy",))
zh("老家地址", ADDR("湖南省长沙市岳麓区麓山南路932号"), " 户籍地址要填这个吗")
zh("身份证号是", ID_(x=True), "我要销户")
zh("座机 ", TEL("021", "space"), " 手机 ", MOB("dash"))
zh("卡号是", CARD("spdb"), "，浦发的，快速申购用不了")
zh("我叫", NAME("唐志远"), "身份证", ID_(), "手机", MOB(), "邮箱", MAIL("tangzy@163.com"),
   "麻烦登记一下", tags=("glued",))  # fmt: skip
zh("帮我老公问 ", NAME("韩冬"), " 他的卡", CARD("icbc"), " 工行 换卡审核通过没")
zh("护照", PASS("E"), "，我是中国籍住在日本", tags=("glued",))
zh("港澳通行证号", HKM("C"), " 在深圳工作 香港人 能开户吗")
zh("新地址", ADDR("苏州市工业园区星湖街328号创意产业园10栋"), " 旧地址作废")
zh("我是你们老客户", NAME("刘洋"), " 上次说好回电一直没回 电话", MOB("dash"))
zh("我身份证", ID_(), "，银行卡", CARD("ccb"), "，手机", MOB(), "，开户第二步就卡住了")
zh("证件号", ID_(), " 销户以后资料还保存不")
zh("身份证号码：", ID_(), "\n银行卡号：", CARD("comm", spaced=True), "\n麻烦帮忙绑卡")
zh("我叫", NAME("曹雪梅"), "，身份怔", ID_(spaced=True), "，换了新身份证号码不变吧", tags=("typo",))

# --- English / mixed, with entities
en("hi my name is ", NAME("David Chen"), ", cant login, phone ", MOB("+86s"))
en("pls send the statement to ", MAIL("david.chen@gmail.com"), " thx")
en("My ID number is ", ID_(x=True), ", why is my account locked??")
en("card no ", CARD("icbc", spaced=True), " cant unbind it, says pending trade")
en("mailing address: ", ADDR("Room 1203, Building 2, 88 Jianguo Road, Chaoyang District, Beijing"),
   " pls update")  # fmt: skip
en("passport no. ", PASS("E"), " - can i open an account w/ passport? chinese living in Singapore")
en("this is ", NAME("Emily Wang"), ", my mobile changed to ", MOB("dash"))
en("HK resident here, Home Return Permit ", HKM("H"), ", how long is manual review")
en("email: ", MAIL("kevin.zhang+funds@outlook.com"), "\nphone: ", MOB())
en("Name: ", NAME("Zhang Wei"), " / ID: ", ID_(), " / card: ", CARD("ccb"))
en("redemption still not in my acct, card ", CARD("cmb"), " CMB")
en("call me at ", TEL("021"), " office hrs only")
en("my address is ", ADDR("Flat 5B, 23 Nathan Road, Tsim Sha Tsui, Kowloon, Hong Kong"),
   " , do u mail paper statements overseas?")  # fmt: skip
en("I'm ", NAME("Jason Liu"), ", forgot trade pwd, registered phone ", MOB())
en("my wife ", NAME("Li Wei"), " wants an acct too, her email ", MAIL("liwei_sh@163.com"))
en("Exit-Entry Permit to HK and Macau ", HKM("C"), " ok for KYC?")
en("new card ", CARD("boc"), " old card closed. how to switch")
en(
    "hi 我叫",
    NAME("Tony Huang"),
    " my 手机 is ",
    MOB(),
    " 帮忙reset下密码",
    tags=("mixed_language",),
)
zh("邮箱改成", MAIL("amy.lin@hotmail.com"), " pls, old one不用了", tags=("mixed_language",))
en("ID ", ID_(), " name ", NAME("Chen Jing"), " - need to redo risk assessment?")
en("pls ship the docs to ", ADDR("Apt 4B, 1288 Robson Street, Vancouver, BC V6E 1C1, Canada"))
en("passport ", PASS("EA"), " and phone ", MOB("+86s"), ", i live in london now")
en("contact: ", NAME("Michael Zhou"), " ", MAIL("m.zhou@yahoo.com"), " ", MOB("+86"))
en("hi, ", NAME("Mr. Wang"), " here. card ", CARD("abc", spaced=True), " failed SIP 3 times")
en("Macau permit ", HKM("M"), " - can I buy the QDII fund?")
en("my id card ", ID_(spaced=True), " shows already registered???")
en("landline ", TEL("0755", "paren"), " or email ", MAIL("sz_helen@126.com"))
en("send it to ", MAIL("zhao.lei@rt-family.cn"), " pls")
zh("我的card number是", CARD("upi"), " 为啥绑不上", tags=("mixed_language",))
zh("address改成", ADDR("深圳市福田区福华三路88号财富大厦21A"), " thanks", tags=("mixed_language",))
en("u can reach me on ", MOB("+86dash"), " or whatsapp same number")
en("Account holder: ", NAME("Sophia Lin"), ", ID ", ID_(), ", card ", CARD("visa"))
en("my dad ", NAME("Liu Guoqiang"), " cant use the app, his phone is ", MOB("space"))
en("old passport ", PASS("G"), " expired, new one ", PASS("E"))
en("Home Return Permit ", HKM("H10"), " (old 10-digit one) still valid?")
en("update address to ", ADDR("18 Orchard Road, #12-03, Singapore 238833"), " thx")
en("mobile ", MOB(), " email ", MAIL("jiang.yue@qq.com"), " pls update both")
en("hey its ", NAME("Kelly Sun"), ". redeemed last wk, card ", CARD("cib17"), " nothing yet")
en("ID no. ", ID_(x=True), " risk assessment expired, need to redo?")
en("hi, id ", ID_(), " passport ", PASS("E"), " which one do i use to verify")
zh("ID card ", ID_(), " 开户的时候人脸过不了 pls help", tags=("mixed_language",))
zh("my email ", MAIL("Frank.Xu@live.cn"), "，statement收不到", tags=("mixed_language",))

# --- hard negatives: no entity at all
zh("领先成长C 016802 现在净值多少 2.3120对吗", tags=HN)
zh("订单号", ORDER(20), " 赎回到哪了", tags=HN)
zh("验证码482913一直提示错误 是不是过期了", tags=HN)
zh("400-883-8088打不通啊 一直占线", tags=HN)
zh("12378是证监会的电话吗", tags=HN)
zh("工行95588说钱已经打过来了 你们这边还显示在途", tags=HN)
zh("我在上海 有线下网点可以去吗", tags=HN)
zh("刘思远管的基金怎么样 最近回撤挺大的", tags=HN)
zh("身份证号", BADDATE("19900230"), " 提示格式不对 咋回事", tags=HN)
zh("我输的", BADID(), " 系统说证件号校验不通过", tags=HN)
zh("卡号", BADCARD("icbc"), " 提示卡号有误", tags=HN)
zh("5万买领先成长A 申购费是1.50%吗 扣多少", tags=HN)
zh("2026年11月20日15:00之前提交的 算哪天净值", tags=HN)
zh("我是新手 A类C类有啥区别", tags=HN)
zh("转了1,000,000.00 大额有限制吗", tags=HN)
zh("流水号RT", ORDER(18, "20261120"), " 撤单了没", tags=HN)
zh("纯债002001 持有不到7天赎回费1.50%?", tags=HN)
zh("易支付货币7日年化1.52% 每万份收益0.4102 啥意思", tags=HN)
zh(
    "你们公司地址是深圳市南山区深南大道9966号威盛科技大厦吧 我寄材料过去",
    tags=(*HN, "company_info"),
)
zh("材料发service@rtfund.com可以吗", tags=(*HN, "company_info"))
zh("在国外打+86-755-2694-8088 是你们的号吗", tags=(*HN, "company_info"))
zh("手机尾号5678那个号已经停用了", tags=(*HN, "partial"))
zh("卡尾号7788的那张 帮我解绑", tags=(*HN, "partial"))
zh("138****5678是我以前的号 不用了", tags=(*HN, "partial"))
zh("10000元买纯债A 净值1.0862 能买多少份", tags=HN)
zh("我C4 能买R5的全球科技吗", tags=HN)
zh("QDII赎回T+10 是10个工作日吗", tags=HN)
zh("交易密码连错5次锁24小时 现在还剩多久", tags=HN)
zh("app 6.8.2 还是闪退 安卓8.0的", tags=HN)
zh("人工是工作日8:30-21:00 周末9:00-17:00对吧", tags=HN)
zh("基金经理刘思远是不是换人了", tags=HN)
zh("招商银行深圳分行能办吗", tags=HN)
zh("我在杭州 西湖边上 离你们远吗", tags=HN)
zh("付款的时候报错误码E10086 啥问题", tags=HN)
zh("H5页面打不开 一直转圈", tags=HN)
zh("定投每月8号扣 赶上周六顺延到周一?", tags=HN)
zh("2026-11-20 买的 2026-11-27 赎回 算满7天吗", tags=HN)
zh("风险测评每天最多3次?? 我做了三次了", tags=HN)
zh("300增强跟踪误差目标7.75% 算大吗", tags=HN)
zh("全球科技A 006300 跟 C 006301 费率对比下", tags=HN)
zh("沪深300增强A 161607 持有365天以上赎回费是0吗", tags=HN)
zh("身份证最后一位是X 输入的时候选哪个键盘", tags=HN)
zh("银行卡号不是16位吗 我的是19位的正常吗", tags=HN)
zh("订单", ORDER(17), " 撤单失败 过了15:00吗", tags=HN)
zh("验证码 739105 要发给客服吗", tags=HN)
zh("95533建行客服说你们没扣款", tags=HN)
zh("我生在北京 长在上海 现在在深圳上班 开户有地域限制吗", tags=HN)
zh("领先成长业绩基准是沪深300×60%+中债×40%对吧", tags=HN)
zh("身份证", BADDATE("19851332"), "输了好几遍都说不对", tags=HN)
zh("卡号", BADCARD("cmb", spaced=True), " 绑不上", tags=HN)
zh("申购3000块 确认份额1281.23份 对不对", tags=HN)
zh("发邮件给privacy@rtfund.com多久回复", tags=(*HN, "company_info"))
zh("我在深圳南山 你们公司是不是也在南山", tags=HN)
zh("100万以上申购费率变成1.00%?", tags=HN)
zh("官网www.rtfund.com打不开", tags=(*HN, "company_info"))
zh("卡号", BADCARD("upi"), " 是不是输错了", tags=HN)
zh("身份证", BADID(), "，系统说号码有误", tags=HN)
zh("我是新手小白 第一次买基金 有点怕", tags=HN)
zh("客服工号8823的那位说让我等 结果没下文", tags=HN)
zh("交易流水", ORDER(19), " 显示确认失败", tags=HN)
zh("净值从1.5530跌到1.4210 跌了8.5%", tags=HN)
zh("身份证号码", BADDATE("20010931"), " 提示出生日期不对", tags=HN)
zh("卡", BADCARD("abc", spaced=True), " 输进去提示卡号不正确", tags=HN)
zh("申请编号", ORDER(16, "2026"), " 换卡进度", tags=HN)
zh("打4008838088转几号键是人工", tags=HN)
zh("我爸在北京 我在广州 能帮他开户吗", tags=HN)
zh("领先成长A 161610 大额申购超过500万会限制?", tags=HN)
zh("工单号12611203391 处理到哪一步了", tags=HN)
zh("快递单号SF1402938475612 材料寄出了", tags=HN)

en("I'm worried about my QDII fund, it dropped 3.5% today", tags=HN)
en("whats the hotline? 400-883-8088 right?", tags=(*HN, "company_info"))
en("fund code 006300 vs 006301 which has lower fee", tags=HN)
en("order no. ", ORDER(20), " still pending, why", tags=HN)
en("verification code 482913 didnt work", tags=HN)
en("is 12378 the CSRC hotline?", tags=HN)
en("I'm in Shanghai, any offline branch?", tags=HN)
en("how is the fund managed by Liu Siyuan doing lately", tags=HN)
en("bought 50,000 CNY on 2026-11-20 at 14:59, which NAV applies?", tags=HN)
en("my card number ", BADCARD("ccb"), " got rejected, invalid card?", tags=HN)
en("typed ID ", BADID(), " and it says checksum error", tags=HN)
en("mgmt fee 1.20% + custody 0.20% per yr right?", tags=HN)
en("I'm new to funds, whats a C share", tags=HN)
en("app v6.8.2 keeps crashing on iOS 13", tags=HN)
en("error E40012 when paying, what is it", tags=HN)
en("can i email service@rtfund.com with my docs?", tags=(*HN, "company_info"))
en("ICBC 95588 says the money already left", tags=HN)
en("the phone ending 5678 is no longer in use", tags=(*HN, "partial"))
en("is the cut-off 3pm on Nov 20 2026 too?", tags=HN)
en("txn ref ", ORDER(16, "2026"), " shows failed", tags=HN)
en("ID ", BADDATE("19920230"), " rejected, born feb 30?? no i typed it wrong", tags=HN)
en("I'm worried, is the money fund safe", tags=HN)
en("whats the overseas number, +86-755-2694-8088?", tags=(*HN, "company_info"))
zh("SIP min是10元吗 每月扣", tags=(*HN, "mixed_language"))
zh("我是C3 can i buy 领先成长 161610?", tags=(*HN, "mixed_language"))

# --- hard negatives: one real entity among decoys
zh("手机", MOB(), " 验证码482913提示错误 订单号", ORDER(20), tags=HD)
zh("订单号", ORDER(20), " 绑的卡", CARD("icbc"), " 钱还没到", tags=HD)
zh("我叫", NAME("王芳"), " 打了400-883-8088没人接 我手机", MOB(), tags=HD)
zh("卡", CARD("ccb"), " 申购领先成长A 161610 5万 费率1.50%对吗", tags=HD)
zh("身份证", ID_(), " 之前输成", BADID(), "了 现在改不了", tags=HD)
en("I'm ", NAME("Kevin Zhang"), ", hotline 400-883-8088 busy, call me ", MOB("+86s"), tags=HD)
zh("邮箱", MAIL("sunlh@163.com"), " 材料不是发service@rtfund.com吗", tags=HD)
zh("地址", ADDR("青岛市市南区香港中路61号阳光大厦18楼"), " 我在青岛 离深圳远 只能寄", tags=HD)
zh("卡号", CARD("cmb"), " 之前输的", BADCARD("cmb"), "是错的", tags=HD)
en("ID ", ID_(), " - tried ", BADDATE("19890229"), " before by mistake", tags=HD)
zh("刘思远管的那只 我叫", NAME("周建平"), " 想问问我的持仓", tags=HD)
en("email ", MAIL("grace.he@gmail.com"), " - got verification code 739105 but it expired", tags=HD)


# ---------------------------------------------------------------- build + checks

CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
NOT_MIXING = {"app", "qdii", "soho", "sina"}  # product words common in Chinese chat
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
COMPANY_MAILS = {"service@rtfund.com", "privacy@rtfund.com"}
SHAPES = {
    "PHONE_NUMBER": re.compile(
        r"(\+86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}|\(?0\d{2,3}\)?[ -]?\d{3,4}[ -]?\d{4}"
    ),
    "EMAIL_ADDRESS": EMAIL_RE,
    "PASSPORT": re.compile(r"E\d{8}|E[A-Z]\d{7}|G\d{8}"),
    "HK_MACAU_PERMIT": re.compile(r"C\d{8}|[HM]\d{8}|H\d{10}"),
}


def check_entity(e: Ent) -> None:
    v = e.value
    assert v == v.strip(), v
    if e.type == "CN_ID_CARD":
        assert is_valid_id(v), v
    elif e.type == "BANK_CARD":
        d = v.replace(" ", "")
        assert d.isdigit() and 16 <= len(d) <= 19 and luhn_ok(d), v
    elif e.type in SHAPES:
        assert SHAPES[e.type].fullmatch(v), (e.type, v)


def check_unlabelled(text: str, lang: str) -> None:
    """Nothing outside the labelled spans may look like real PII."""
    for m in re.finditer(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])", text):
        assert not is_valid_id(m.group()), (m.group(), text)
    for m in re.finditer(r"(?<![\d ])\d{4}(?: ?\d{4}){3}(?: ?\d{1,3})?(?![\d])", text):
        d = m.group().replace(" ", "")
        assert not luhn_ok(d), (m.group(), text)
    for m in re.finditer(r"(?<!\d)\d{16,19}(?!\d)", text):
        assert not luhn_ok(m.group()), (m.group(), text)
    for m in re.finditer(r"(?<!\d)1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)", text):
        raise AssertionError(("unlabelled mobile", m.group(), text))
    for m in EMAIL_RE.finditer(text):
        assert m.group() in COMPANY_MAILS, (m.group(), text)


def build() -> list[dict]:
    out = []
    for n, (lang, parts, tags) in enumerate(ROWS, 1):
        text, tagset = "", list(tags)
        ents: list[dict[str, Any]] = []
        for p in parts:
            if isinstance(p, Ent):
                check_entity(p)
                ents.append({"type": p.type, "start": len(text), "end": len(text) + len(p.value),
                             "value": p.value})  # fmt: skip
                text += p.value
            elif isinstance(p, Decoy):
                text += p.value
                tagset.append(p.tag)
            else:
                text += p
        masked = text
        for e in ents:
            assert text[e["start"] : e["end"]] == e["value"]
            assert e["type"] in TYPES
            before = text[e["start"] - 1] if e["start"] else ""
            after = text[e["end"]] if e["end"] < len(text) else ""
            if CJK.match(before) or CJK.match(after):
                tagset.append("glued")
            if " " in e["value"] and e["type"] in ("BANK_CARD", "PHONE_NUMBER", "CN_ID_CARD"):
                tagset.append("spaced")
            masked = masked[: e["start"]] + "§" * (e["end"] - e["start"]) + masked[e["end"] :]
        check_unlabelled(masked, lang)
        plain = re.sub(r"www\.[\w.]+", " ", EMAIL_RE.sub(" ", masked))  # mailboxes, URLs
        has_cjk = bool(CJK.search(plain))
        has_latin = any(w.lower() not in NOT_MIXING for w in LATIN_WORD.findall(plain))
        if (lang == "en" and has_cjk) or (lang == "zh" and has_latin):
            tagset.append("mixed_language")
        if lang == "en" and not has_cjk:
            assert not CJK.search(text) or ents, text
        if "hard_negative" in tagset and not ents:
            tagset.append("no_entity")
        out.append({"id": f"pii-{n:03d}", "text": text, "language": lang, "entities": ents,
                    "tags": sorted(set(tagset))})  # fmt: skip
    assert len({r["text"] for r in out}) == len(out), "duplicate texts"
    return out


def main() -> None:
    rows = build()
    with OUT.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    per_type = Counter(e["type"] for r in rows for e in r["entities"])
    texts_per_type = Counter(t for r in rows for t in {e["type"] for e in r["entities"]})
    tags = Counter(t for r in rows for t in r["tags"])
    langs = Counter(r["language"] for r in rows)
    en_or_mixed = sum(r["language"] == "en" or "mixed_language" in r["tags"] for r in rows)
    print(f"wrote {len(rows)} lines to {OUT}")
    for t in TYPES:
        print(f"  {t:16s} entities={per_type[t]:3d} texts={texts_per_type[t]:3d}")
    print(f"  hard negatives: {tags['hard_negative']} (no entity at all: {tags['no_entity']})")
    print(f"  languages: {dict(langs)}; English or mixed texts: {en_or_mixed}")
    print(f"  tags: {dict(sorted(tags.items()))}")


if __name__ == "__main__":
    main()
