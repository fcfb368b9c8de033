"""Named queries: the ranked province-wide tables (金额排名) and their totals.

The database computes the sums per row (a 省直管县（市） counts in the row of the 省辖市
it lies in), the rank (SQL ``RANK()``) and the size of each tie, in one query; the 合计
is the sum of the rows.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, Concat, NullIf, Trim
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import unit_ids
from cities.models import ReportingUnit, UnitKind
from lib.numbers import CENT, format_amount, growth
from periods.models import DeadlineExtension
from periods.queries import open_period_line
from workflow.models import ReportState, WorkflowAction
from workflow.timeline import TimelineEntry, move_entries, user_name

from .models import (
    FIGURE_FIELDS,
    IPKind,
    PledgeFigures,
    PledgeReport,
    ReportTransition,
    open_table_title,
    table_title,
)


class RowStatus:
    """Whether a row of a ranked table has figures to rank, and if not, why."""

    REPORTED = "reported"
    PENDING = "pending"  # 待审: submitted, not yet approved
    MISSING = "missing"  # 未报: not submitted (or returned), or no report at all
    CORRECTING = "correcting"  # 更正中: approved, reopened for a correction (figures withdrawn)


@dataclass(frozen=True)
class WithdrawnFigures:
    amount: Decimal
    projects: int
    items: int


def withdrawn_figures(period, kind, unit_ids):
    """The figures each of these units' reports of ``period`` had when last approved, for the
    reports reopened for a correction: {unit id: WithdrawnFigures}. One query (none without
    such units): the figures' history as it stood at the report's last approval."""
    if not unit_ids:
        return {}
    last_approval = (
        ReportTransition.objects.filter(report=OuterRef("report_id"), action=WorkflowAction.APPROVE)
        .order_by("-at", "-pk")
        .values("at")[:1]
    )
    versions = (
        PledgeFigures.history.filter(
            report__period=period,
            report__unit_id__in=unit_ids,
            report__state=ReportState.REOPENED,
            kind=kind,
        )
        .annotate(approved_at=Subquery(last_approval))
        .filter(history_date__lte=F("approved_at"))
        .order_by("report_id", "-history_date", "-history_id")
        .values_list("report__unit_id", "amount", "projects", "items")
    )
    found = {}
    for unit_id, amount, projects, items in versions:
        found.setdefault(unit_id, WithdrawnFigures(amount, projects, items))
    return found


@dataclass(frozen=True)
class RankedRow:
    """One row of a ranked table. A row without approved figures has no rank and no figures:
    it is 未报 or 待审, never 0."""

    rank: int | None
    unit: ReportingUnit
    amount: Decimal | None
    projects: int | None
    items: int | None
    tie_size: int  # how many rows share this rank (1 for an unranked row)
    tie_index: int  # 1 for the first row of a tie (the one that prints the shared rank)
    status: str = RowStatus.REPORTED
    # 更正中: the figures as last approved, withdrawn while the report is corrected.
    withdrawn: "WithdrawnFigures | None" = None

    @property
    def starts_tie(self):
        return self.tie_index == 1

    @property
    def reported(self):
        return self.status == RowStatus.REPORTED

    @property
    def status_label(self):
        return {
            RowStatus.REPORTED: "",
            RowStatus.PENDING: _("待审"),
            RowStatus.MISSING: _("未报"),
            RowStatus.CORRECTING: _("更正中"),
        }[self.status]


@dataclass(frozen=True)
class Ranking:
    period: object
    kind: IPKind
    provisional: bool
    rows: list = field(default_factory=list)
    amount: Decimal = Decimal("0")
    projects: int = 0
    items: int = 0
    unit_count: int = 0  # every reporting unit, 省直管县（市） included
    approved_count: int = 0  # of which approved
    closed: bool = True  # reporting has ended (``ReportingPeriod.is_closed``)
    as_of: datetime.datetime | None = None  # when the figures were read

    @property
    def ranked_rows(self):
        return [row for row in self.rows if row.reported]

    @property
    def title(self):
        if self.closed:
            return table_title(self.period, self.kind)
        return open_table_title(self.period, self.kind)

    @property
    def status_line(self):
        """报送中 · 截至 2021-01-20 10:30 已审核 5 / 28 个单位, while the period is open."""
        if self.closed:
            return ""
        return open_period_line(self.as_of, self.approved_count, self.unit_count)

    @property
    def provisional_note(self):
        """The mark a provisional table carries on screen and in every export."""
        if not self.provisional:
            return ""
        return _("临时数据：含已提交但尚未审核的报表，不作为正式统计结果。")

    @property
    def notes(self):
        """Every line printed under the title: the period's status, the provisional mark."""
        return [str(note) for note in (self.status_line, self.provisional_note) if note]

    @property
    def file_name(self):
        return f"{self.title}{_('（临时）') if self.provisional else ''}"


# Each row's sums are computed once, by a grouped join (a 省直管县 joins the row of its
# 省辖市), and the windows rank the grouped rows. Amounts are summed in integer 分: SQLite
# stores decimals as floats, and 0.1 + 0.2 must tie with 0.3. A row is ranked when its own
# unit's report counts (approved; submitted too in the provisional view); the others are
# listed after the ranked rows, unranked.
_RANKING_SQL = """
WITH row_sums AS (
    SELECT unit.id AS unit_id,
           COALESCE(SUM(CASE WHEN report.state IN ({states})
                        THEN CAST(ROUND(figures.amount * 100) AS BIGINT) END), 0) AS cents,
           COALESCE(SUM(CASE WHEN report.state IN ({states}) THEN figures.projects END), 0)
               AS projects,
           COALESCE(SUM(CASE WHEN report.state IN ({states}) THEN figures.items END), 0) AS items,
           MAX(CASE WHEN member.id = unit.id THEN report.state END) AS own_state,
           COUNT(DISTINCT member.id) AS members,
           COUNT(DISTINCT CASE WHEN report.state = %(approved)s THEN member.id END) AS approved_members
    FROM {unit_table} unit
    LEFT JOIN {unit_table} member
           ON member.id = unit.id OR member.parent_id = unit.id
    LEFT JOIN {report_table} report
           ON report.unit_id = member.id AND report.period_id = %(period)s
    LEFT JOIN {figures_table} figures
           ON figures.report_id = report.id AND figures.kind = %(kind)s
    WHERE unit.kind IN ({unit_kinds})
    GROUP BY unit.id
),
reporting AS (
    SELECT row_sums.*, CASE WHEN own_state IN ({states}) THEN 1 ELSE 0 END AS reported
    FROM row_sums
),
ranked_rows AS (
    -- An unranked row's figures do not exist for the table: all unranked rows tie, in code order.
    SELECT unit_id, own_state, members, approved_members, reported,
           cents * reported AS cents, projects * reported AS projects, items * reported AS items
    FROM reporting
)
SELECT {unit_columns}, ranked_rows.cents, ranked_rows.projects, ranked_rows.items,
       ranked_rows.own_state, ranked_rows.reported,
       SUM(ranked_rows.members) OVER () AS unit_count,
       SUM(ranked_rows.approved_members) OVER () AS approved_count,
       (SELECT MAX(extension.until) FROM {extension_table} extension
        WHERE extension.period_id = %(period)s) AS last_extension,
       RANK() OVER (
           PARTITION BY ranked_rows.reported
           ORDER BY ranked_rows.cents DESC, ranked_rows.projects DESC, ranked_rows.items DESC
       ) AS rank,
       COUNT(*) OVER (
           PARTITION BY ranked_rows.reported, ranked_rows.cents, ranked_rows.projects,
                        ranked_rows.items
       ) AS tie_size,
       ROW_NUMBER() OVER (
           PARTITION BY ranked_rows.reported, ranked_rows.cents, ranked_rows.projects,
                        ranked_rows.items
           ORDER BY unit.code
       ) AS tie_index
FROM ranked_rows
JOIN {unit_table} unit ON unit.id = ranked_rows.unit_id
ORDER BY ranked_rows.reported DESC, rank, unit.code
"""


def _ranking_sql(states, unit_kinds):
    """The ranking query, and its parameters by name: states and unit kinds are lists, each
    item its own named parameter (``%(state_0)s``…)."""
    quote = connection.ops.quote_name
    columns = ", ".join(f"unit.{quote(f.column)}" for f in ReportingUnit._meta.concrete_fields)
    sql = _RANKING_SQL.format(
        unit_table=quote(ReportingUnit._meta.db_table),
        report_table=quote(PledgeReport._meta.db_table),
        figures_table=quote(PledgeFigures._meta.db_table),
        extension_table=quote(DeadlineExtension._meta.db_table),
        unit_columns=columns,
        states=", ".join(f"%(state_{n})s" for n in range(len(states))),
        unit_kinds=", ".join(f"%(unit_kind_{n})s" for n in range(len(unit_kinds))),
    )
    params = {f"state_{n}": state for n, state in enumerate(states)}
    params.update({f"unit_kind_{n}": kind for n, kind in enumerate(unit_kinds)})
    return sql, params


def _ranked_row(unit, provisional, withdrawn=None):
    if unit.reported:
        return RankedRow(
            rank=unit.rank,
            unit=unit,
            amount=(Decimal(int(unit.cents)) / 100).quantize(CENT),
            projects=int(unit.projects),
            items=int(unit.items),
            tie_size=unit.tie_size,
            tie_index=unit.tie_index,
        )
    pending = unit.own_state == ReportState.SUBMITTED and not provisional
    status = RowStatus.PENDING if pending else RowStatus.MISSING
    if unit.own_state == ReportState.REOPENED:
        status = RowStatus.CORRECTING
    return RankedRow(
        rank=None,
        unit=unit,
        amount=None,
        projects=None,
        items=None,
        tie_size=1,
        tie_index=1,
        status=status,
        withdrawn=(withdrawn or {}).get(unit.pk) if status == RowStatus.CORRECTING else None,
    )


def rank_units(period, kind, provisional=False):
    """The ranked table of a period and kind: one row per 省辖市 and 济源示范区.

    Rows with figures that count (approved; submitted too when ``provisional``) are ordered
    by amount, then projects, then items, all descending; rows equal on all three share one
    rank (the next rank skips) and are listed in GB/T 2260 code order. The other rows follow,
    unranked, as 待审 or 未报: a unit that has not reported is not a unit at 0 (an approved
    nil return is). One query, and one for the period's extensions unless known; the 合计 is
    the sum of the ranked rows (each figure counts in exactly one row).
    """
    kind = IPKind(kind)
    states = ReportState.provisional() if provisional else ReportState.final()
    unit_kinds = UnitKind.ranked()
    sql, lists = _ranking_sql(states, unit_kinds)
    params = {**lists, "approved": ReportState.APPROVED, "period": period.pk, "kind": kind.value}
    as_of = timezone.now()
    units = list(ReportingUnit.objects.raw(sql, params))
    if units and "last_deadline" not in period.__dict__:
        # The same query read the period's latest extension: no second query to know if it is
        # closed. (SQLite hands a date back as text.)
        extension = units[0].last_extension
        if isinstance(extension, str):
            extension = datetime.date.fromisoformat(extension)
        period.last_deadline = max(period.deadline, extension) if extension else period.deadline
    correcting = [unit.pk for unit in units if unit.own_state == ReportState.REOPENED]
    withdrawn = withdrawn_figures(period, kind, correcting)
    rows = [_ranked_row(unit, provisional, withdrawn) for unit in units]
    ranked = [row for row in rows if row.reported]
    return Ranking(
        period=period,
        kind=kind,
        provisional=provisional,
        rows=rows,
        amount=sum((row.amount for row in ranked), Decimal(0)).quantize(CENT),
        projects=sum(row.projects for row in ranked),
        items=sum(row.items for row in ranked),
        unit_count=int(units[0].unit_count) if units else 0,
        approved_count=int(units[0].approved_count) if units else 0,
        closed=period.is_closed,
        as_of=as_of,
    )


def board(period, filters=None):
    """Every reporting unit with the state of its report for ``period``: the completeness board.

    One query. Each unit carries ``report_state`` (None: not started), ``report_pk``,
    ``report_version``, ``updated_at``, ``updated_by_name`` (a name, as the report page shows
    people), ``first_submitted_at``, ``deadline`` (the period's, or the unit's extension) and
    ``on_time`` (None until submitted). ``filters`` are the cleaned data of ``BoardFilterForm``.
    """
    reports = PledgeReport.objects.filter(unit=OuterRef("pk"), period=period)
    first_submission = (
        ReportTransition.objects.filter(
            report__unit=OuterRef("pk"), report__period=period, action=WorkflowAction.SUBMIT
        )
        .order_by("at")
        .values("at")[:1]
    )
    extension = DeadlineExtension.objects.filter(unit=OuterRef("pk"), period=period).values(
        "until"
    )[:1]
    units = (
        ReportingUnit.objects.select_related("parent")
        .annotate(
            report_pk=Subquery(reports.values("pk")),
            report_state=Subquery(reports.values("state")),
            report_version=Subquery(reports.values("version")),
            updated_at=Subquery(reports.values("updated_at")),
            updated_by_name=Subquery(_with_editor_name(reports).values("editor_name")),
            first_submitted_at=Subquery(first_submission),
            extended_until=Subquery(extension),
        )
        .annotate(
            deadline=Coalesce("extended_until", Value(period.deadline), output_field=DateField()),
            on_time=Case(
                When(first_submitted_at__isnull=True, then=Value(None)),
                When(
                    first_submitted_at__lt=_start_of_day_after(period.deadline),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(null=True),
            ),
        )
        .order_by("code")
    )
    filters = filters or {}
    if filters.get("state") == "none":
        units = units.filter(report_state__isnull=True)
    elif filters.get("state"):
        units = units.filter(report_state=filters["state"])
    if filters.get("kind"):
        units = units.filter(kind=filters["kind"])
    timeliness = filters.get("timeliness")
    if timeliness == "on_time":
        units = units.filter(on_time=True)
    elif timeliness == "late":
        units = units.filter(on_time=False)
    elif timeliness == "missing":
        units = units.filter(first_submitted_at__isnull=True)
    return units


def _with_editor_name(reports):
    """Reports with ``editor_name``: who last changed each, as people are named on the report
    page (``user_name``: the full name, else the log-in name; 系统 for a command)."""
    full_name = Trim(
        Concat("updated_by__first_name", Value(" "), "updated_by__last_name"),
    )
    return reports.annotate(
        editor_name=Coalesce(
            NullIf(full_name, Value("")),
            "updated_by__username",
            Value(str(_("系统"))),
            output_field=CharField(),
        )
    )


def board_summary(period):
    """Counts per state and the on-time rate over every unit, in one query."""
    units = board(period)
    counts = units.aggregate(
        total=Count("pk"),
        not_started=Count("pk", filter=Q(report_state__isnull=True)),
        on_time_count=Count("pk", filter=Q(on_time=True)),
        late_count=Count("pk", filter=Q(on_time=False)),
        **{state: Count("pk", filter=Q(report_state=state)) for state in ReportState.values},
    )
    total = counts["total"] or 1
    counts["on_time_rate"] = (Decimal(counts["on_time_count"]) * 100 / total).quantize(
        Decimal("0.1")
    )
    return counts


def _start_of_day_after(day):
    """Midnight (Asia/Shanghai) after ``day``: a submission before it was on time."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    )


@dataclass(frozen=True)
class UnitTask:
    """One of a submitter's units in one period, and what to do next."""

    unit: ReportingUnit
    period: object
    report: object  # PledgeReport or None
    deadline: datetime.date

    @property
    def state(self):
        return self.report.state if self.report else None

    @property
    def state_label(self):
        return self.report.get_state_display() if self.report else _("未开始")

    @property
    def next_step(self):
        state = self.state
        if state in (None, ReportState.DRAFT):
            closed = self.period.closed_at
            if closed is not None and closed <= timezone.now():  # binds a draft whenever it is
                return _("省局已于 {date} 结束本期报送。如需补报，请联系省局。").format(
                    date=timezone.localtime(closed).date().isoformat()
                )
            if timezone.localdate() > self.deadline:
                return _("已截止。如需补报，请联系省局延期。")
            return _("填写并提交")
        return {
            ReportState.SUBMITTED: _("已提交，等待省局审核"),
            ReportState.RETURNED: _("被退回：请按审核意见修改后重新提交"),
            ReportState.APPROVED: _("已审核通过，无需操作"),
            ReportState.REOPENED: _("省局已重新打开：请修改后重新提交"),
        }[state]


def submitter_tasks(user, periods):
    """The user's units × ``periods``: three queries whatever the numbers."""
    units = list(ReportingUnit.objects.filter(pk__in=unit_ids(user)).order_by("code"))
    reports = {
        (r.unit_id, r.period_id): r
        for r in PledgeReport.objects.filter(unit__in=units).select_related("period")
    }
    extensions = {
        (e.unit_id, e.period_id): e.until for e in DeadlineExtension.objects.filter(unit__in=units)
    }
    return [
        UnitTask(
            unit=unit,
            period=period,
            report=reports.get((unit.pk, period.pk)),
            deadline=max(period.deadline, extensions.get((unit.pk, period.pk), period.deadline)),
        )
        for period in periods
        for unit in units
    ]


def report_timeline(report):
    """State changes and every change of a figure or the explanation, newest first (three queries)."""
    entries = move_entries(report)
    previous = {}
    history = PledgeFigures.history.filter(report_id=report.pk).select_related("history_user")
    for record in history.order_by("history_date", "history_id"):
        kind = IPKind(record.kind)
        before = previous.get(record.id)
        changes = []
        for name in FIGURE_FIELDS:
            old = getattr(before, name) if before else None
            new = getattr(record, name)
            if before is None and new is None:
                continue
            if before is None or old != new:
                changes.append((figure_label(kind, name), show_figure(old), show_figure(new)))
        previous[record.id] = record
        if changes:
            entries.append(
                TimelineEntry(
                    at=record.history_date,
                    who=user_name(record.history_user),
                    title=_("修改{kind}数据").format(kind=kind.label),
                    changes=tuple(changes),
                )
            )
    last_explanation = ""
    reports = PledgeReport.history.filter(id=report.pk).select_related("history_user")
    for record in reports.order_by("history_date", "history_id"):
        if record.explanation != last_explanation:
            entries.append(
                TimelineEntry(
                    at=record.history_date,
                    who=user_name(record.history_user),
                    title=_("修改上报说明"),
                    changes=((_("上报说明"), last_explanation or "—", record.explanation or "—"),),
                )
            )
            last_explanation = record.explanation
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries


def figure_label(kind, name):
    if name == "items":
        return kind.items_heading
    return PledgeFigures._meta.get_field(name).verbose_name


def show_figure(value):
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return format_amount(value)
    return str(value)


@dataclass(frozen=True)
class Comparison:
    label: str
    current: object
    previous: object

    @property
    def current_text(self):
        return show_figure(self.current)

    @property
    def previous_text(self):
        return show_figure(self.previous)

    @property
    def change(self):
        """The change against the year before (``lib.numbers.growth``), as printed."""
        return str(growth(self.current, self.previous))


def compare_with_year_earlier(report):
    """Each figure of both kinds beside the same period a year earlier (``report.year_earlier``).

    Returns the earlier period (or None) and rows of ``(label, (patent, trademark))``.
    """
    previous_period, previous = report.year_earlier
    current = report.figures_by_kind()
    rows = []
    for name in FIGURE_FIELDS:
        comparisons = []
        for kind in IPKind:
            now, before = current.get(kind), previous.get(kind)
            comparisons.append(
                Comparison(
                    figure_label(kind, name),
                    getattr(now, name) if now else None,
                    getattr(before, name) if before else None,
                )
            )
        rows.append((row_label(name), comparisons))
    return previous_period, rows


def with_year_earlier(reports, period):
    """Read the figures of ``reports`` (of ``period``) and of their units a year earlier, in
    three queries however many reports, so that ``submission_warnings`` and the comparison ask
    for nothing more (it fills each report's ``year_earlier``)."""
    prefetch_related_objects(reports, "figures")
    earlier = period.year_earlier()
    previous = defaultdict(dict)
    if earlier is not None and reports:
        figures = PledgeFigures.objects.filter(
            report__period=earlier, report__unit_id__in={report.unit_id for report in reports}
        ).annotate(unit_id=F("report__unit_id"))
        for figure in figures:
            previous[figure.unit_id][figure.kind] = figure
    for report in reports:
        report.__dict__["year_earlier"] = (earlier, previous[report.unit_id])
    return reports


def row_label(name):
    """A figure's label in a table holding both kinds side by side."""
    if name == "items":
        return _("专利数 / 商标件数")
    return PledgeFigures._meta.get_field(name).verbose_name
