"""Importing one type of a unit's measures (policies, funds, events, practices) from a file.

The file is read by the figures' engine (``uploads.readers.read_rows``: CSV, XLSX or XLS
by content, hostile files refused); every row is parsed and checked by ``build_item``, the
rules the item forms apply, and nothing is saved while any row is in error. Confirming
replaces that type's items on the unit's report in one transaction: a unit's submitter
imports into its own editable report, the province on the unit's behalf (the move 省局导入).
"""

import io
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import can
from lib.wording import join_names
from uploads.parsing import (
    heading_key,
    parse_amount,
    parse_count,
    parse_date,
    parse_yes_no,
    portable_limit_error,
    refusal_message,
)
from uploads.readers import ImportFileError, read_rows, row_number, row_place, sheet_named
from workflow.models import ReportState, WorkflowAction
from workflow.services import WorkflowError, open_report, province_lock_reason, transition

from . import services
from .models import MeasureReport
from .types import MEASURE_TYPES

# Each kind's columns: field → the template's heading, then what else a file may call it.
# Headings are the file's own words, in Chinese whatever the page's language.
COLUMNS = {
    "policies": {
        "title": ["政策名称", "名称", "政策文件名称", "文件名称"],
        "issuer": ["发文机关", "发文单位", "印发机关"],
        "document_number": ["文号", "发文字号", "发文文号"],
        "issued_on": ["印发日期", "发文日期", "印发时间"],
        "type": ["类型", "政策类型"],
        "amount": ["资金规模（万元）", "资金规模", "金额(万元)"],
        "in_force": ["是否现行有效", "现行有效", "是否有效"],
    },
    "funds": {
        "title": ["资金名称", "名称", "风险补偿资金名称"],
        "scope": ["适用范围", "范围"],
        "size": ["资金规模（万元）", "资金规模", "规模(万元)"],
        "banks": ["合作银行", "银行"],
        "loans_count": ["覆盖贷款笔数", "本期覆盖贷款笔数", "贷款笔数"],
        "loans_amount": ["覆盖贷款金额（万元）", "本期覆盖贷款金额(万元)", "贷款金额(万元)"],
        "compensation_paid": ["已补偿金额（万元）", "本期已补偿金额(万元)", "补偿金额(万元)"],
    },
    "events": {
        "type": ["活动类型", "类型"],
        "title": ["活动名称", "名称"],
        "held_on": ["举办日期", "日期", "举办时间"],
        "place": ["地点", "举办地点"],
        "organiser": ["主办单位", "主办方"],
        "banks_attending": ["参加银行（家）", "参加银行", "参会银行(家)"],
        "enterprises_attending": ["参加企业（家）", "参加企业", "参会企业(家)"],
        "intended_credit": ["签约意向授信（万元）", "意向授信(万元)", "签约意向授信"],
        "loans_granted": ["已发放贷款（万元）", "发放贷款(万元)", "已发放贷款"],
    },
    "practices": {
        "title": ["标题", "题目", "名称"],
        "text": ["正文", "内容", "经验做法"],
    },
}
# Columns a file may leave out (the field keeps its default: a policy without a stated sum).
OPTIONAL = {"policies": {"amount"}}

# 是否现行有效: 是 or 否, or the words of the column itself.
IN_FORCE = {"yes": {"有效", "现行有效"}, "no": {"失效", "已失效"}}

# Items in one file: a unit reports tens a period; the limit only bounds what a file can cost.
MAX_ITEMS = 1000
MAX_ITEM_CELLS = MAX_ITEMS * 12

# One example row per kind for the template (on its own sheet: never imported).
EXAMPLES = {
    "policies": [
        "关于推进知识产权质押融资工作的实施意见",
        "郑州市市场监督管理局",
        "郑知〔2021〕8号",
        "2021-03-15",
        "贴息",
        "500",
        "是",
    ],
    "funds": [
        "郑州市知识产权质押融资风险补偿资金",
        "专利和商标",
        "2000",
        "中国银行郑州分行、中原银行",
        "12",
        "3600",
        "0",
    ],
    "events": [
        "银企对接",
        "知识产权质押融资银企对接会",
        "2021-05-20",
        "郑州国际会展中心",
        "郑州市市场监督管理局",
        "8",
        "60",
        "12000",
        "3500",
    ],
    "practices": [
        "“知识产权+金融”服务进园区",
        "在高新区设立质押融资服务站。\n每月组织银行进企业走访。",
    ],
}


def headings(measure_type):
    """The template's headings of a kind's columns, in the order of its fields."""
    return [COLUMNS[measure_type.slug][name][0] for name in measure_type.fields]


def read_measure_rows(content, filename="", measure_type=None):
    """The rows of a file of one kind of measures, from the sheet that holds them."""

    def holds_items(rows):
        return _header_row(rows, measure_type) is not None

    return read_rows(
        content,
        filename,
        max_rows=MAX_ITEMS,
        max_cells=MAX_ITEM_CELLS,
        table=holds_items if measure_type is not None else None,
    )


def _header_row(rows, measure_type):
    """(index, {field: column}) of the top row naming the most of the kind's columns, or None."""
    names = COLUMNS[measure_type.slug]
    lookup = {heading_key(text): name for name, texts in names.items() for text in texts}
    best = None
    for index, row in enumerate(rows[:10]):
        found = {}
        for column, text in enumerate(row):
            name = lookup.get(heading_key(text))
            if name and name not in found:
                found[name] = column
        if found and (best is None or len(found) > len(best[1])):
            best = (index, found)
    return best


def _find_header(rows, measure_type):
    """The header row's index and {field: column}; the rows above it are a title.

    The header is the first of the top rows naming the most of the kind's columns; a column
    it lacks is named.
    """
    names = COLUMNS[measure_type.slug]
    best = _header_row(rows, measure_type)
    required = [
        name for name in measure_type.fields if name not in OPTIONAL.get(measure_type.slug, ())
    ]
    if best is None:
        raise ImportFileError(
            _("找不到{kind}的表头：需要“{columns}”等列。").format(
                kind=measure_type.label, columns="”“".join(names[name][0] for name in required)
            )
        )
    missing = [names[name][0] for name in required if name not in best[1]]
    if missing:
        raise ImportFileError(
            _("文件缺少“{columns}”列（第 {row} 行为表头）。").format(
                columns="”“".join(missing), row=row_number(rows[best[0]], best[0] + 1)
            )
        )
    return best


def _choice(model_field, text):
    """A choice given by its label (奖补) or its value (subsidy)."""
    value = unicodedata.normalize("NFKC", text).strip()
    for stored, label in model_field.choices:
        if value in (str(label), stored):
            return stored
    raise ValueError(
        _("“{text}”不是可选的值：只能填{labels}。").format(
            text=text.strip(),
            labels=join_names(label for _stored, label in model_field.choices),
        )
    )


def parse_cell(model_field, text):
    """A cell's text as the field's value; ValueError with a message otherwise."""
    internal = model_field.get_internal_type()
    if model_field.choices:
        return _choice(model_field, text) if text.strip() else ""
    if internal == "BooleanField":
        return parse_yes_no(text, **IN_FORCE)
    if internal == "DateField":
        return parse_date(text) if text.strip() else None
    if internal == "DecimalField":
        if not text.strip() and model_field.null:
            return None
        return parse_amount(text)
    if internal in ("PositiveIntegerField", "IntegerField"):
        number = parse_count(text)
        # Below 0 the model's own rule speaks; above, what every database can store.
        message = number > 0 and portable_limit_error(model_field, number)
        if message:
            raise ValueError(message)
        return number
    return text.strip()


@dataclass
class ItemRow:
    line: int  # the row's number in the file (1-based)
    hidden: bool = False  # a row the spreadsheet hides (the preview says so)
    sheet: str = ""  # its sheet, when the workbook has several
    values: dict = field(default_factory=dict)
    item: object = None  # the item built from the row (not saved), when it has no error
    errors: dict = field(default_factory=dict)  # column heading → message

    @property
    def place(self):
        return row_place(self.line, self.hidden, self.sheet)


@dataclass
class MeasurePreview:
    period: object
    unit: object
    measure_type: object
    rows: list
    errors: list = field(default_factory=list)  # file-level messages
    versions: dict = field(default_factory=dict)  # {unit id: report version seen (0: none)}
    replaced: list = field(default_factory=list)  # the report's items of this kind, which
    # confirming replaces (named, so that the user ticks knowing what goes)
    on_behalf: bool = False  # the province imports: confirming submits the report
    sheet: str = ""  # the worksheet read, named when the workbook has several

    @property
    def ok(self):
        return not self.errors and not any(row.errors for row in self.rows)

    @property
    def existing(self):
        return len(self.replaced)

    @property
    def error_rows(self):
        return [row for row in self.rows if row.errors]


def import_refusal(user, unit, period, report):
    """Why ``user`` cannot import this unit's measures now, or None: the forms' lock rules for
    its own submitter; for the province, a report the unit has not begun or has submitted.

    The province's import submits the whole report: into a draft (or a returned or reopened
    report) it would submit, and show, what the unit is still writing in the other kinds.
    """
    if can(user, "measures.import_report", report or unit):
        if report is not None and report.version and report.state in ReportState.editable():
            return _(
                "该单位正在填报本期政策措施（{state}），省局不能代为导入，以免提交该单位尚未完成的内容。"
                "请由该单位导入或提交，或在其提交后再导入。"
            ).format(state=report.get_state_display())
        return province_lock_reason(user, report, submitting=True, model=MeasureReport)
    return services.lock_reason(user, unit, period, report)


def parse_measures(rows, period, unit, measure_type, user):
    """Check every row of a file of one type of measure for the unit's report of the period.

    Each row is parsed by its column's field and checked by ``build_item`` (the forms' rules,
    the period's included); the report's lock is checked as the confirmation will.
    """
    measure_type = MEASURE_TYPES[getattr(measure_type, "slug", measure_type)]
    header_index, columns = _find_header(rows, measure_type)
    header = rows[header_index]
    heading = {name: header[column] for name, column in columns.items()}
    report = MeasureReport.objects.filter(unit=unit, period=period).first()
    checked_against = report or MeasureReport(unit=unit, period=period)
    results = []
    sheet = sheet_named(rows)
    for position, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        line = row_number(row, position)  # the row's number in the file, never renumbered
        cells = row + [""] * (len(header) - len(row))
        if not any(cells[column] for column in columns.values()):
            continue
        result = ItemRow(line=line, hidden=getattr(row, "hidden", False), sheet=sheet)
        results.append(result)
        for name, column in columns.items():
            try:
                result.values[name] = parse_cell(
                    measure_type.model._meta.get_field(name), cells[column]
                )
            except ValueError as error:
                result.errors[heading[name]] = str(error)
        try:
            result.item = services.build_item(measure_type, checked_against, result.values)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                column = heading.get(name) or (_("整行") if name == NON_FIELD_ERRORS else str(name))
                result.errors.setdefault(column, " ".join(messages))
        if result.errors:
            result.item = None
    errors = []
    if not results:
        errors.append(_("表头之后没有数据行。"))
    reason = import_refusal(user, unit, period, report)
    if reason:
        errors.append(_("{unit}：{reason}").format(unit=unit.name, reason=reason))
    return MeasurePreview(
        sheet=sheet,
        period=period,
        unit=unit,
        measure_type=measure_type,
        rows=results,
        errors=errors,
        versions={str(unit.pk): report.version if report else 0},
        # Only where the user may read the report's items: its unit, or the province once it
        # is submitted (a draft refuses the province's import, above).
        replaced=[str(item) for item in measure_type.items(report)]
        if report and not reason
        else [],
        on_behalf=can(user, "measures.import_report", report or unit),
    )


@transaction.atomic
def apply_measures(preview, user, source, *, versions=None, replace_items=False):
    """Replace the kind's items on the unit's report by the file's rows, all or none.

    The unit's own submitter imports into its editable report (``open_for_change``, as the
    forms); the province imports on the unit's behalf and the report is submitted (the move
    省局导入, logged with the file's name), unless it is approved. ``versions``: the report
    versions the preview saw; a report changed since is refused. Returns the items saved.
    """
    if not preview.ok:
        raise ImportFileError(_("文件有错误，未导入任何数据。"))
    if preview.replaced and not replace_items:
        raise ImportFileError(
            _(
                "导入将替换本报表现有的 {count} 项：请核对预览中列出的将被替换的条目，"
                "勾选确认后再导入。"
            ).format(count=len(preview.replaced))
        )
    unit, period, measure_type = preview.unit, preview.period, preview.measure_type
    versions = preview.versions if versions is None else versions
    expected = versions.get(str(unit.pk))
    on_behalf = can(user, "measures.import_report", unit)
    try:
        if on_behalf:
            report = open_report(unit, period, user, expected_version=expected, model=MeasureReport)
            reason = import_refusal(user, unit, period, report)
            if reason:
                raise WorkflowError(reason)
        else:
            report = services.open_for_change(user, unit, period, expected)
        items = [services.build_item(measure_type, report, row.values) for row in preview.rows]
        saved = services.replace_items(user, report, measure_type, items)
        if on_behalf:
            transition(
                report,
                WorkflowAction.IMPORT,
                user,
                comment=_("从文件“{name}”导入").format(name=source),
            )
    except (WorkflowError, ValidationError, PermissionDenied) as error:
        raise ImportFileError(refusal_message(unit, error)) from error
    return saved


def measure_template(measure_type):
    """A workbook to fill in for one kind: its headings, and an example on a second sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(measure_type.label)
    example = workbook.create_sheet(_("示例"))
    for target in (sheet, example):
        target.append(headings(measure_type))
        for cell in target[1]:
            cell.font = Font(bold=True)
        for cell, text in zip(target[1], headings(measure_type), strict=True):
            target.column_dimensions[cell.column_letter].width = max(12, 2 * len(text) + 4)
    example.append(EXAMPLES[measure_type.slug])
    for cell in example[2]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    example.append([_("在第一张表中逐行填写，每行一项；本表仅为示例，不会被导入。")])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
