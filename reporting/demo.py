"""Demo data: the 2020 figures of 豫知〔2021〕8号 and the peer provinces it quotes.

The unit names are written as the circular's clerk typed them (洛阳, 南阳市, 济源)
and go through the name resolver like any upload would.
"""

import datetime
from decimal import Decimal

from .models import IPKind

DEMO_PERIOD = {
    "year": 2020,
    "opens_on": datetime.date(2021, 1, 4),
    "deadline": datetime.date(2021, 1, 31),
}

# 附件1 2020年河南省专利质押融资统计表: unit → (质押金额（万元）, 项目数, 专利数)
PATENT_2020 = {
    "三门峡": ("50000", 1, 25),
    "洛阳": ("37209.56", 27, 226),
    "驻马店": ("32665", 15, 95),
    "焦作": ("25630", 32, 238),
    "漯河": ("22300", 30, 169),
    "安阳": ("20042", 13, 112),
    "郑州": ("19060", 28, 148),
    "濮阳": ("18280", 28, 149),
    "鹤壁": ("17820", 13, 121),
    "南阳": ("10282", 13, 70),
    "商丘": ("8850", 10, 89),
    "济源": ("8650", 8, 77),
    "信阳": ("8543", 6, 32),
    "许昌": ("5890", 11, 54),
    "平顶山": ("3690", 5, 28),
    "周口": ("3400", 4, 25),
    "新乡": ("3400", 2, 5),
    "开封": ("2900", 3, 21),
}

# 附件2 2020年河南省商标质押融资统计表: unit → (金额（万元）, 项目数, 商标件数)
TRADEMARK_2020 = {
    "南阳市": ("40000", 2, 281),
    "洛阳市": ("5642.71", 1, 3),
    "驻马店": ("4310", 3, 6),
    "商丘市": ("2800", 1, 12),
    "周口市": ("1020", 2, 17),
    "鹤壁市": ("900", 1, 13),
    "濮阳市": ("600", 1, 12),
    "新乡市": ("488.82", 1, 16),
    "郑州市": ("46", 1, 3),
    "开封市": ("0", 0, 0),
    "平顶山市": ("0", 0, 0),
    "安阳市": ("0", 0, 0),
    "焦作市": ("0", 0, 0),
    "许昌市": ("0", 0, 0),
    "漯河市": ("0", 0, 0),
    "三门峡市": ("0", 0, 0),
    "信阳市": ("0", 0, 0),
    "济源": ("0", 0, 0),
}

FIGURES_2020 = {IPKind.PATENT: PATENT_2020, IPKind.TRADEMARK: TRADEMARK_2020}

# The circular's fourth point: other provinces' 2020 pledges (件, 亿元).
BENCHMARKS_2020 = [
    ("浙江省", IPKind.TRADEMARK, 4351, Decimal("200.54")),
    ("山东省", IPKind.TRADEMARK, 1318, Decimal("101.46")),
    ("浙江省", IPKind.PATENT, 4722, Decimal("401.07")),
    ("江苏省", IPKind.PATENT, 3683, Decimal("125.27")),
    ("安徽省", IPKind.PATENT, 2846, Decimal("79.12")),
]
BENCHMARK_SOURCE = "豫知〔2021〕8号"

# Local demo only: loaddemo refuses to create accounts when DEBUG is off.
DEMO_PASSWORD = "henan-demo-2020"
DEMO_USERS = [
    # username, full name, is_superuser
    ("admin", "省级管理员（演示）", True),
]
