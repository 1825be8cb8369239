"""Chinese surnames, used to validate a candidate name (shared by both name recognizers).

Source: compiled by hand from the most common surnames in mainland household registration
(as ranked in the Ministry of Public Security's annual 全国姓名报告) and the frequent
surnames of the 百家姓, single and compound. Characters that are far more often
function words than surnames (和, 来, 都, 那, 但, 由, 时, 国 …), or that start everyday
finance words (银: 银行卡, which jieba's dictionary even tags as a name) are left out on
purpose: 我是和…, 本人银行卡 are never names.
"""

from __future__ import annotations

SINGLE_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺"
    "顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧"
    "耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙"
    "鲍华喻祁蒲房滕屈饶解牟艾尤阳穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米"
    "柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩佘池查麻苑迟邝官封谈"
    "匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻厉伊仝郜阚花权强帅屠豆朴盖练"
    "廉禹井祖漆巴丰卿狄晋初云容敬扈晁芮阙浦戈伏鹿薄邸雍辜羊乌母裘亓修邰赫杭况宿鲜印逯隆"
    "茹诸战慕危玉亢嵇湛宾戎勾茅利呼居揭干尉冶斯束檀衣阴昝智幸奉植衡富尧闭于"
)

# fmt: off
COMPOUND_SURNAMES = frozenset([
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容",
    "长孙", "宇文", "司徒", "令狐", "夏侯", "轩辕", "端木", "独孤", "南宫",
    "西门", "万俟", "闻人", "澹台", "公冶", "宗政", "濮阳", "太叔", "申屠",
    "钟离", "呼延", "赫连", "拓跋", "百里", "东郭", "南门", "羊舌", "微生",
    "公羊", "梁丘", "左丘", "第五", "单于", "司空", "司寇", "亓官", "仲孙",
    "鲜于", "闾丘", "子车", "乐正", "漆雕", "巫马", "谷梁", "宰父", "颛孙",
])
# fmt: on


def surname_length(candidate: str) -> int:
    """Length of the surname ``candidate`` starts with (2 compound, 1 single, 0 none)."""
    if candidate[:2] in COMPOUND_SURNAMES:
        return 2
    return 1 if candidate[:1] in SINGLE_SURNAMES else 0
