"""Importing pledge contracts (line items); a report's figures are then derived from them.

Files are read by ``reporting.imports.read_rows`` (the same formats and hostile-file
limits as the tables of figures); every row is checked, nothing is saved while any row is
in error, and confirming replaces each (unit, kind)'s contracts in one transaction.
"""

import datetime
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from cities.resolver import UnitResolver, UnknownUnitError
from lib.numbers import CENT
from reporting.imports import (
    ImportFileError,
    check_import_rights,
    finish_import,
    heading_key,
    open_for_import,
    parse_amount,
    parse_count,
)
from reporting.models import IPKind, PledgeFigures

from .banks import bank_group
from .models import INCLUSIVE_LIMIT, PledgeContract, validate_uscc

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
MAX_CONTRACTS = 200_000  # rows in one file: a national-scale year is about 20,000
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
YES = {"是", "y", "yes", "true", "1", "√", "中小微"}
NO = {"否", "n", "no", "false", "0", ""}
KINDS = {
    "专利": IPKind.PATENT,
    "patent": IPKind.PATENT,
    "商标": IPKind.TRADEMARK,
    "trademark": IPKind.TRADEMARK,
}
DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
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


def parse_yes_no(text):
    value = unicodedata.normalize("NFKC", str(text)).strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise ValueError(_("请填“是”或“否”，而不是“{text}”。").format(text=str(text).strip()))


@dataclass
class ContractRow:
    line: int
    unit: object = None
    kind: str = ""
    values: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)


@dataclass
class ContractGroup:
    """The contracts of one unit and kind, and the figures they give."""

    unit: object
    kind: str
    rows: list
    previous: frozenset | None = None  # stored contracts, as comparable tuples

    @property
    def status(self):
        if self.previous is None:
            return "new"
        return (
            "unchanged"
            if self.previous == frozenset(_key(r.values) for r in self.rows)
            else "changed"
        )


@dataclass
class ContractPreview:
    period: object
    rows: list
    groups: list
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors and not any(row.errors for row in self.rows)

    @property
    def error_rows(self):
        return [row for row in self.rows if row.errors]


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


def parse_contracts(rows, period, *, unit=None, kind=None, restrict_to_units=None):
    """Check every contract row; ``unit`` and ``kind`` apply where the file has no such column."""
    header_index, columns = _columns(rows)
    if "unit" not in columns and unit is None:
        raise ImportFileError(_("文件没有“地市”列：请指定填报单位。"))
    if "kind" not in columns and kind is None:
        raise ImportFileError(_("文件没有“类别”列：请指定专利或商标。"))
    resolver = UnitResolver()
    results, errors = [], []
    seen = {}
    for line, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        cells = row + [""] * (max(columns.values()) + 1 - len(row))
        if not any(cells[c] for c in columns.values()):
            continue
        result = ContractRow(line=line)
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
            "is_sme": parse_yes_no,
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
        key = (getattr(result.unit, "pk", None), result.kind, values.get("registration_number"))
        if values.get("registration_number") and key in seen:
            result.errors[HEADINGS["registration_number"]] = _(
                "质押登记号与第 {row} 行重复。"
            ).format(row=seen[key])
        seen.setdefault(key, line)
    if not results:
        errors.append(_("表头之后没有数据行。"))
    groups = []
    if not errors and not any(r.errors for r in results):
        grouped = defaultdict(list)
        for row in results:
            grouped[(row.unit, row.kind)].append(row)
        stored = defaultdict(set)
        existing = []
        if period.pk is not None:
            existing = PledgeContract.objects.filter(report__period=period).values_list(
                "report__unit_id", "kind", *FIELDS
            )
        for unit_id, contract_kind, *fields in existing:
            stored[(unit_id, contract_kind)].add(tuple(fields))
        for (group_unit, group_kind), group_rows in grouped.items():
            previous = stored.get((group_unit.pk, group_kind))
            groups.append(
                ContractGroup(
                    group_unit, group_kind, group_rows, frozenset(previous) if previous else None
                )
            )
    return ContractPreview(period=period, rows=results, groups=groups, errors=errors)


@transaction.atomic
def apply_contracts(preview, user, source, *, as_draft=False, approve=False):
    """Replace each (unit, kind)'s contracts with the file's, derive the figures, in one transaction."""
    check_import_rights(preview, user, approve)
    changed, problems = 0, []
    for group in preview.groups:
        if group.status == "unchanged":
            continue
        report, reason = open_for_import(group.unit, preview.period, user, as_draft=as_draft)
        if reason:
            problems.append(f"{group.unit.name}：{reason}")
            continue
        PledgeContract.objects.filter(report=report, kind=group.kind).delete()
        PledgeContract.objects.bulk_create(
            [
                PledgeContract(
                    report=report,
                    kind=group.kind,
                    bank_group=bank_group(row.values["bank"]),
                    **row.values,
                )
                for row in group.rows
            ],
            batch_size=2000,
        )
        derive_figures(report, group.kind, user)
        finish_import(report, user, source, as_draft=as_draft, approve=approve)
        changed += len(group.rows)
    if problems:
        raise ImportFileError("；".join(problems))
    return changed


def derive_figures(report, kind, user=None):
    """A report's figures for ``kind`` from its contracts, computed by the database."""
    totals = PledgeContract.objects.filter(report=report, kind=kind).aggregate(
        n_projects=Count("pk"),
        n_items=Sum("items"),
        total=Sum("amount"),
        n_enterprises=Count("uscc", distinct=True),
        n_smes=Count("uscc", distinct=True, filter=Q(is_sme=True)),
        n_inclusive=Count("pk", filter=Q(amount__lt=INCLUSIVE_LIMIT)),
    )
    figure = PledgeFigures.objects.filter(report=report, kind=kind).first() or PledgeFigures(
        report=report, kind=kind
    )
    figure.projects = totals["n_projects"]
    figure.items = totals["n_items"] or 0
    # SQLite sums decimals as floats: back to cents (PostgreSQL's numeric sum is exact anyway).
    figure.amount = Decimal(totals["total"] or 0).quantize(CENT)
    figure.enterprises = totals["n_enterprises"]
    figure.smes = totals["n_smes"]
    figure.inclusive_projects = totals["n_inclusive"]
    figure.full_clean(exclude=["report"])
    figure._history_user = user
    figure.save()
    return figure
