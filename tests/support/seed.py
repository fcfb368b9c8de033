"""The two attachment tables of 豫知〔2021〕8号 exactly as the notice prints them.

附件1 names every unit short (三门峡, 济源). 附件2 mixes the two styles: 驻马店 and 济源
short, the other sixteen units full (南阳市, 洛阳市 …). The portal prints one style within a
table, short by default, so its 附件2 is the notice's with every name written short
(``TRADEMARK_2020_SHORT``): the same units, ranks and figures, and the notice's own style
where the notice is consistent. ``tests.support.golden`` holds both tables in the full-name style.

Each row: 金额排名, 地市, amount, 项目数, items. The rank is as a reader fills it in: every
tied row repeats the shared rank (the notice prints it once, in a cell spanning the tie).
The last row is 合计.
"""

from tests.support import golden

PATENT_2020 = [  # 附件1, as printed
    ["1", "三门峡", "50000", "1", "25"],
    ["2", "洛阳", "37209.56", "27", "226"],
    ["3", "驻马店", "32665", "15", "95"],
    ["4", "焦作", "25630", "32", "238"],
    ["5", "漯河", "22300", "30", "169"],
    ["6", "安阳", "20042", "13", "112"],
    ["7", "郑州", "19060", "28", "148"],
    ["8", "濮阳", "18280", "28", "149"],
    ["9", "鹤壁", "17820", "13", "121"],
    ["10", "南阳", "10282", "13", "70"],
    ["11", "商丘", "8850", "10", "89"],
    ["12", "济源", "8650", "8", "77"],
    ["13", "信阳", "8543", "6", "32"],
    ["14", "许昌", "5890", "11", "54"],
    ["15", "平顶山", "3690", "5", "28"],
    ["16", "周口", "3400", "4", "25"],
    ["17", "新乡", "3400", "2", "5"],
    ["18", "开封", "2900", "3", "21"],
    ["", "合计", "298611.56", "249", "1684"],
]

TRADEMARK_2020_AS_PRINTED = [  # 附件2, as printed: two styles in one table
    ["1", "南阳市", "40000", "2", "281"],
    ["2", "洛阳市", "5642.71", "1", "3"],
    ["3", "驻马店", "4310", "3", "6"],
    ["4", "商丘市", "2800", "1", "12"],
    ["5", "周口市", "1020", "2", "17"],
    ["6", "鹤壁市", "900", "1", "13"],
    ["7", "濮阳市", "600", "1", "12"],
    ["8", "新乡市", "488.82", "1", "16"],
    ["9", "郑州市", "46", "1", "3"],
    ["10", "开封市", "0", "0", "0"],
    ["10", "平顶山市", "0", "0", "0"],
    ["10", "安阳市", "0", "0", "0"],
    ["10", "焦作市", "0", "0", "0"],
    ["10", "许昌市", "0", "0", "0"],
    ["10", "漯河市", "0", "0", "0"],
    ["10", "三门峡市", "0", "0", "0"],
    ["10", "信阳市", "0", "0", "0"],
    ["10", "济源", "0", "0", "0"],
    ["", "合计", "55807.53", "13", "363"],
]

# 附件2 in one style: short, as 附件1 (each unit's short name as 附件1 prints it).
SHORT_NAMES = {
    full[1]: short[1] for full, short in zip(golden.PATENT_2020, PATENT_2020, strict=True)
}
TRADEMARK_2020_SHORT = [
    [rank, SHORT_NAMES.get(unit, unit), *figures] for rank, unit, *figures in golden.TRADEMARK_2020
]

# The notice's judgement of the cities' patent pledges (its situation, 一是专利质押发展不平衡), as
# printed: the facts the drafted circular must state from the same data.
CORE_SENTENCE = (
    "洛阳、三门峡、驻马店成绩优异，其中，洛阳、驻马店建立了专利质押融资风险补偿机制；"
    "焦作、漯河、安阳、濮阳、鹤壁、南阳进步较快，许昌、平顶山、周口、新乡、开封相对滞后。"
)
