"""Who has done what: the province's matrix of units × measures for a period, and what the
drafted circulars say of it. Only approved reports count; the others say why they do not."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch, TextChoices
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cities.models import ReportingUnit, UnitKind
from lib.wording import join_clauses, join_names
from periods.queries import open_period_line
from workflow.models import ReportState
from workflow.timeline import TimelineEntry, move_entries, user_name

from .models import EventType, FundScope, MeasureReport, Policy
from .types import MEASURE_TYPES

# The matrix's columns: one per type of measure, in the notice's order.
MEASURE_COLUMNS = tuple(MEASURE_TYPES)


class UnitKindFilter(TextChoices):
    """The matrix's choice of units."""

    ALL = "", _("全部单位")
    RANKED = "ranked", _("省辖市和济源示范区")
    COUNTIES = "counties", _("省直管县（市）")


class RowStatus:
    REPORTED = "reported"  # approved: its cells are final
    PENDING = "pending"  # submitted, awaiting review
    MISSING = "missing"  # nothing submitted (no report, a draft, returned or reopened)


STATUS_WORDS = {
    RowStatus.PENDING: _("待审"),
    RowStatus.MISSING: _("未报"),
}


@dataclass
class MatrixRow:
    unit: object
    status: str
    report: object = None
    policies: list = field(default_factory=list)  # in force
    funds: list = field(default_factory=list)
    events: list = field(default_factory=list)
    practices: list = field(default_factory=list)

    @property
    def reported(self):
        return self.status == RowStatus.REPORTED

    @property
    def status_word(self):
        return STATUS_WORDS.get(self.status, "")

    def has(self, column):
        """Whether an approved report shows this measure; None when the row is not final."""
        if not self.reported:
            return None
        return bool(getattr(self, column))

    def event_counts(self):
        counts = Counter(event.type for event in self.events)
        return [(EventType(event).label, counts[event]) for event in EventType if counts[event]]

    def cell(self, column):
        """The cell as the matrix prints it: a summary of what was reported, 无, 待审 or 未报."""
        if not self.reported:
            return str(self.status_word)
        items = getattr(self, column)
        if not items:
            return str(_("无"))
        if column == "policies":
            return join_clauses(
                _("{title}（{number}）").format(title=policy.title, number=policy.document_number)
                for policy in items
            )
        if column == "funds":
            return join_clauses(
                _("{title}（{size} 万元）").format(title=fund.title, size=_amount(fund.size))
                for fund in items
            )
        if column == "events":
            return join_names(
                _("{kind} {count} 场").format(kind=kind, count=count)
                for kind, count in self.event_counts()
            )
        return join_clauses(practice.title for practice in items)


def _amount(value):
    from lib.numbers import format_amount

    return format_amount(value)


@dataclass
class MeasureMatrix:
    period: object
    rows: list
    closed: bool
    as_of: object

    @property
    def approved_count(self):
        return sum(row.reported for row in self.rows)

    @property
    def unit_count(self):
        return len(self.rows)

    @property
    def status_line(self):
        """报送中 · 截至 … 已审核 N / M 个单位 while the period is open; "" once it is closed."""
        if self.closed:
            return ""
        return open_period_line(self.as_of, self.approved_count, self.unit_count)

    def without_measure(self, column):
        """Approved rows that do not show the measure: those the notice may name as lagging."""
        return [row for row in self.rows if row.has(column) is False]

    def filtered(self, unit_kind="", lacking=""):
        """The rows the province's filter keeps: units of a kind (``UnitKindFilter``), and
        those lacking a measure (a column) or without an approved report ("unreported")."""
        rows = self.rows
        if unit_kind == UnitKindFilter.RANKED:
            rows = [row for row in rows if row.unit.kind in UnitKind.ranked()]
        elif unit_kind == UnitKindFilter.COUNTIES:
            rows = [row for row in rows if row.unit.kind == UnitKind.DIRECT_COUNTY]
        if lacking == "unreported":
            rows = [row for row in rows if not row.reported]
        elif lacking:
            rows = [row for row in rows if row.has(lacking) is False]
        return rows


def measure_matrix(period, units=None):
    """Every unit's measures for the period, approved reports only: six queries (the units, their
    reports, one per type of measure), however many units."""
    units = list(units if units is not None else ReportingUnit.objects.order_by("code"))
    reports = {
        report.unit_id: report
        for report in MeasureReport.objects.filter(period=period, unit__in=units).prefetch_related(
            Prefetch("policies", queryset=Policy.objects.filter(in_force=True)),
            "funds",
            "events",
            "practices",
        )
    }
    rows = []
    for unit in units:
        report = reports.get(unit.pk)
        if report is None or report.state in ReportState.editable():
            rows.append(MatrixRow(unit, RowStatus.MISSING, report))
        elif report.state != ReportState.APPROVED:
            rows.append(MatrixRow(unit, RowStatus.PENDING, report))
        else:
            rows.append(
                MatrixRow(
                    unit,
                    RowStatus.REPORTED,
                    report,
                    **{
                        column: list(MEASURE_TYPES[column].items(report))
                        for column in MEASURE_COLUMNS
                    },
                )
            )
    return MeasureMatrix(
        period=period,
        rows=rows,
        closed=period.is_closed,
        as_of=timezone.now(),
    )


def patent_fund_units(matrix):
    """Units with an approved risk-compensation fund that covers patents, in code order."""
    return [
        row.unit
        for row in matrix.rows
        if row.reported and any(fund.scope in FundScope.covering_patents() for fund in row.funds)
    ]


def unit_measure_reports(unit, user):
    """The unit's measure reports across periods, newest first, as this user may see them."""
    return (
        MeasureReport.objects.for_user(user)
        .filter(unit=unit)
        .select_related("period")
        .prefetch_related("policies", "funds", "events", "practices")
        .order_by("period")  # newest first: periods order themselves so
    )


def measure_timeline(report):
    """State changes and every item added, changed or removed, newest first."""
    entries = move_entries(report)
    verbs = {"+": _("添加"), "~": _("修改"), "-": _("删除")}
    for measure_type in MEASURE_TYPES.values():
        records = measure_type.model.history.filter(report_id=report.pk).select_related(
            "history_user"
        )
        for record in records:
            entries.append(
                TimelineEntry(
                    at=record.history_date,
                    who=user_name(record.history_user),
                    title=_("{verb}{kind}：{title}").format(
                        verb=verbs[record.history_type], kind=measure_type.label, title=record.title
                    ),
                )
            )
    return sorted(entries, key=lambda entry: entry.at, reverse=True)
