"""Importing tables of figures: the province's and the cities' own files, read as they are.

A file is a table in the layout of 豫知〔2021〕8号's attachments (an optional title row,
the header row in any order, a row per unit, an optional 合计 row), read by
``uploads.readers.read_rows``; ``parse_figures`` checks every row and says what it would
change; ``apply_import`` saves all rows in one transaction, or none.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import can
from cities.resolver import UnitResolver, UnknownUnitError
from lib.wording import join_names, join_sentences
from uploads.parsing import (
    heading_key,
    parse_amount,
    parse_count,
    portable_limit_error,
    refusal_message,
    total_mismatch,
)
from uploads.readers import ImportFileError, read_rows, row_number, row_place, sheet_named
from workflow.models import ReportState, WorkflowAction
from workflow.services import MOVES, WorkflowError, lock_reason, province_lock_reason

from . import services
from .models import (
    FIGURE_FIELDS,
    FigureSource,
    IPKind,
    PledgeFigures,
    PledgeReport,
    validate_figures,
)
from .services import Figures, source_conflict

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


def holds_figures(rows):
    """Whether the rows hold a table of figures: a heading row naming the unit and the amount
    (how the reader finds the sheet a table is on)."""
    lookup = {heading_key(name): key for key, names in HEADINGS.items() for name in names}
    return any(
        {"unit", "amount"} <= {lookup.get(heading_key(str(text))) for text in row}
        for row in rows[:10]
    )


def read_figure_rows(content, filename=""):
    """The rows of a table of figures, from the sheet that holds it."""
    return read_rows(content, filename, table=holds_figures)


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
    hidden: bool = False  # a row the spreadsheet hides (the preview says so)
    sheet: str = ""  # its sheet, when the workbook has several
    unit: object = None
    amount: Decimal | None = None
    projects: int | None = None
    items: int | None = None
    errors: dict = field(default_factory=dict)  # column heading → message
    previous: tuple | None = None  # stored (amount, projects, items), None if new or not shown
    moves: bool = False  # the report changes state although its figures do not
    # The row replaces its unit's unsubmitted draft, which the importer may not read: what the
    # draft holds is neither shown nor compared.
    replaces_draft: bool = False
    # The row replaces a correction the unit is making (an approved report the province
    # reopened): confirmed only knowingly (the page's tick, the command's --replace-reopened).
    replaces_correction: bool = False
    state_before: str = ""  # the report's state now, as the preview names it
    outcome: str = ""  # what the report becomes once confirmed (已提交, 草稿…)

    @property
    def values(self):
        return (self.amount, self.projects, self.items)

    @property
    def status(self):
        if self.errors:
            return "error"
        if self.replaces_draft:
            return "draft"
        if self.previous is None:
            return "new"
        return "unchanged" if self.previous == self.values else "changed"

    @property
    def place(self):
        return row_place(self.line, self.hidden, self.sheet)


@dataclass
class ImportPreview:
    period: object
    kind: IPKind
    rows: list
    errors: list = field(default_factory=list)  # file-level messages
    headings: dict = field(default_factory=dict)
    versions: dict = field(default_factory=dict)  # unit id → report version seen (0: none)
    sheet: str = ""  # the worksheet read, named when the workbook has several

    @property
    def ok(self):
        return not self.errors and not any(row.errors for row in self.rows)

    @property
    def changes(self):
        return [row for row in self.rows if row.status in ("new", "changed", "draft") or row.moves]

    @property
    def corrections(self):
        """The rows that would replace a correction a unit is making."""
        return [row for row in self.changes if row.replaces_correction]

    @property
    def outcomes(self):
        """(what a report becomes, how many) over the rows a confirmation writes, in the order
        they first appear: the preview's summary is the sum of its rows, never a promise of
        its own."""
        return list(Counter(row.outcome for row in self.changes).items())


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
    if as_draft:
        return lock_reason(
            user, unit or report.unit, period or report.period, report, model=PledgeReport
        )
    return province_lock_reason(user, report, submitting=True, model=PledgeReport)


def import_outcome(report, kind, *, as_draft, approve):
    """(moves, label): whether confirming changes the report's state, and what it becomes."""
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
    keep = figure if figure is not None and figure.source == FigureSource.TYPED else None
    return Figures(
        *values,
        enterprises=getattr(keep, "enterprises", None),
        smes=getattr(keep, "smes", None),
        inclusive_projects=getattr(keep, "inclusive_projects", None),
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
    sheet = sheet_named(rows)
    for position, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        offset = row_number(row, position)  # the row's number in the file, never renumbered
        cells = row + [""] * (len(header) - len(row))
        unit_text = cells[columns["unit"]].strip()
        if not unit_text and not any(
            cells[c] for c in (columns["amount"], columns["projects"], columns["items"])
        ):
            continue
        result = RowResult(line=offset, hidden=getattr(row, "hidden", False), sheet=sheet)
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
                # The row is the refusal's reason: shown as refused, never as 新增.
                result.errors[heading["unit"]] = _("不是本单位的数据：整个文件因此未导入。")
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
        if report is not None and user is not None:
            result.replaces_draft = not can(user, "reporting.view_content_report", report)
        if report is not None:
            result.state_before = ReportState(report.state).label
            result.replaces_correction = not as_draft and report.state == ReportState.REOPENED
        if figure is not None and not result.replaces_draft:
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
            message = total_mismatch(total.line, heading[name], expected, actual)
            if message:
                errors.append(message)
    return ImportPreview(
        sheet=sheet,
        period=period,
        kind=kind,
        rows=parsed,
        errors=errors,
        headings=heading,
        versions=versions,
    )


def _check_row(result, user, report, figure, kind, heading, period, as_draft):
    """The rules the confirmation will apply to this row, checked now (named by column)."""
    if user is not None:
        reason = import_refusal(user, report, as_draft=as_draft, unit=result.unit, period=period)
        if reason:
            result.errors[heading["unit"]] = reason
            return
    figures = full_figures(kind, result.values, figure)
    conflict = source_conflict(figure, kind, FigureSource.TYPED, new=figures)
    if conflict:
        # Over a draft the importer may not read, without saying what in it conflicts.
        result.errors[heading["amount"]] = (
            _("{unit}有未提交的草稿，本行不能覆盖其中的数据；请待该单位提交后再导入。").format(
                unit=result.unit.name
            )
            if result.replaces_draft
            else conflict
        )
        return
    result.errors.update(check_figures(kind, figures, heading))


# ── saving ───────────────────────────────────────────────────────────────────────────


def check_import_rights(preview, user, approve):
    """Refuse a file in error, or approval by someone who may not approve."""
    if not preview.ok:
        raise ImportFileError(_("文件有错误，未导入任何数据。"))
    if approve and not can(user, "reporting.review_report"):
        raise PermissionDenied(_("只有省级审核员可以在导入时审核通过。"))


@transaction.atomic
def apply_import(
    preview, user, source, *, as_draft=False, approve=False, versions=None, replace_reopened=False
):
    """Save every row of a checked preview in one transaction; refuse the whole file otherwise.

    Every row goes through the services, as the report form does: a municipal upload
    (``as_draft``) saves the unit's draft; a province import is the move 省局导入 (approved
    too with ``approve``). ``versions``: the report versions the preview showed ({unit id:
    version}); a report changed since is refused. Returns the number of rows that changed.
    """
    check_import_rights(preview, user, approve)
    if preview.corrections and not replace_reopened:
        raise ImportFileError(
            _(
                "{units}的报表正在更正中（省局已重新打开）：导入会替换该单位正在进行的更正。请确认后再导入。"
            ).format(units=join_names(row.unit.name for row in preview.corrections))
        )
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
        except (WorkflowError, ValidationError, PermissionDenied) as error:
            problems.append(refusal_message(row.unit, error))
            continue
        changed += 1
    if problems:
        raise ImportFileError(join_sentences(problems))
    return changed
