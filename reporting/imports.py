"""The import engine: the province's and the cities' own files, read as they are.

A file is a table in the layout of 豫知〔2021〕8号's attachments (an optional title row,
the header row in any order, a row per unit, an optional 合计 row) as CSV (UTF-8, UTF-8
with BOM or GB18030/GBK, detected), XLSX or legacy XLS. ``read_rows`` turns the bytes
into rows of text, refusing hostile files quickly; ``parse_figures`` checks every row and
says what it would change; ``apply_import`` saves all rows in one transaction, or none.
"""

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cities.resolver import UnitResolver, UnknownUnitError
from lib.numbers import CENT, format_amount

from .models import (
    IPKind,
    PledgeFigures,
    PledgeReport,
    ReportState,
    ReportTransition,
    WorkflowAction,
    validate_figures,
)

MAX_COLUMNS = 50
MAX_ROWS = 5000
MAX_LINE = 20_000  # characters in one CSV line
MAX_UNZIPPED = 100 * 1024 * 1024  # an XLSX that inflates beyond this is refused (zip bomb)


class ImportFileError(ValueError):
    """The file as a whole cannot be read; nothing is saved."""


# ── reading ─────────────────────────────────────────────────────────────────────────


def read_rows(content, filename="", max_rows=None):
    """The file's rows as lists of strings. Format by content, not by name.

    ``max_rows`` bounds the work a file can cause (default ``MAX_ROWS``, a table of figures).
    """
    max_rows = max_rows or MAX_ROWS
    limit = settings.IMPORT_MAX_BYTES
    if len(content) > limit:
        raise ImportFileError(
            _("文件太大（{size} MB），上限为 {limit} MB。").format(
                size=f"{len(content) / 1048576:.1f}", limit=f"{limit / 1048576:.0f}"
            )
        )
    if not content.strip():
        raise ImportFileError(_("文件是空的。"))
    if content.startswith(b"PK\x03\x04"):
        rows = _read_xlsx(content, max_rows)
    elif content.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        rows = _read_xls(content, max_rows)
    else:
        rows = _read_csv(content, max_rows)
    rows = [[_cell_text(value) for value in row] for row in rows]
    rows = [row for row in rows if any(row)]
    if not rows:
        raise ImportFileError(_("文件中没有数据。"))
    return rows


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float):
        value = Decimal(repr(value))
        if value == value.to_integral():
            value = value.quantize(Decimal(1))
    return str(value).strip()


def _read_csv(content, max_rows):
    if b"\x00" in content[:4096]:
        raise ImportFileError(_("无法识别的文件格式：请上传 CSV、XLSX 或 XLS 文件。"))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte sequence
        raise ImportFileError(_("无法识别文件的字符编码。"))
    if any(ch in text[:4096] for ch in "\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f"):
        raise ImportFileError(_("无法识别的文件格式：请上传 CSV、XLSX 或 XLS 文件。"))
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        columns = max(line.count(","), line.count("\t")) + 1
        if columns > MAX_COLUMNS:
            raise ImportFileError(
                _("第 {row} 行有 {count} 列，统计表最多 {limit} 列。").format(
                    row=number, count=columns, limit=MAX_COLUMNS
                )
            )
        if len(line) > MAX_LINE:
            raise ImportFileError(
                _("第 {row} 行过长（{length} 个字符），不像统计表。").format(
                    row=number, length=len(line)
                )
            )
        if number > max_rows:
            raise ImportFileError(_("文件超过 {limit} 行。").format(limit=max_rows))
    dialect = csv.excel_tab if text.count("\t") > text.count(",") else csv.excel
    for row in csv.reader(io.StringIO(text), dialect):
        rows.append(row)
    return rows


def _read_xlsx(content, max_rows):
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        inflated = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise ImportFileError(_("文件已损坏，无法作为 XLSX 打开。")) from error
    if inflated > MAX_UNZIPPED:
        raise ImportFileError(_("XLSX 文件解压后过大，拒绝处理。"))
    if "xl/workbook.xml" not in archive.namelist():
        raise ImportFileError(_("无法识别的文件格式：请上传 CSV、XLSX 或 XLS 文件。"))
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a broken file
        raise ImportFileError(_("文件已损坏，无法作为 XLSX 打开。")) from error
    sheet = workbook.worksheets[0]
    rows = []
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > max_rows:
            raise ImportFileError(_("文件超过 {limit} 行。").format(limit=max_rows))
        rows.append(list(row[:MAX_COLUMNS]))
    workbook.close()
    return rows


def _read_xls(content, max_rows):
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=content, on_demand=True)
        sheet = book.sheet_by_index(0)
    except Exception as error:  # xlrd raises XLRDError and struct errors on a broken file
        raise ImportFileError(_("文件已损坏，无法作为 XLS 打开。")) from error
    if sheet.nrows > max_rows:
        raise ImportFileError(_("文件超过 {limit} 行。").format(limit=max_rows))
    return [sheet.row_values(r)[:MAX_COLUMNS] for r in range(sheet.nrows)]


# ── numbers as people type them ──────────────────────────────────────────────────────


def _normalise_number(text):
    return "".join(unicodedata.normalize("NFKC", str(text)).split()).replace(",", "")


def parse_amount(text):
    """万元 as typed: '1,234.5', ' 1234.50 ', '１２３４', '1234.5万元'. 元 or 亿元 are refused."""
    value = _normalise_number(text)
    if value.endswith("万元"):
        value = value[: -len("万元")]
    elif value.endswith("亿元") or value.endswith("亿") or value.endswith("元"):
        raise ValueError(
            _("金额须以万元为单位，“{text}”未换算，请改为万元。").format(text=str(text).strip())
        )
    elif value.endswith("万"):
        value = value[:-1]
    if value in {"", "-", "—"}:
        return Decimal(0)
    try:
        amount = Decimal(value)
    except InvalidOperation as error:
        raise ValueError(_("“{text}”不是金额。").format(text=str(text).strip())) from error
    if not amount.is_finite():
        raise ValueError(_("“{text}”不是金额。").format(text=str(text).strip()))
    if amount != amount.quantize(CENT):
        raise ValueError(_("金额“{text}”超过两位小数。").format(text=str(text).strip()))
    return amount.quantize(CENT)


def parse_count(text):
    value = _normalise_number(text)
    for suffix in ("件", "个", "项"):
        if value.endswith(suffix):
            value = value[: -len(suffix)]
    if value in {"", "-", "—"}:
        return 0
    try:
        number = Decimal(value)
    except InvalidOperation as error:
        raise ValueError(_("“{text}”不是整数。").format(text=str(text).strip())) from error
    if not number.is_finite() or number != number.to_integral():
        raise ValueError(_("“{text}”不是整数。").format(text=str(text).strip()))
    return int(number)


# ── the table ────────────────────────────────────────────────────────────────────────

HEADINGS = {
    "rank": ["金额排名", "排名", "名次", "序号"],
    "unit": ["地市", "单位", "地区", "城市", "填报单位", "省辖市"],
    "amount": [
        "质押金额(万元)",
        "金额(万元)",
        "质押金额",
        "金额",
        "融资金额(万元)",
        "质押融资金额(万元)",
    ],
    "projects": ["项目数", "项目数(个)", "项目"],
    "patent_items": ["专利数", "专利件数", "质押专利数", "专利数(件)"],
    "trademark_items": ["商标件数", "商标数", "质押商标数", "商标件数(件)"],
}
TOTAL_LABELS = {"合计", "总计", "全省", "全省合计"}
WRONG_UNITS = re.compile(r"[(（](元|亿元)[)）]$")


def heading_key(text):
    return "".join(unicodedata.normalize("NFKC", text).split())


def _find_header(rows, kind):
    """The header row's index and a map field → column; the rows before it are a title."""
    wanted_items = f"{IPKind(kind).value}_items"
    other_items = "trademark_items" if wanted_items == "patent_items" else "patent_items"
    lookup = {heading_key(name): key for key, names in HEADINGS.items() for name in names}
    for index, row in enumerate(rows[:10]):
        columns = {}
        for column, text in enumerate(row):
            key = heading_key(text)
            if WRONG_UNITS.search(key) and ("金额" in key):
                raise ImportFileError(
                    _("金额列“{text}”的单位不是万元：请按万元填报。").format(text=text)
                )
            field_name = lookup.get(key)
            if field_name and field_name not in columns:
                columns[field_name] = column
        if {"unit", "amount", "projects"} <= set(columns):
            if wanted_items not in columns:
                if other_items in columns:
                    raise ImportFileError(
                        _("这是{other}表（有“{heading}”列），不能导入为{kind}数据。").format(
                            other=_("商标") if other_items == "trademark_items" else _("专利"),
                            heading=rows[index][columns[other_items]],
                            kind=IPKind(kind).label,
                        )
                    )
                continue
            columns["items"] = columns.pop(wanted_items)
            return index, columns
    raise ImportFileError(
        _("找不到表头：需要“地市”“金额（万元）”“项目数”“{items}”四列。").format(
            items=IPKind(kind).items_heading
        )
    )


@dataclass
class RowResult:
    line: int  # row number in the file (1-based)
    unit: object = None
    amount: Decimal | None = None
    projects: int | None = None
    items: int | None = None
    errors: dict = field(default_factory=dict)  # column heading → message
    previous: tuple | None = None  # stored (amount, projects, items), None if new

    @property
    def values(self):
        return (self.amount, self.projects, self.items)

    @property
    def status(self):
        if self.errors:
            return "error"
        if self.previous is None:
            return "new"
        return "unchanged" if self.previous == self.values else "changed"


@dataclass
class ImportPreview:
    period: object
    kind: IPKind
    rows: list
    errors: list = field(default_factory=list)  # file-level messages
    headings: dict = field(default_factory=dict)

    @property
    def ok(self):
        return not self.errors and not any(row.errors for row in self.rows)

    @property
    def changes(self):
        return [row for row in self.rows if row.status in ("new", "changed")]


def parse_figures(rows, period, kind, user=None, restrict_to_units=None):
    """Check every row of a table of figures and compare it with what is stored.

    ``restrict_to_units``: the unit ids a municipal submitter may import (None: any unit).
    """
    kind = IPKind(kind)
    header_index, columns = _find_header(rows, kind)
    header = rows[header_index]
    heading = {name: header[column] for name, column in columns.items()}
    resolver = UnitResolver()
    results, errors, seen = [], [], {}
    total = None
    stored = {}
    if period.pk is not None:  # a dry run may name a period that does not exist yet
        stored = {
            unit_id: (amount, projects, items)
            for unit_id, amount, projects, items in PledgeFigures.objects.filter(
                report__period=period, kind=kind
            ).values_list("report__unit_id", "amount", "projects", "items")
        }
    for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        cells = row + [""] * (len(header) - len(row))
        unit_text = cells[columns["unit"]].strip()
        if not unit_text and not any(
            cells[c] for c in (columns["amount"], columns["projects"], columns["items"])
        ):
            continue
        result = RowResult(line=offset)
        for name, parse in (
            ("amount", parse_amount),
            ("projects", parse_count),
            ("items", parse_count),
        ):
            try:
                setattr(result, name, parse(cells[columns[name]]))
            except ValueError as error:
                result.errors[heading[name]] = str(error)
        if heading_key(unit_text) in TOTAL_LABELS:
            total = result
            continue
        try:
            result.unit = resolver.resolve(unit_text)
        except UnknownUnitError as error:
            result.errors[heading["unit"]] = str(error)
        else:
            if result.unit.pk in seen:
                result.errors[heading["unit"]] = _("{unit}在第 {row} 行已出现过。").format(
                    unit=result.unit.name, row=seen[result.unit.pk]
                )
            seen[result.unit.pk] = offset
            if restrict_to_units is not None and result.unit.pk not in restrict_to_units:
                errors.append(
                    _("第 {row} 行是{unit}的数据，您只能导入本单位的数据，整个文件未导入。").format(
                        row=offset, unit=result.unit.name
                    )
                )
        if not result.errors:
            try:
                validate_figures(kind, result.amount, result.projects, result.items)
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    result.errors[heading.get(name, name)] = " ".join(messages)
        if result.unit is not None:
            result.previous = stored.get(result.unit.pk)
        results.append(result)
    if not results:
        errors.append(_("表头之后没有数据行。"))
    if total is not None and not total.errors and not any(r.errors for r in results):
        sums = (
            sum((r.amount for r in results), Decimal(0)),
            sum(r.projects for r in results),
            sum(r.items for r in results),
        )
        for name, expected, actual in zip(
            ("amount", "projects", "items"), total.values, sums, strict=True
        ):
            if expected != actual:
                shown = format_amount if name == "amount" else str
                errors.append(
                    _(
                        "第 {row} 行合计的“{heading}”为 {total}，各行之和为 {sum}，相差 {diff}。"
                    ).format(
                        row=total.line,
                        heading=heading[name],
                        total=shown(expected),
                        sum=shown(actual),
                        diff=shown(expected - actual),
                    )
                )
    return ImportPreview(period=period, kind=kind, rows=results, errors=errors, headings=heading)


# ── saving ───────────────────────────────────────────────────────────────────────────


def check_import_rights(preview, user, approve):
    """Refuse a file in error, or approval by someone who may not approve."""
    from accounts.roles import can

    if not preview.ok:
        raise ImportFileError(_("文件有错误，未导入任何数据。"))
    if approve and not can(user, "reporting.review_report"):
        raise PermissionDenied(_("只有省级审核员可以在导入时审核通过。"))


def open_for_import(unit, period, user, *, as_draft):
    """The unit's report for ``period``, locked, and the reason it cannot take an import (or None).

    A municipal upload (``as_draft``) obeys the same rules as the form; a province import
    may fill any report but an approved one.
    """
    from .services import lock_reason

    report, created = PledgeReport.objects.get_or_create(unit=unit, period=period)
    report = PledgeReport.objects.select_for_update().get(pk=report.pk)
    if as_draft:
        return report, lock_reason(user, unit, period, None if created else report)
    if report.state == ReportState.APPROVED:
        return report, _("报表已审核通过，数据已锁定，不能导入。如需更正，请先重新打开。")
    return report, None


def finish_import(report, user, source, *, as_draft, approve):
    """Record the import on the report: a draft stays a draft; otherwise submitted (and approved)."""
    report.version += 1
    report.updated_by = user
    report._history_user = user
    if not as_draft and report.state != ReportState.SUBMITTED:
        comment = _("从文件“{name}”导入").format(name=source)
        _log(report, WorkflowAction.SUBMIT, ReportState.SUBMITTED, user, comment)
    report.save()
    if approve and report.state == ReportState.SUBMITTED:
        _log(report, WorkflowAction.APPROVE, ReportState.APPROVED, user, _("导入时审核通过"))
        report.save()


@transaction.atomic
def apply_import(preview, user, source, *, as_draft=False, approve=False):
    """Save every row of a checked preview in one transaction; refuse the whole file otherwise.

    Province imports become submitted reports on behalf of their units (approved too with
    ``approve``); a municipal upload (``as_draft``) fills the unit's draft for it to submit.
    Returns the number of rows that changed.
    """
    check_import_rights(preview, user, approve)
    changed, problems = 0, []
    for row in preview.rows:
        report, reason = open_for_import(row.unit, preview.period, user, as_draft=as_draft)
        unchanged = row.status == "unchanged"
        if unchanged and (
            as_draft or report.state in (ReportState.SUBMITTED, ReportState.APPROVED)
        ):
            continue
        if reason:
            problems.append(f"{row.unit.name}：{reason}")
            continue
        if not unchanged:
            figure = report.figures.filter(kind=preview.kind).first() or PledgeFigures(
                report=report, kind=preview.kind
            )
            figure.amount, figure.projects, figure.items = row.values
            figure.full_clean(exclude=["report"])
            figure._history_user = user
            figure.save()
            changed += 1
        finish_import(report, user, source, as_draft=as_draft, approve=approve)
    if problems:
        raise ImportFileError("；".join(problems))
    return changed


def _log(report, action, to_state, user, comment):
    ReportTransition.objects.create(
        report=report,
        action=action,
        from_state=report.state,
        to_state=to_state,
        actor=user,
        comment=comment,
    )
    report.state = to_state
