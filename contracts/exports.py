"""The XLSX template for a unit's contracts, and the bank ranking as a table."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from lib.numbers import format_amount

from .imports import HEADINGS

TEMPLATE_COLUMNS = [
    "kind", "pledgor", "uscc", "is_sme", "bank", "registration_number",
    "items", "amount", "effective_on", "loan_term_months",
]  # fmt: skip


def contract_template(unit, period):
    """A workbook to fill in: headings, validation of each column, and an example on a second sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "质押合同"
    sheet.append([HEADINGS[name] for name in TEMPLATE_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFGHIJ", (8, 30, 22, 14, 28, 22, 8, 14, 14, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    rules = [
        DataValidation(type="list", formula1='"专利,商标"', allow_blank=False, sqref="A2:A5000"),
        DataValidation(type="textLength", operator="equal", formula1="18", sqref="C2:C5000"),
        DataValidation(type="list", formula1='"是,否"', sqref="D2:D5000"),
        DataValidation(type="whole", operator="greaterThanOrEqual", formula1="1", sqref="G2:G5000"),
        DataValidation(type="decimal", operator="greaterThan", formula1="0", sqref="H2:H5000"),
        DataValidation(
            type="date",
            operator="between",
            formula1=f"DATE({period.starts_on.year},{period.starts_on.month},{period.starts_on.day})",
            formula2=f"DATE({period.ends_on.year},{period.ends_on.month},{period.ends_on.day})",
            sqref="I2:I5000",
        ),
        DataValidation(
            type="whole", operator="between", formula1="1", formula2="600", sqref="J2:J5000"
        ),
    ]
    messages = [
        "专利或商标",
        "18 位统一社会信用代码",
        "是或否",
        "至少 1 件",
        "万元，大于 0",
        "质权设立日须在本期内",
        "月数",
    ]
    for rule, message in zip(rules, messages, strict=True):
        rule.error = message
        rule.errorTitle = "输入有误"
        rule.prompt = message
        rule.showErrorMessage = True
        sheet.add_data_validation(rule)
    example = workbook.create_sheet("示例")
    example.append([HEADINGS[name] for name in TEMPLATE_COLUMNS])
    example.append(["专利", "河南某某科技有限公司", "91410100MA44XXXX0X", "是", "中国银行洛阳分行",
                    "Y2020410000123", 5, 500, period.starts_on.isoformat(), 12])  # fmt: skip
    example.append(
        [f"{unit.name} {period.label}：在“质押合同”表中逐行填写；本表仅为示例，不会被导入。"]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def banks_table(rows):
    """Headings and rows of the bank ranking, as the page shows them (exports escape them)."""
    headings = [
        _("排名"),
        _("银行"),
        _("金额（万元）"),
        _("项目数"),
        _("服务企业数"),
        _("分支机构数"),
    ]
    body = [
        [
            row["rank"],
            row["bank_group"],
            format_amount(row["amount"]),
            row["projects"],
            row["enterprises"],
            row["branches"],
        ]  # fmt: skip
        for row in rows
    ]
    return headings, body
