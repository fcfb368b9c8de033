from decimal import Decimal

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts.roles import can
from cities.models import ReportingUnit, UnitKind
from lib.downloads import plain_table_response
from lib.fragments import cached_fragment
from lib.freshness import data_version
from lib.numbers import format_amount
from lib.views import RuleRequiredMixin
from periods.models import ReportingPeriod
from reporting.models import IPKind
from reporting.queries import board_summary

from . import charts, queries
from .models import StandingRules


def _amount_cell(value):
    """An amount as a spreadsheet's number (万元 as the notice writes them: 25630, 5642.7), not
    as text."""
    return Decimal(format_amount(value))


def _figure(row, name, amount=format_amount):
    """A compared row's figure as a table shows it (``amount``: how an amount is written, text
    for a page, ``_amount_cell`` for an export): the status (未报, 待审) in place of a figure
    that does not exist yet."""
    if not row.reported:
        return row.status_label if name == "amount" else "—"
    value = getattr(row, name)
    return amount(value) if name == "amount" else value


def _cell(row, name):
    """A compared row's figure as an export writes it: a number, or the status in its place."""
    return _figure(row, name, amount=_amount_cell)


def _growth_cell(change):
    """A change as a number of percent (12.3), or its words (新增, —) when it is none."""
    return change.percent if change.is_number else str(change)


class ProvincialView(RuleRequiredMixin, View):
    permission = "reporting.view_board"


class DashboardView(ProvincialView):
    """Totals and trend of every year, the latest ranking, peers, and the current period's progress."""

    def get(self, request):
        export = request.GET.get("_export")
        if export is not None:
            return self._export(export, queries.province_overview())
        # Totals, charts and the current period's progress change only with the data: the
        # page's content is rendered once per version of it.
        content = cached_fragment(
            "dashboard",
            [data_version()],
            lambda: render_to_string("analysis/dashboard_content.html", self._context()),
        )
        return render(request, "analysis/dashboard.html", {"content": content})

    def _context(self):
        overview = queries.province_overview()
        totals, years, labels = overview.totals, overview.years, overview.year_labels
        trend = charts.line_chart(
            _("全省质押融资金额"),
            [labels[y] for y in years],
            [
                (kind.label, [totals[y].get(kind.value, {}).get("amount") for y in years])
                for kind in IPKind
            ],
        )
        peers = {
            kind: charts.bar_chart(
                _("{year}年{kind}质押融资：河南与外省").format(
                    year=overview.peer_year, kind=kind.label
                ),
                [r["province"] for r in rows],
                [r["amount"] for r in rows],
                highlight=_("河南省"),
            )
            for kind, rows in overview.peer_rows.items()
            if rows
        }
        # The period being reported now (the newest still open), else the newest closed one.
        today = timezone.localdate()
        open_now = [
            period
            for period in overview.periods
            if not period.is_closed and period.opens_on <= today
        ]
        current = (open_now or overview.periods or [None])[0]
        return {
            "trend": trend,
            # Each year's figures by kind, in the columns' order (None: nothing approved).
            "totals": [
                (labels[y], {kind.value: totals[y].get(kind.value) for kind in IPKind})
                for y in reversed(years)
            ],
            "collecting": bool(overview.collecting & set(years)),
            "peers": peers,
            "peer_year": overview.peer_year,
            "current": current,
            "summary": board_summary(current) if current else None,
            "periods": overview.periods,
            "kinds": list(IPKind),
        }

    def _export(self, export, overview):
        totals, labels = overview.totals, overview.year_labels
        headings = [_("年份")] + [
            heading.format(kind=kind.label)
            for kind in IPKind
            for heading in (_("{kind}金额（万元）"), _("{kind}项目数"), _("{kind}件数"))
        ]
        rows = [
            [labels[year]]
            + [
                cell
                for kind in IPKind
                for cell in (
                    (
                        _amount_cell(totals[year][kind.value]["amount"]),
                        totals[year][kind.value]["projects"],
                        totals[year][kind.value]["items"],
                    )
                    if kind.value in totals[year]
                    else ("—", "—", "—")  # nothing approved of this kind: no figure, not a 0
                )
            ]
            for year in overview.years
        ]
        for kind, kind_rows in overview.peer_rows.items():
            rows.append([])
            rows.append(
                [
                    _("{year}年{kind}：省份").format(year=overview.peer_year, kind=kind.label),
                    _("件数"),
                    _("金额（万元）"),
                ]
            )
            rows.extend([p["province"], p["items"], _amount_cell(p["amount"])] for p in kind_rows)
        return plain_table_response(_("全省质押融资概况"), headings, rows, export)


class ComparisonView(ProvincialView):
    """A period against the comparable one: growth, rank change, standings, units at zero."""

    def get(self, request, period, kind):
        period = get_object_or_404(ReportingPeriod.objects.by_slug(period))
        kind = IPKind(kind)
        before = None
        if request.GET.get("before"):
            # Any earlier period of the same granularity and number (2019Q3 against 2021Q3).
            before = get_object_or_404(
                ReportingPeriod.objects.by_slug(request.GET["before"]).filter(
                    granularity=period.granularity, number=period.number, year__lt=period.year
                )
            )
        before, now, rows = queries.compare(period, kind, before)
        # Standings judge a closed period; while it is open, only on request, and marked so.
        judged = now.closed or request.GET.get("standings") == "provisional"
        standing = (
            {s.unit.pk: s for s in queries.judge(rows, provisional=not now.closed)}
            if judged
            else {}
        )
        zeros, first_years = queries.zero_units(period, kind, now)
        broke, data_since = queries.breakthroughs(period, kind)
        title = _("{period}{kind}质押融资同比分析").format(period=period.label, kind=kind.label)

        def headings(export):
            grown = _("增长（%）") if export else _("增长")
            return [
                _("金额排名"), _("地市"), kind.amount_heading, _("上年同期"), grown, _("项目数"),
                grown, kind.items_heading, grown, _("名次变化"), _("评价"), _("依据"),
            ]  # fmt: skip

        def cells(row, export):
            """The row as the page prints it (+12.3%, +1), or as a spreadsheet's numbers."""
            amount = _cell if export else _figure
            change = _growth_cell if export else str
            moved = (
                row.rank_change if export or row.rank_change is None else f"{row.rank_change:+d}"
            )
            return [
                row.rank or "",
                row.unit.name,
                amount(row, "amount"),
                "—"
                if row.before_amount is None
                else (_amount_cell if export else format_amount)(row.before_amount),
                change(row.amount_growth),
                amount(row, "projects"),
                change(row.projects_growth),
                amount(row, "items"),
                change(row.items_growth),
                # Places gained mean something between two complete rankings only.
                "—" if row.rank_change is None or not now.closed else moved,
                standing[row.unit.pk].label if judged else "",
                standing[row.unit.pk].reason if judged else "",
            ]

        notes = list(now.notes)
        if judged and not now.closed:
            notes.append(
                _(
                    "临时评价：报送尚未结束，评价按目前已审核的数据得出。相对滞后和名次变化待报送结束后"
                    "给出；成绩优异只给尚未审核的单位按上年数据也超不过的单位。"
                )
            )
        export = request.GET.get("_export")
        if export is not None:
            table = [cells(row, export=True) for row in rows]
            return plain_table_response(title, headings(True), table, export, notes=notes)
        table = [cells(row, export=False) for row in rows]
        chart = charts.bar_chart(
            _("{period}各地市{kind}质押金额").format(period=period.label, kind=kind.label),
            [row.unit.short_name for row in now.ranked_rows],
            [row.amount for row in now.ranked_rows],
        )
        context = {
            "period": period,
            "kind": kind,
            "before": before,
            "ranking": now,
            "notes": notes,
            "judged": judged,
            "title": title,
            "headings": headings(False),
            # Each row with its unit's history page, linked from the unit's name.
            "rows": [
                (cells, reverse("analysis:unit", args=[row.unit.code]))
                for cells, row in zip(table, rows, strict=True)
            ],
            "chart": chart,
            "zeros": [(row.unit, first_years.get(row.unit.pk)) for row in zeros],
            "broke_zero": sorted(
                (
                    (row.unit, broke[row.unit.pk])
                    for row in rows
                    if row.reported and row.amount > 0 and row.unit.pk in broke
                ),
                key=lambda pair: (pair[1], pair[0].code),
            ),
            "data_since": data_since,
            "kinds": list(IPKind),
        }
        return render(request, "analysis/comparison.html", context)


class UnitView(LoginRequiredMixin, View):
    """A 省辖市/示范区 over the years: figures, rank, standing. Its submitters see their own."""

    def get(self, request, code):
        unit = get_object_or_404(ReportingUnit, code=code, kind__in=UnitKind.ranked())
        if not can(request.user, "reporting.view_report", unit):
            raise Http404
        sections, exported = [], []
        rules = StandingRules.current()
        for kind in IPKind:
            history = queries.unit_history(unit, kind, rules)
            exported += [
                (kind, period, ranking, row.rank or "", _cell(row, "amount"),
                 _cell(row, "projects"), _cell(row, "items"), standing)
                for period, ranking, row, standing in history
            ]  # fmt: skip
            rows = [
                (
                    period,
                    ranking,
                    row.rank or "",
                    _figure(row, "amount"),
                    _figure(row, "projects"),
                    _figure(row, "items"),
                    standing,
                )
                for period, ranking, row, standing in history
            ]
            chart = charts.line_chart(
                _("{unit}{kind}质押金额").format(unit=unit.name, kind=kind.label),
                [period.year for period, *_rest in history],
                [(kind.label, [row.amount for _period, _ranking, row, _standing in history])],
            )
            sections.append((kind, rows, chart))
        export = request.GET.get("_export")
        if export is not None:
            headings = [
                _("类别"),
                _("周期"),
                _("金额排名"),
                _("金额（万元）"),
                _("项目数"),
                _("件数"),
                _("评价"),
                _("依据"),
            ]
            table = [
                [
                    kind.label,
                    (
                        period.label
                        if ranking.closed
                        else _("{period}（{status}）").format(
                            period=period.label, status=ranking.status_line
                        )
                    ),
                    rank,
                    amount,
                    projects,
                    items,
                    standing.label,
                    standing.reason,
                ]
                for kind, period, ranking, rank, amount, projects, items, standing in exported
            ]
            return plain_table_response(unit.name, headings, table, export)
        return render(request, "analysis/unit.html", {"unit": unit, "sections": sections})
