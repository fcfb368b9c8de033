"""Named queries: the ranked province-wide tables (金额排名) and their totals.

Everything is computed by the database: the sums per row (a 省直管县（市） counts
in the row of the 省辖市 it lies in), the rank (SQL ``RANK()``), the size of each
tie and the 合计. Python only carries the rows to the page.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, Rank, RowNumber

from cities.models import ReportingUnit

from .models import AMOUNT_FIELD, IPKind, PledgeFigures, ReportState


@dataclass(frozen=True)
class RankedRow:
    rank: int
    unit: ReportingUnit
    amount: Decimal
    projects: int
    items: int
    tie_size: int  # how many rows share this rank
    tie_index: int  # 1 for the first row of a tie (the one that prints the shared rank)

    @property
    def starts_tie(self):
        return self.tie_index == 1


@dataclass(frozen=True)
class Ranking:
    period: object
    kind: IPKind
    provisional: bool
    rows: list = field(default_factory=list)
    amount: Decimal = Decimal("0")
    projects: int = 0
    items: int = 0

    @property
    def title(self):
        return self.period.table_title(self.kind)


def counted_figures(period, kind, provisional=False):
    """The figures that count in a period's table: approved ones, or also submitted ones."""
    states = ReportState.provisional() if provisional else ReportState.final()
    return PledgeFigures.objects.filter(report__period=period, report__state__in=states, kind=kind)


def _row_sum(figures, field_name, output_field):
    """Correlated sum of a unit's own figures and those of the 省直管县 that count in its row."""
    per_unit = (
        figures.filter(Q(report__unit=OuterRef("pk")) | Q(report__unit__parent=OuterRef("pk")))
        .order_by()
        .values("kind")
        .annotate(total=Sum(field_name))
        .values("total")
    )
    return Coalesce(
        Subquery(per_unit, output_field=output_field), Value(0), output_field=output_field
    )


def rank_units(period, kind, provisional=False):
    """The ranked table of a period and kind: one row per 省辖市 and 济源示范区.

    Ordered by amount, then projects, then items, all descending; rows equal on all
    three share one rank (the next rank skips) and are listed in GB/T 2260 code order.
    """
    kind = IPKind(kind)
    figures = counted_figures(period, kind, provisional)
    amount_field = DecimalField(**AMOUNT_FIELD)
    tie = [F("amount"), F("projects"), F("items")]
    units = (
        ReportingUnit.objects.ranked()
        .annotate(
            amount=_row_sum(figures, "amount", amount_field),
            projects=_row_sum(figures, "projects", IntegerField()),
            items=_row_sum(figures, "items", IntegerField()),
        )
        .annotate(
            rank=Window(
                Rank(), order_by=[F("amount").desc(), F("projects").desc(), F("items").desc()]
            ),
            tie_size=Window(Count("pk"), partition_by=tie),
            tie_index=Window(RowNumber(), partition_by=tie, order_by=F("code").asc()),
        )
        .order_by("rank", "code")
    )
    rows = [
        RankedRow(
            rank=unit.rank,
            unit=unit,
            amount=Decimal(unit.amount).quantize(Decimal("0.01")),
            projects=unit.projects,
            items=unit.items,
            tie_size=unit.tie_size,
            tie_index=unit.tie_index,
        )
        for unit in units
    ]
    totals = figures.aggregate(
        amount=Coalesce(Sum("amount"), Value(0), output_field=amount_field),
        projects=Coalesce(Sum("projects"), Value(0)),
        items=Coalesce(Sum("items"), Value(0)),
    )
    return Ranking(
        period=period,
        kind=kind,
        provisional=provisional,
        rows=rows,
        amount=Decimal(totals["amount"]).quantize(Decimal("0.01")),
        projects=totals["projects"],
        items=totals["items"],
    )
