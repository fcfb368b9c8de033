"""Files of pledge contracts, one contract a row, as a clerk fills in the template."""

import io

from openpyxl import Workbook
from stdnum.cn import uscc

HEAD = [
    "地市",
    "类别",
    "出质人",
    "统一社会信用代码",
    "是否中小微企业",
    "质权人（银行）",
    "质押登记号",
    "件数",
    "金额（万元）",
    "质权设立日",
    "贷款期限（月）",
]


def code(n):
    """A valid 统一社会信用代码 (its check character computed)."""
    body = f"91410100MA{n:07d}"
    return body + uscc.calc_check_digit(body)


def contract(
    unit="洛阳",
    kind="专利",
    n=1,
    sme="是",
    bank="中国银行洛阳分行",
    items=2,
    amount="500",
    day="2020-03-05",
    term="12",
):
    return [
        unit,
        kind,
        f"企业{n}",
        code(n),
        sme,
        bank,
        f"Y2020{n:06d}",
        str(items),
        amount,
        day,
        term,
    ]


def xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
