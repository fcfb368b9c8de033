"""Year over year, standings, zero lists, trends and peers — from approved figures only."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.db.models import Exists, Min, OuterRef, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lib.numbers import CENT, growth
from periods.models import Granularity, ReportingPeriod
from reporting.models import IPKind, PledgeFigures, PledgeReport, ProvinceBenchmark
from reporting.queries import RowStatus, rank_units
from workflow.models import ReportState

from .models import StandingRules


@dataclass(frozen=True)
class ComparedRow:
    """A row of a period beside the same unit's row in the comparable period.

    Figures are None where a period has none to show (未报, 待审: ``status``/``before_status``).
    """

    unit: object
    rank: int | None
    amount: Decimal | None
    projects: int | None
    items: int | None
    before_rank: int | None
    before_amount: Decimal | None
    before_projects: int | None
    before_items: int | None
    status: str = RowStatus.REPORTED
    status_label: str = ""

    @property
    def reported(self):
        return self.status == RowStatus.REPORTED

    @property
    def amount_change(self):
        if self.amount is None or self.before_amount is None:
            return None
        return self.amount - self.before_amount

    @property
    def amount_growth(self):
        return growth(self.amount, self.before_amount)

    @property
    def projects_growth(self):
        return growth(self.projects, self.before_projects)

    @property
    def items_growth(self):
        return growth(self.items, self.before_items)

    @property
    def rank_change(self):
        """Places gained (positive) or lost against the comparable period."""
        if self.rank is None or self.before_rank is None:
            return None
        return self.before_rank - self.rank


def compare(period, kind, before=None, provisional=False):
    """Each 省辖市/示范区's figures beside the comparable period's (two queries).

    Returns (the comparable period, the ranking of ``period``, the compared rows).
    """
    kind = IPKind(kind)
    before = before if before is not None else period.year_earlier()
    now = rank_units(period, kind, provisional=provisional)
    return before, now, compare_rankings(now, rank_units(before, kind) if before else None)


def compare_rankings(now, before=None):
    """Rows of ``now`` beside the same units' rows in ``before`` (no query)."""
    earlier = {row.unit.pk: row for row in before.rows} if before else {}
    rows = []
    for row in now.rows:
        old = earlier.get(row.unit.pk)
        rows.append(
            ComparedRow(
                unit=row.unit,
                rank=row.rank,
                amount=row.amount,
                projects=row.projects,
                items=row.items,
                before_rank=old.rank if old else None,
                before_amount=old.amount if old else None,
                before_projects=old.projects if old else None,
                before_items=old.items if old else None,
                status=row.status,
                status_label=row.status_label,
            )
        )
    return rows


class Judgement(models.TextChoices):
    """A unit's standing, as a circular words it. Compared by its code, never by its words:
    they are shown in the reader's language (a drafted circular is always Chinese)."""

    EXCELLENT = "excellent", gettext_lazy("成绩优异")
    FAST = "fast", gettext_lazy("进步较快")
    LAGGING = "lagging", gettext_lazy("相对滞后")


EXCELLENT, FAST, LAGGING = Judgement.EXCELLENT, Judgement.FAST, Judgement.LAGGING


@dataclass(frozen=True)
class Standing:
    unit: object
    judgement: str  # a Judgement, or "" for none
    reason: str

    @property
    def label(self):
        """成绩优异, 进步较快 or 相对滞后 in the active language, or ""."""
        return str(Judgement(self.judgement).label) if self.judgement else ""


def standings(period, kind, rules=None):
    """The circular's judgement of every unit, with the reason for it (closed periods)."""
    return judge(compare(period, kind)[2], rules)


def judge(rows, rules=None, provisional=False):
    """The standing of each compared row, by the administrator's rules (no query but the rules).

    Only ranked rows are judged, against each other: a unit without approved figures (未报,
    待审) has no standing. ``provisional``: the period is still being reported, so nothing the
    final ranking could overturn is said — no 相对滞后 (the bottom of a partial ranking is no
    bottom), and 成绩优异 only for a unit that the units not yet approved could not pass even
    with last year's figures; growth (进步较快) is the unit's own and is said.
    """
    rules = rules or StandingRules.current()
    last = sum(1 for row in rows if row.reported)
    # The units that may still come in, by what they pledged last year.
    pending = [row.before_amount for row in rows if not row.reported and row.before_amount]
    result = []
    for row in rows:
        change = row.amount_growth
        worst = row.rank
        if provisional and row.reported:
            worst = row.rank + sum(1 for amount in pending if amount > row.amount)
        if not row.reported:
            judgement, reason = "", ""
        elif row.amount > 0 and worst <= rules.excellent_top:
            judgement, reason = EXCELLENT, _("金额排名第 {rank} 位").format(rank=row.rank)
        elif not provisional and row.rank > last - rules.lagging_bottom:
            judgement, reason = (
                LAGGING,
                _("金额排名第 {rank} 位（共 {count} 位）").format(rank=row.rank, count=last),
            )
        elif change.new:
            judgement, reason = FAST, _("实现零的突破")
        elif change.is_number and change.percent > rules.fast_growth_percent:
            judgement, reason = FAST, _("金额增长 {growth}%").format(growth=change.percent)
        elif (
            not provisional and rules.falling_is_lagging and change.is_number and change.percent < 0
        ):
            judgement, reason = LAGGING, _("金额下降 {growth}%").format(growth=-change.percent)
        else:
            judgement, reason = "", ""
        result.append(Standing(row.unit, judgement, reason))
    return result


def zero_units(period, kind, ranking=None):
    """Units at zero in ``period`` (approved, nil), and for every unit the first period it
    broke zero.

    Returns (rows at zero, {unit pk: first year with an amount}) — two queries, or one when
    the period's ``ranking`` is already at hand. A unit that has not reported is not at zero.
    """
    ranking = ranking or rank_units(period, kind)
    zeros = [row for row in ranking.ranked_rows if row.amount == 0]
    first = (
        PledgeFigures.objects.filter(
            kind=kind,
            amount__gt=0,
            report__state__in=ReportState.final(),
            report__period__granularity=period.granularity,
        )
        .annotate(row_unit=Coalesce("report__unit__parent_id", "report__unit_id"))
        .values("row_unit")
        .annotate(first_year=Min("report__period__year"))
    )
    return zeros, {entry["row_unit"]: entry["first_year"] for entry in first}


def breakthroughs(period, kind):
    """{unit pk: the year it broke zero} — only for a unit the data shows at zero in an earlier
    period (approved, same granularity): a unit whose first period in the system already had
    pledges may have had them for years. Also the first year the data holds. One query."""
    approved = PledgeFigures.objects.filter(
        kind=kind,
        report__state__in=ReportState.final(),
        report__period__granularity=period.granularity,
        report__period__year__lte=period.year,
    ).annotate(row_unit=Coalesce("report__unit__parent_id", "report__unit_id"))
    years = approved.values("row_unit").annotate(
        first=Min("report__period__year", filter=Q(amount__gt=0)),
        zero=Min("report__period__year", filter=Q(amount=0)),
        since=Min("report__period__year"),
    )
    first, at_zero, since = {}, {}, None
    for entry in years:
        if entry["first"] is not None:
            first[entry["row_unit"]] = entry["first"]
        if entry["zero"] is not None:
            at_zero[entry["row_unit"]] = entry["zero"]
        since = entry["since"] if since is None else min(since, entry["since"])
    broke = {unit: year for unit, year in first.items() if at_zero.get(unit, year) < year}
    return broke, since


def yearly_totals():
    """Province totals of every annual period and kind, oldest first (one query)."""
    # The ranked tables' rule: a 省直管县's figures count once its 省辖市 has an approved report
    # of the same period (its row is ranked), so the totals here are the tables' 合计.
    row_reported = PledgeReport.objects.filter(
        unit_id=Coalesce(OuterRef("report__unit__parent_id"), OuterRef("report__unit_id")),
        period_id=OuterRef("report__period_id"),
        state__in=ReportState.final(),
    )
    rows = (
        PledgeFigures.objects.filter(
            report__state__in=ReportState.final(), report__period__granularity="year"
        )
        .filter(Exists(row_reported))
        .values("report__period__year", "kind")
        .annotate(amount=Sum("amount"), projects=Sum("projects"), items=Sum("items"))
        .order_by("report__period__year", "kind")
    )
    totals = {}
    for row in rows:
        totals.setdefault(row["report__period__year"], {})[row["kind"]] = {
            "amount": Decimal(row["amount"]).quantize(CENT),
            "projects": row["projects"],
            "items": row["items"],
        }
    return totals


@dataclass(frozen=True)
class ProvinceOverview:
    """The province's figures over the years, as the dashboard and its export show them."""

    totals: dict  # year → kind → {amount, projects, items} (``yearly_totals``)
    years: list  # oldest first
    year_labels: dict  # year → 2021 or 2021（报送中）
    peer_year: int | None
    peer_rows: dict  # kind → provinces (``peer_comparison``)
    periods: list  # every period, newest first, knowing its latest extension
    collecting: set  # years still being reported


def province_overview():
    """Every year's approved totals, peers, and which years are still being reported (four
    queries)."""
    totals = yearly_totals()
    years = sorted(totals)
    periods = list(ReportingPeriod.objects.with_last_deadline())
    # A year still being reported counts only the reports approved so far.
    collecting = {p.year for p in periods if p.granularity == Granularity.YEAR and not p.is_closed}
    year = peer_year(totals)
    return ProvinceOverview(
        totals=totals,
        years=years,
        year_labels={
            y: _("{year}（报送中）").format(year=y) if y in collecting else str(y) for y in years
        },
        peer_year=year,
        peer_rows=peer_comparison(year, totals) if year else {},
        periods=periods,
        collecting=collecting,
    )


def peer_year(totals):
    """The latest year with both Henan's approved totals and the peer provinces' figures."""
    benchmarked = set(
        ProvinceBenchmark.objects.order_by().values_list("year", flat=True).distinct()
    )
    years = [year for year in totals if year in benchmarked]
    return max(years) if years else None


def peer_comparison(year, totals=None):
    """Henan's totals of a year beside the benchmark provinces', per kind (amounts in 万元)."""
    totals = totals if totals is not None else yearly_totals()
    henan = totals.get(year, {})
    result = {kind: [] for kind in IPKind}
    for b in ProvinceBenchmark.objects.filter(year=year).order_by("-amount", "province"):
        result[IPKind(b.kind)].append(
            {"province": b.province, "items": b.items, "amount": b.amount}
        )
    for kind, peers in result.items():
        own = henan.get(kind.value)
        if own:
            peers.append({"province": _("河南省"), "items": own["items"], "amount": own["amount"]})
        peers.sort(key=lambda p: p["amount"], reverse=True)
    return result


def unit_history(unit, kind, rules=None):
    """A 省辖市/示范区 in every annual period: (period, ranking, its row, its standing).

    One ranking query per year, each used for that year and as the next year's comparison.
    A period still open has no standing (its ranking says 报送中).
    """
    rules = rules or StandingRules.current()
    periods = list(ReportingPeriod.objects.filter(granularity="year").order_by("year"))
    rankings = {period.year: rank_units(period, kind) for period in periods}
    history = []
    for period in periods:
        ranking = rankings[period.year]
        rows = compare_rankings(ranking, rankings.get(period.year - 1))
        for row, standing in zip(rows, judge(rows, rules), strict=True):
            if row.unit.pk == unit.pk:
                if not ranking.closed:
                    standing = Standing(unit, "", "")
                history.append((period, ranking, row, standing))
    return history
