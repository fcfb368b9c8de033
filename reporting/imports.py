"""The import engine: the province's and the cities' own files, read as they are.

A file is a table in the layout of 豫知〔2021〕8号's attachments (an optional title row,
the header row in any order, a row per unit, an optional 合计 row) as CSV (UTF-8, UTF-8
with BOM or GB18030/GBK, detected), XLSX or legacy XLS. ``read_rows`` turns the bytes
into rows of text, refusing hostile files quickly; ``parse_figures`` checks every row and
says what it would change; ``apply_import`` saves all rows in one transaction, or none.
"""

import csv
import datetime
import io
import math
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cities.resolver import UnitResolver, UnknownUnitError
from lib.numbers import CENT, format_amount
from lib.wording import join_clauses, join_names

from .models import (
    FIGURE_FIELDS,
    FigureSource,
    IPKind,
    PledgeFigures,
    PledgeReport,
    ReportState,
    WorkflowAction,
    validate_figures,
)

MAX_COLUMNS = 50
# A table of figures has tens of rows and a few columns. The row limit is the highest row
# number (a bordered template may run further than its data); the cells are what costs.
MAX_ROWS = 5000
MAX_CELLS = 20_000
MAX_LINE = 20_000  # characters in one CSV line


class ImportFileError(ValueError):
    """The file as a whole cannot be read; nothing is saved."""


# ── reading ─────────────────────────────────────────────────────────────────────────


def read_rows(content, filename="", max_rows=None, max_cells=None):
    """The file's rows as lists of strings. Format by content, not by name.

    ``max_rows`` and ``max_cells`` bound the work a file can cause (by default those of a table
    of figures); an XLSX is checked against them before it is read.
    """
    max_rows = max_rows or MAX_ROWS
    max_cells = max_cells or MAX_CELLS
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
        rows = _read_xlsx(content, max_rows, max_cells)
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
    if isinstance(value, float) and math.isfinite(value):
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


def _read_xlsx(content, max_rows, max_cells):
    from lib.xlsx import Budget, UnreadableSpreadsheet, read_xlsx

    try:
        rows, _sheet = read_xlsx(
            content, Budget(rows=max_rows, cells=max_cells, columns=MAX_COLUMNS)
        )
    except UnreadableSpreadsheet as error:
        raise ImportFileError(str(error)) from error
    return rows


def _read_xls(content, max_rows):
    import xlrd

    from lib.xlsx import cell_error

    try:
        book = xlrd.open_workbook(file_contents=content, on_demand=True)
        sheet = book.sheet_by_index(0)
    except Exception as error:  # xlrd raises XLRDError and struct errors on a broken file
        raise ImportFileError(_("文件已损坏，无法作为 XLS 打开。")) from error
    if sheet.nrows > max_rows:
        raise ImportFileError(_("文件超过 {limit} 行。").format(limit=max_rows))
    rows = []
    for number in range(sheet.nrows):
        types = sheet.row_types(number, 0, MAX_COLUMNS)
        if xlrd.XL_CELL_ERROR in types:
            column = list(types).index(xlrd.XL_CELL_ERROR)
            error = xlrd.error_text_from_code.get(sheet.cell_value(number, column), "#N/A")
            raise ImportFileError(str(cell_error(sheet.name, xlrd.cellname(number, column), error)))
        rows.append(sheet.row_values(number, 0, MAX_COLUMNS))
    return rows


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
    try:
        cents = amount.quantize(CENT)
    except InvalidOperation as error:  # 1e400: a number, too long to be written in 分
        raise ValueError(_("“{text}”不是金额。").format(text=str(text).strip())) from error
    if amount != cents:
        raise ValueError(_("金额“{text}”超过两位小数。").format(text=str(text).strip()))
    return cents


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


YES = {"是", "y", "yes", "true", "1", "√"}
NO = {"否", "n", "no", "false", "0"}


def parse_yes_no(text, *, yes=(), no=()):
    """是 or 否 (y/n, yes/no, true/false, 1/0, √), and the words ``yes`` and ``no`` a column
    adds (中小微, 失效…); ValueError with a message otherwise."""
    value = unicodedata.normalize("NFKC", str(text)).strip().lower()
    if value in YES or value in yes:
        return True
    if value in NO or value in no:
        return False
    raise ValueError(_("请填“是”或“否”，而不是“{text}”。").format(text=str(text).strip()))


DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def parse_date(text):
    """2020-03-05, 2020/3/5, 2020.3.5, 2020年3月5日, 20200305, or an Excel date cell."""
    value = unicodedata.normalize("NFKC", str(text)).strip()
    value = re.sub(r"\s+00:00(:00)?$", "", value)  # a date cell read from XLSX
    match = DATE.match(value) or re.match(r"^(\d{4})(\d{2})(\d{2})$", value)
    if not match:
        raise ValueError(_("“{text}”不是日期（如 2020-03-05）。").format(text=str(text).strip()))
    try:
        return datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as error:
        raise ValueError(_("“{text}”不是有效日期。").format(text=str(text).strip())) from error


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
        # The file's own heading, in Chinese whatever the language: the kind's items heading
        # would be translated.
        _("找不到表头：需要“地市”“金额（万元）”“项目数”“{items}”四列。").format(
            items=HEADINGS[f"{IPKind(kind).value}_items"][0]
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
    previous: tuple | None = None  # stored (amount, projects, items), None if new or not shown
    moves: bool = False  # the report changes state although its figures do not
    outcome: str = ""  # what the report becomes once confirmed (已提交, 草稿…)

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
    versions: dict = field(default_factory=dict)  # unit id → report version seen (0: none)

    @property
    def ok(self):
        return not self.errors and not any(row.errors for row in self.rows)

    @property
    def changes(self):
        return [row for row in self.rows if row.status in ("new", "changed") or row.moves]


def stored_reports(period, unit_ids, kind=None):
    """{unit id: (report, {kind: figures})} for the units the user may see, in two queries.

    A preview reads stored data through this only: rows of other units show nothing.
    """
    if period.pk is None or not unit_ids:
        return {}
    reports = PledgeReport.objects.filter(period=period, unit_id__in=unit_ids).prefetch_related(
        "figures"
    )
    return {report.unit_id: (report, report.figures_by_kind()) for report in reports}


def import_refusal(user, report, *, as_draft, unit=None, period=None):
    """Why this user's import cannot change the report now (the services' own rule), or None."""
    from .services import lock_reason, province_lock_reason

    if as_draft:
        return lock_reason(user, unit or report.unit, period or report.period, report)
    return province_lock_reason(user, report, submitting=True)


def import_outcome(report, kind, *, as_draft, approve):
    """(moves, label): whether confirming changes the report's state, and what it becomes."""
    from .services import MOVES

    state = report.state if report else ReportState.DRAFT
    if as_draft:
        return False, ReportState(state).label
    present = set(report.figures_by_kind()) if report else set()
    missing = [k for k in IPKind if k != kind and k not in present]
    if missing:
        return False, _("{state}（尚缺{kinds}数据，暂不提交）").format(
            state=ReportState(state).label, kinds=join_names(k.label for k in missing)
        )
    target = ReportState.APPROVED if approve else MOVES[WorkflowAction.IMPORT].target
    return state != target, ReportState(target).label


def full_figures(kind, values, figure):
    """The kind's six figures once the file's three are written over the stored ones."""
    from .services import Figures

    keep = figure if figure is not None and figure.source == FigureSource.TYPED else None
    return Figures(
        *values,
        enterprises=getattr(keep, "enterprises", None),
        smes=getattr(keep, "smes", None),
        inclusive_projects=getattr(keep, "inclusive_projects", None),
    )


def portable_limit_error(model_field, value):
    """The integer range every supported database enforces (SQLite alone would take more)."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    bounds = BaseDatabaseOperations.integer_field_ranges.get(model_field.get_internal_type())
    if bounds is None or not isinstance(value, int) or bounds[0] <= value <= bounds[1]:
        return None
    return _("{value} 超出允许的范围（{low}–{high}）。").format(
        value=value, low=bounds[0], high=bounds[1]
    )


def check_figures(kind, figures, heading):
    """Every model rule (ranges, digits, the check constraints) on the figures a row would store.

    Returns {column heading: message}; figures the file does not carry are named as stored.
    """
    instance = PledgeFigures(kind=kind)
    errors = {}
    for name, value in zip(FIGURE_FIELDS, figures.as_tuple(), strict=True):
        setattr(instance, name, value)
        message = portable_limit_error(PledgeFigures._meta.get_field(name), value)
        if message:
            errors[heading.get(name, name)] = message
    try:
        instance.full_clean(exclude=["report"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            text = " ".join(messages)
            if name in heading:
                errors.setdefault(heading[name], text)
            else:  # a stored figure the file does not change (惠及企业数…)
                column = heading.get("projects", name)
                errors.setdefault(
                    column, _("与报表中已保存的数据不符：{message}").format(message=text)
                )
    return errors


def parse_figures(
    rows, period, kind, user=None, restrict_to_units=None, *, as_draft=False, approve=False
):
    """Check every row of a table of figures and compare it with what is stored.

    ``restrict_to_units``: the unit ids a municipal submitter may import (None: any unit);
    rows of other units are refused and nothing stored about them is read. Each row is
    checked against every rule its confirmation will meet (the report's state, the
    deadline, contracts, the stored figures), so that whatever the preview accepts, the
    confirmation saves.
    """
    kind = IPKind(kind)
    header_index, columns = _find_header(rows, kind)
    header = rows[header_index]
    heading = {name: header[column] for name, column in columns.items()}
    resolver = UnitResolver()
    parsed, errors, seen = [], [], {}
    total = None
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
        parsed.append(result)
    visible = {
        r.unit.pk
        for r in parsed
        if r.unit is not None and (restrict_to_units is None or r.unit.pk in restrict_to_units)
    }
    stored = stored_reports(period, visible)
    versions = {}
    for result in parsed:
        if result.unit is None or result.unit.pk not in visible:
            continue
        report, figures = stored.get(result.unit.pk, (None, {}))
        versions[str(result.unit.pk)] = report.version if report else 0
        figure = figures.get(kind)
        if figure is not None:
            result.previous = (figure.amount, figure.projects, figure.items)
        if result.errors:
            continue
        result.moves, result.outcome = import_outcome(
            report, kind, as_draft=as_draft, approve=approve
        )
        if result.status == "unchanged" and not result.moves:
            continue
        _check_row(result, user, report, figure, kind, heading, period, as_draft)
    if not parsed:
        errors.append(_("表头之后没有数据行。"))
    if total is not None and not total.errors and not any(r.errors for r in parsed):
        sums = (
            sum((r.amount for r in parsed), Decimal(0)),
            sum(r.projects for r in parsed),
            sum(r.items for r in parsed),
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
    return ImportPreview(
        period=period, kind=kind, rows=parsed, errors=errors, headings=heading, versions=versions
    )


def _check_row(result, user, report, figure, kind, heading, period, as_draft):
    """The rules the confirmation will apply to this row, checked now (named by column)."""
    from .services import source_conflict

    if user is not None:
        reason = import_refusal(user, report, as_draft=as_draft, unit=result.unit, period=period)
        if reason:
            result.errors[heading["unit"]] = reason
            return
    figures = full_figures(kind, result.values, figure)
    conflict = source_conflict(figure, kind, FigureSource.TYPED, new=figures)
    if conflict:
        result.errors[heading["amount"]] = conflict
        return
    result.errors.update(check_figures(kind, figures, heading))


# ── saving ───────────────────────────────────────────────────────────────────────────


def check_import_rights(preview, user, approve):
    """Refuse a file in error, or approval by someone who may not approve."""
    from accounts.roles import can

    if not preview.ok:
        raise ImportFileError(_("文件有错误，未导入任何数据。"))
    if approve and not can(user, "reporting.review_report"):
        raise PermissionDenied(_("只有省级审核员可以在导入时审核通过。"))


def refusal_message(unit, error):
    """One unit's refusal at confirmation, as the import's message names it."""
    if isinstance(error, ValidationError):
        text = join_clauses(
            message for messages in error.message_dict.values() for message in messages
        )
    else:
        text = getattr(error, "message", None) or str(error)
    return _("{unit}：{reason}").format(unit=unit.name, reason=text)


@transaction.atomic
def apply_import(preview, user, source, *, as_draft=False, approve=False, versions=None):
    """Save every row of a checked preview in one transaction; refuse the whole file otherwise.

    Every row goes through the services, as the report form does: a municipal upload
    (``as_draft``) saves the unit's draft; a province import is the move 省局导入 (approved
    too with ``approve``). ``versions``: the report versions the preview showed ({unit id:
    version}); a report changed since is refused. Returns the number of rows that changed.
    """
    from . import services

    check_import_rights(preview, user, approve)
    versions = preview.versions if versions is None else versions
    changed, problems = 0, []
    rows = [row for row in preview.rows if row.status != "unchanged" or row.moves]
    # Read once for the whole file; the version check under each report's lock makes sure
    # nothing changed since.
    stored = stored_reports(preview.period, {row.unit.pk for row in rows})
    for row in rows:
        _report, figures = stored.get(row.unit.pk, (None, {}))
        figure = figures.get(preview.kind)
        figures = {preview.kind: full_figures(preview.kind, row.values, figure)}
        expected = versions.get(str(row.unit.pk))
        try:
            if as_draft:
                services.save_figures(
                    user, row.unit, preview.period, figures, expected_version=expected
                )
            else:
                services.import_figures(
                    user,
                    row.unit,
                    preview.period,
                    figures,
                    filename=source,
                    expected_version=expected,
                    approve=approve,
                )
        except (services.WorkflowError, ValidationError, PermissionDenied) as error:
            problems.append(refusal_message(row.unit, error))
            continue
        changed += 1
    if problems:
        raise ImportFileError(join_clauses(problems))
    return changed
