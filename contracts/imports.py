"""Importing pledge contracts (line items); a report's figures are then derived from them.

Files are read by ``uploads.readers.read_rows`` (the same formats and hostile-file
limits as the tables of figures); every row is checked, nothing is saved while any row is
in error, and confirming replaces each (unit, kind)'s contracts in one transaction.
"""

import datetime
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from accounts.roles import can
from cities.resolver import UnitResolver, UnknownUnitError
from lib.banks import bank_group
from lib.numbers import CENT
from lib.wording import join_sentences
from reporting import services
from reporting.imports import check_import_rights, import_outcome, import_refusal, stored_reports
from reporting.models import FIGURE_FIELDS, FigureSource, IPKind, PledgeReport
from reporting.queries import figure_label, show_figure
from uploads.parsing import (
    heading_key,
    parse_amount,
    parse_count,
    parse_date,
    parse_yes_no,
    portable_limit_error,
    refusal_message,
    total_mismatch,
)
from uploads.readers import ImportFileError, read_rows, row_number, row_place, sheet_named
from workflow.services import WorkflowError, open_report

from .models import INCLUSIVE_LIMIT, ContractBatch, PledgeContract, validate_uscc

COLUMNS = {
    "unit": ["地市", "填报单位", "单位"],
    "kind": ["类别", "知识产权类别"],
    "pledgor": ["出质人", "出质人名称", "企业名称", "出质企业"],
    "uscc": ["统一社会信用代码", "信用代码", "社会信用代码"],
    "is_sme": ["是否中小微企业", "中小微企业"],
    "bank": ["质权人(银行)", "质权人", "贷款银行", "银行"],
    "registration_number": ["质押登记号", "登记号"],
    "items": ["件数", "专利件数", "商标件数", "专利数", "商标数", "质押件数"],
    "amount": ["金额(万元)", "质押金额(万元)", "贷款金额(万元)"],
    "effective_on": ["质权设立日", "质权设立日期", "登记日期"],
    "loan_term_months": ["贷款期限(月)", "贷款期限", "期限(月)"],
}
# Rows in one file: a national-scale year is about 20,000. A contract has a dozen columns;
# sixteen cells a row leave room for a few more, and bound what one upload can cost.
MAX_CONTRACTS = 25_000
MAX_CONTRACT_CELLS = MAX_CONTRACTS * 16
REQUIRED = ["pledgor", "uscc", "bank", "registration_number", "items", "amount", "effective_on"]
HEADINGS = {
    "unit": "地市",
    "kind": "类别",
    "pledgor": "出质人",
    "uscc": "统一社会信用代码",
    "is_sme": "是否中小微企业",
    "bank": "质权人（银行）",
    "registration_number": "质押登记号",
    "items": "件数",
    "amount": "金额（万元）",
    "effective_on": "质权设立日",
    "loan_term_months": "贷款期限（月）",
}
KINDS = {
    "专利": IPKind.PATENT,
    "patent": IPKind.PATENT,
    "商标": IPKind.TRADEMARK,
    "trademark": IPKind.TRADEMARK,
}
FIELDS = (
    "pledgor",
    "uscc",
    "is_sme",
    "bank",
    "registration_number",
    "items",
    "amount",
    "effective_on",
    "loan_term_months",
)


def parse_sme(text):
    """是否中小微企业: 是 or 否, 中小微 for yes, and an empty cell for no."""
    return parse_yes_no(text, yes={"中小微"}, no={""})


@dataclass
class ContractRow:
    line: int
    hidden: bool = False  # a row the spreadsheet hides (the preview says so)
    sheet: str = ""  # its sheet, when the workbook has several
    unit: object = None
    kind: str = ""
    values: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)

    @property
    def place(self):
        return row_place(self.line, self.hidden, self.sheet)


@dataclass
class ContractGroup:
    """The contracts of one unit and kind, and the figures they give."""

    unit: object
    kind: str
    rows: list
    previous: frozenset | None = None  # stored contracts, as comparable tuples
    before: object = None  # the kind's stored figures (PledgeFigures) or None
    moves: bool = False  # confirming changes the report's state
    outcome: str = ""  # what the report becomes
    # The contracts replace their unit's unsubmitted draft, which the importer may not read:
    # what the draft holds is neither shown nor compared.
    replaces_draft: bool = False

    @property
    def status(self):
        if self.replaces_draft:
            return "draft"
        if self.previous is None:
            return "new"
        return (
            "unchanged"
            if self.previous == frozenset(_key(r.values) for r in self.rows)
            else "changed"
        )

    @property
    def after(self):
        """The figures these contracts give (the database computes the same on confirmation)."""
        values = [row.values for row in self.rows]
        return services.Figures(
            amount=sum((v["amount"] for v in values), Decimal(0)),
            projects=len(values),
            items=sum(v["items"] for v in values),
            enterprises=len({v["uscc"] for v in values}),
            smes=len({v["uscc"] for v in values if v["is_sme"]}),
            inclusive_projects=sum(1 for v in values if v["amount"] < INCLUSIVE_LIMIT),
        )

    @property
    def changes(self):
        """(label, old, new) for each of the kind's figures, as the preview shows them."""
        before = self.before
        return [
            (
                name,
                getattr(before, name) if before is not None else None,
                value,
            )
            for name, value in zip(FIGURE_FIELDS, self.after.as_tuple(), strict=True)
        ]

    def get_kind_display(self):
        return IPKind(self.kind).label

    @property
    def change_rows(self):
        """The changes as the page prints them: (label, old, new) in words."""
        kind = IPKind(self.kind)
        return [
            (figure_label(kind, name), "—" if self.replaces_draft else show_figure(old),
             show_figure(new))
            for name, old, new in self.changes
        ]  # fmt: skip

    @property
    def replaces_typed(self):
        """Typed figures that these contracts would replace with other values: needs a yes.
        (Not asked over a draft the importer may not read: the import replaces the draft, and
        the question would tell its figures.)"""
        return not self.replaces_draft and (
            services.source_conflict(self.before, self.kind, FigureSource.DERIVED, new=self.after)
            is not None
        )


@dataclass
class ContractPreview:
    period: object
    rows: list
    groups: list
    errors: list = field(default_factory=list)
    versions: dict = field(default_factory=dict)  # unit id → report version seen (0: none)
    sheet: str = ""  # the worksheet read, named when the workbook has several

    @property
    def ok(self):
        return not self.errors and not any(row.errors for row in self.rows)

    @property
    def error_rows(self):
        return [row for row in self.rows if row.errors]

    @property
    def needs_confirmation(self):
        """Some of the file's contracts would replace figures typed by hand."""
        return any(group.replaces_typed for group in self.groups if group.status != "unchanged")


def _key(values):
    return tuple(values[name] for name in FIELDS)


def _columns(rows):
    lookup = {heading_key(name): key for key, names in COLUMNS.items() for name in names}
    for index, row in enumerate(rows[:10]):
        found = {}
        for column, text in enumerate(row):
            name = lookup.get(heading_key(text))
            if name and name not in found:
                found[name] = column
        if all(name in found for name in REQUIRED):
            return index, found
    raise ImportFileError(
        _("找不到质押合同的表头：需要“{columns}”等列。").format(
            columns="”“".join(HEADINGS[name] for name in REQUIRED)
        )
    )


def _field_limit_error(name, value):
    """The column's own limits (length, digits, range): what the database would refuse."""
    if value is None or value == "":
        return None
    model_field = PledgeContract._meta.get_field(name)
    message = portable_limit_error(model_field, value)
    if message:
        return message
    try:
        model_field.run_validators(value)
    except ValidationError as error:
        return " ".join(error.messages)
    if name == "bank":  # the bank's group is stored too, and must fit as well
        try:
            PledgeContract._meta.get_field("bank_group").run_validators(bank_group(value))
        except ValidationError as error:
            return " ".join(error.messages)
    return None


TOTAL_LABELS = {"合计", "总计", "全省", "全省合计", "小计"}
# The columns that name a contract: a row whose first filled one says 合计 is a total.
IDENTIFYING = ("unit", "kind", "pledgor", "uscc", "bank", "registration_number")


def _is_total(cells, columns):
    for name in IDENTIFYING:
        if name in columns and cells[columns[name]].strip():
            return heading_key(cells[columns[name]]) in TOTAL_LABELS
    return False


def _total_errors(total, results):
    """The 合计 row's amount and count against the sums of the rows: a message per difference
    (or per unreadable figure)."""
    line, amount_text, items_text = total
    errors = []
    for name, text, parse in (
        ("amount", amount_text, parse_amount),
        ("items", items_text, parse_count),
    ):
        if not str(text).strip():
            continue
        try:
            expected = parse(text)
        except ValueError as error:
            errors.append(
                _("第 {row} 行合计的“{heading}”：{reason}").format(
                    row=line, heading=HEADINGS[name], reason=error
                )
            )
            continue
        actual = sum((r.values[name] for r in results), Decimal(0) if name == "amount" else 0)
        message = total_mismatch(line, HEADINGS[name], expected, actual)
        if message:
            errors.append(message)
    return errors


def holds_contracts(rows):
    """Whether the rows hold a table of contracts (how the reader finds its sheet)."""
    try:
        _columns(rows)
    except ImportFileError:
        return False
    return True


def read_contract_rows(content, filename=""):
    """The rows of a contracts file, within the limits of a contracts file, from the sheet
    that holds them."""
    return read_rows(
        content,
        filename,
        max_rows=MAX_CONTRACTS,
        max_cells=MAX_CONTRACT_CELLS,
        table=holds_contracts,
    )


def parse_contracts(
    rows,
    period,
    *,
    unit=None,
    kind=None,
    restrict_to_units=None,
    user=None,
    as_draft=False,
    approve=False,
):
    """Check every contract row; ``unit`` and ``kind`` apply where the file has no such column.

    As with tables of figures, nothing stored about a unit the user may not import for is
    read, and every rule the confirmation will meet is checked here.
    """
    header_index, columns = _columns(rows)
    if "unit" not in columns and unit is None:
        raise ImportFileError(_("文件没有“地市”列：请指定填报单位。"))
    if "kind" not in columns and kind is None:
        raise ImportFileError(_("文件没有“类别”列：请指定专利或商标。"))
    resolver = UnitResolver()
    results, errors = [], []
    seen, pledgors = {}, {}
    total = None
    sheet = sheet_named(rows)
    for position, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        line = row_number(row, position)  # the row's number in the file, never renumbered
        cells = row + [""] * (max(columns.values()) + 1 - len(row))
        if not any(cells[c] for c in columns.values()):
            continue
        if _is_total(cells, columns):
            # A hand-made 合计 row: checked against the rows, as the figures import checks it.
            total = (line, cells[columns["amount"]], cells[columns["items"]])
            continue
        result = ContractRow(line=line, hidden=getattr(row, "hidden", False), sheet=sheet)
        results.append(result)
        if "unit" in columns:
            try:
                result.unit = resolver.resolve(cells[columns["unit"]])
            except UnknownUnitError as error:
                result.errors[HEADINGS["unit"]] = str(error)
        else:
            result.unit = unit
        if "kind" in columns:
            result.kind = KINDS.get(
                unicodedata.normalize("NFKC", cells[columns["kind"]]).strip().lower(), ""
            )
            if not result.kind:
                result.errors[HEADINGS["kind"]] = _("类别须为“专利”或“商标”。")
        else:
            result.kind = IPKind(kind)
        text = {name: cells[column].strip() for name, column in columns.items()}
        parsers = {
            "items": parse_count,
            "amount": parse_amount,
            "effective_on": parse_date,
            "is_sme": parse_sme,
            "loan_term_months": lambda v: parse_count(v) if v else None,
        }
        values = {"is_sme": False, "loan_term_months": None}
        for name in ("pledgor", "uscc", "bank", "registration_number"):
            values[name] = unicodedata.normalize("NFKC", text.get(name, "")).strip()
            if not values[name]:
                result.errors[HEADINGS[name]] = _("不能为空。")
        values["uscc"] = values["uscc"].upper().replace(" ", "")
        for name, parse in parsers.items():
            if name not in text:
                continue
            try:
                values[name] = parse(text[name])
            except ValueError as error:
                result.errors[HEADINGS[name]] = str(error)
        result.values = values
        if values["uscc"] and HEADINGS["uscc"] not in result.errors:
            try:
                validate_uscc(values["uscc"])
            except ValidationError as error:
                result.errors[HEADINGS["uscc"]] = error.messages[0]
        for name, value in values.items():
            if name not in result.errors and HEADINGS.get(name) not in result.errors:
                message = _field_limit_error(name, value)
                if message:
                    result.errors[HEADINGS[name]] = message
        if "amount" in values and values.get("amount") is not None and values["amount"] <= 0:
            result.errors[HEADINGS["amount"]] = _("金额必须大于 0。")
        if values.get("items") == 0:
            result.errors[HEADINGS["items"]] = _("件数至少为 1。")
        day = values.get("effective_on")
        if isinstance(day, datetime.date) and not (period.starts_on <= day <= period.ends_on):
            result.errors[HEADINGS["effective_on"]] = _(
                "质权设立日 {day} 不在{period}（{start} 至 {end}）内：合同按质权设立日计入报送周期。"
            ).format(day=day, period=period.label, start=period.starts_on, end=period.ends_on)
        if (
            result.unit is not None
            and restrict_to_units is not None
            and result.unit.pk not in restrict_to_units
        ):
            errors.append(
                _("第 {row} 行是{unit}的合同，您只能导入本单位的数据，整个文件未导入。").format(
                    row=line, unit=result.unit.name
                )
            )
            result.errors[HEADINGS["unit"]] = _("不是本单位的合同：整个文件因此未导入。")
        key = (getattr(result.unit, "pk", None), result.kind, values.get("registration_number"))
        if values.get("registration_number") and key in seen:
            result.errors[HEADINGS["registration_number"]] = _(
                "质押登记号与第 {row} 行重复。"
            ).format(row=seen[key])
        seen.setdefault(key, line)
        # One 统一社会信用代码 is one enterprise: two names for it are a typing slip (or an old
        # name), and the province would count one enterprise under two names.
        code, name = values.get("uscc"), "".join(values.get("pledgor", "").split())
        if code and name and HEADINGS["uscc"] not in result.errors:
            first_line, first_name = pledgors.setdefault(code, (line, name))
            if first_name != name and HEADINGS["pledgor"] not in result.errors:
                result.errors[HEADINGS["pledgor"]] = _(
                    "统一社会信用代码与第 {row} 行相同，出质人却是“{name}”：同一企业请写同一名称。"
                ).format(row=first_line, name=first_name)
    if not results:
        errors.append(_("表头之后没有数据行。"))
    if total is not None and not any(r.errors for r in results):
        errors += _total_errors(total, results)
    groups, versions = [], {}
    if not errors and not any(r.errors for r in results):
        grouped = defaultdict(list)
        for row in results:
            grouped[(row.unit, row.kind)].append(row)
        unit_ids = {group_unit.pk for group_unit, _kind in grouped}
        stored = stored_reports(period, unit_ids)
        contracts = defaultdict(set)
        if stored:
            existing = PledgeContract.objects.filter(
                report__period=period, report__unit_id__in=unit_ids
            ).values_list("report__unit_id", "kind", *FIELDS)
            for unit_id, contract_kind, *fields in existing:
                contracts[(unit_id, contract_kind)].add(tuple(fields))
        for (group_unit, group_kind), group_rows in grouped.items():
            report, figures = stored.get(group_unit.pk, (None, {}))
            versions[str(group_unit.pk)] = report.version if report else 0
            previous = contracts.get((group_unit.pk, group_kind))
            group = ContractGroup(
                group_unit,
                group_kind,
                group_rows,
                frozenset(previous) if previous else None,
                before=figures.get(IPKind(group_kind)),
            )
            group.replaces_draft = (
                report is not None
                and user is not None
                and not can(user, "reporting.view_content_report", report)
            )
            group.moves, group.outcome = import_outcome(
                report, IPKind(group_kind), as_draft=as_draft, approve=approve
            )
            groups.append(group)
            if group.status == "unchanged" and not group.moves:
                continue
            reason = user is not None and import_refusal(
                user, report, as_draft=as_draft, unit=group_unit, period=period
            )
            if reason:
                errors.append(
                    _("{unit}（{kind}）：{reason}").format(
                        unit=group_unit.name, kind=IPKind(group_kind).label, reason=reason
                    )
                )
    return ContractPreview(
        sheet=sheet,
        period=period,
        rows=results,
        groups=groups,
        errors=errors,
        versions=versions,
    )


def _figures_before(figure):
    if figure is None:
        return None
    return {
        name: None if (v := getattr(figure, name)) is None else str(v) for name in FIGURE_FIELDS
    }


@transaction.atomic
def apply_contracts(
    preview, user, source, *, as_draft=False, approve=False, versions=None, replace_typed=False
):
    """Replace each (unit, kind)'s contracts with the file's and derive the figures, in one transaction.

    The figures are written by the services, as the report form does: a municipal upload
    keeps the unit's draft, a province import is the move 省局导入. Contracts replace figures
    typed by hand only with ``replace_typed`` (the user confirmed the preview's old → new).
    Each (unit, kind) imported is a ``ContractBatch`` that can be withdrawn.
    Returns the number of contracts imported.
    """
    check_import_rights(preview, user, approve)
    if preview.needs_confirmation and not replace_typed:
        raise ImportFileError(
            _(
                "导入的质押合同将替换手工填写的数据：请核对预览中的原数据和导入后的数据，勾选确认后再导入。"
            )
        )
    versions = dict(preview.versions if versions is None else versions)
    changed, problems = 0, []
    for group in preview.groups:
        if group.status == "unchanged" and not group.moves:
            continue
        try:
            changed += _apply_group(
                group, preview.period, user, source, as_draft, approve, versions, replace_typed
            )
        except (WorkflowError, ValidationError, PermissionDenied) as error:
            problems.append(refusal_message(group.unit, error))
            continue
        # The unit's other kind, next, finds the report as this import left it: the version
        # the preview saw guards against others' changes, not against this import's own.
        versions[str(group.unit.pk)] = (
            PledgeReport.objects.filter(unit=group.unit, period=preview.period)
            .values_list("version", flat=True)
            .first()
        )
    if problems:
        raise ImportFileError(join_sentences(problems))
    return changed


@transaction.atomic
def _apply_group(group, period, user, source, as_draft, approve, versions, replace_typed):
    expected = versions.get(str(group.unit.pk))
    report = open_report(group.unit, period, user, model=PledgeReport, expected_version=expected)
    reason = import_refusal(user, report, as_draft=as_draft, unit=group.unit, period=period)
    if reason:
        raise WorkflowError(reason)
    kind = IPKind(group.kind)
    figure = report.figures.filter(kind=kind).first()
    PledgeContract.objects.filter(report=report, kind=kind).delete()
    batch = ContractBatch.objects.create(
        report=report,
        kind=kind,
        filename=source[:200],
        contract_count=len(group.rows),
        imported_by=user,
        figures_before=_figures_before(figure),
    )
    PledgeContract.objects.bulk_create(
        [
            PledgeContract(
                report=report,
                batch=batch,
                kind=kind,
                bank_group=bank_group(row.values["bank"]),
                **row.values,
            )
            for row in group.rows
        ],
        batch_size=2000,
    )
    figures = {kind: derived_figures(report, kind)}
    options = {
        "expected_version": expected,
        "source": FigureSource.DERIVED,
        "replace_source": replace_typed or group.replaces_draft,
    }
    if as_draft:
        services.save_figures(user, group.unit, period, figures, **options)
    else:
        services.import_figures(
            user, group.unit, period, figures, filename=source, approve=approve, **options
        )
    return len(group.rows)


def derived_figures(report, kind):
    """A report's figures for ``kind`` from its contracts, computed by the database."""
    totals = PledgeContract.objects.filter(report=report, kind=kind).aggregate(
        n_projects=Count("pk"),
        n_items=Sum("items"),
        total=Sum("amount"),
        n_enterprises=Count("uscc", distinct=True),
        n_smes=Count("uscc", distinct=True, filter=Q(is_sme=True)),
        n_inclusive=Count("pk", filter=Q(amount__lt=INCLUSIVE_LIMIT)),
    )
    return services.Figures(
        # SQLite sums decimals as floats: back to cents (PostgreSQL's numeric sum is exact anyway).
        amount=Decimal(totals["total"] or 0).quantize(CENT),
        projects=totals["n_projects"],
        items=totals["n_items"] or 0,
        enterprises=totals["n_enterprises"],
        smes=totals["n_smes"],
        inclusive_projects=totals["n_inclusive"],
    )
