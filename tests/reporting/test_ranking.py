import re
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cities.models import ReportingUnit
from lib.numbers import format_amount
from periods.models import ReportingPeriod
from reporting.models import IPKind
from reporting.queries import rank_units
from tests.support import golden
from tests.support.factories import ReportingPeriodFactory, add_figures
from workflow.models import ReportState

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_2020(published_demo, db):
    return ReportingPeriod.objects.by_slug("2020").get()


def printed(ranking):
    """The ranking as the CSV prints it: every tied row carries its rank; 合计 last."""
    rows = [
        [str(r.rank), r.unit.name, format_amount(r.amount), str(r.projects), str(r.items)]
        for r in ranking.rows
    ]
    rows.append(
        ["", "合计", format_amount(ranking.amount), str(ranking.projects), str(ranking.items)]
    )
    return rows


@pytest.mark.parametrize(
    ("kind", "expected"),
    [(IPKind.PATENT, golden.PATENT_2020), (IPKind.TRADEMARK, golden.TRADEMARK_2020)],
)
def test_the_2020_tables_match_the_circular_row_for_row(demo_2020, kind, expected):
    assert printed(rank_units(demo_2020, kind)) == expected


def test_equal_amounts_rank_by_projects_then_items(demo_2020):
    rows = {r.unit.short_name: r for r in rank_units(demo_2020, IPKind.PATENT).rows}
    assert (rows["周口"].rank, rows["新乡"].rank) == (16, 17)


def test_units_with_no_trademark_pledge_share_rank_ten_in_code_order(demo_2020):
    rows = rank_units(demo_2020, IPKind.TRADEMARK).rows
    tied = [r for r in rows if r.rank == 10]
    assert [r.unit.code for r in tied] == sorted(r.unit.code for r in tied)
    assert [(r.tie_size, r.tie_index) for r in tied] == [(9, i) for i in range(1, 10)]
    assert [r.starts_tie for r in tied] == [True] + [False] * 8


def test_a_direct_county_counts_in_its_prefectures_row_once(units):
    period = ReportingPeriodFactory(year=2022)
    add_figures(units["南阳"], period, IPKind.PATENT, "100", 2, 3)
    add_figures(units["邓州"], period, IPKind.PATENT, "50.5", 1, 4)
    ranking = rank_units(period, IPKind.PATENT)
    nanyang = next(r for r in ranking.rows if r.unit.short_name == "南阳")
    assert (nanyang.amount, nanyang.projects, nanyang.items) == (Decimal("150.50"), 3, 7)
    assert len(ranking.rows) == 18
    assert "邓州" not in {r.unit.short_name for r in ranking.rows}
    assert (ranking.amount, ranking.projects, ranking.items) == (Decimal("150.50"), 3, 7)


def test_a_row_is_ranked_once_its_prefecture_has_reported_not_on_a_county_alone(units):
    period = ReportingPeriodFactory(year=2022)
    add_figures(units["新蔡"], period, IPKind.TRADEMARK, "12", 1, 1)
    ranking = rank_units(period, IPKind.TRADEMARK)
    zhumadian = next(r for r in ranking.rows if r.unit.short_name == "驻马店")
    assert (zhumadian.rank, zhumadian.amount, zhumadian.status_label) == (None, None, "未报")
    assert ranking.amount == 0

    add_figures(units["驻马店"], period, IPKind.TRADEMARK, "0", 0, 0)
    top = rank_units(period, IPKind.TRADEMARK).rows[0]
    assert (top.rank, top.unit.short_name, top.amount) == (1, "驻马店", Decimal("12.00"))


def test_amounts_equal_to_the_cent_tie_however_they_are_made_up(units):
    # 0.1 + 0.2 is not 0.3 in binary floating point (SQLite's decimals): it must still tie.
    period = ReportingPeriodFactory(year=2022)
    add_figures(units["南阳"], period, IPKind.PATENT, "0.10", 1, 1)
    add_figures(units["邓州"], period, IPKind.PATENT, "0.20", 1, 1)
    add_figures(units["开封"], period, IPKind.PATENT, "0.30", 2, 2)
    ranking = rank_units(period, IPKind.PATENT)
    top = [(r.unit.short_name, r.rank, r.tie_size, r.amount) for r in ranking.rows[:2]]
    assert top == [("开封", 1, 2, Decimal("0.30")), ("南阳", 1, 2, Decimal("0.30"))]
    assert ranking.amount == Decimal("0.60")


@pytest.mark.parametrize(
    ("state", "counted_final", "counted_provisional"),
    [
        (ReportState.DRAFT, False, False),
        (ReportState.SUBMITTED, False, True),
        (ReportState.RETURNED, False, False),
        (ReportState.APPROVED, True, True),
    ],
)
def test_only_approved_figures_count_unless_provisional(
    units, state, counted_final, counted_provisional
):
    period = ReportingPeriodFactory(year=2022)
    add_figures(units["郑州"], period, IPKind.PATENT, "10", 1, 1, state=state)
    assert rank_units(period, IPKind.PATENT).amount == (Decimal("10") if counted_final else 0)
    provisional = rank_units(period, IPKind.PATENT, provisional=True)
    assert provisional.amount == (Decimal("10") if counted_provisional else 0)


def test_figures_of_another_period_or_kind_do_not_count(units):
    period, other = ReportingPeriodFactory(year=2022), ReportingPeriodFactory(year=2021)
    add_figures(units["郑州"], period, IPKind.PATENT, "10", 1, 1)
    add_figures(units["郑州"], other, IPKind.PATENT, "99", 1, 1)
    add_figures(units["开封"], period, IPKind.TRADEMARK, "7", 1, 1)
    ranking = rank_units(period, IPKind.PATENT)
    assert [(r.unit.short_name, r.amount) for r in ranking.rows if r.amount] == [
        ("郑州", Decimal("10"))
    ]
    assert ranking.amount == Decimal("10")


def test_an_empty_period_ranks_nobody_and_prints_no_zero(units):
    ranking = rank_units(ReportingPeriodFactory(year=2023), IPKind.PATENT)
    assert [(r.rank, r.amount, r.projects, r.items) for r in ranking.rows] == [
        (None, None, None, None)
    ] * 18
    assert {str(r.status_label) for r in ranking.rows} == {"未报"}
    assert [r.unit.code for r in ranking.rows] == sorted(r.unit.code for r in ranking.rows)
    assert (ranking.amount, ranking.projects, ranking.items) == (0, 0, 0)


def test_an_approved_nil_return_ranks_at_zero_and_a_pending_report_does_not(units):
    period = ReportingPeriodFactory(year=2022)
    add_figures(units["郑州"], period, IPKind.PATENT, "10", 1, 1)
    add_figures(units["开封"], period, IPKind.PATENT, "0", 0, 0)
    add_figures(units["洛阳"], period, IPKind.PATENT, "99", 9, 9, state=ReportState.SUBMITTED)
    add_figures(units["安阳"], period, IPKind.PATENT, "50", 5, 5, state=ReportState.RETURNED)
    rows = {r.unit.short_name: r for r in rank_units(period, IPKind.PATENT).rows}
    summary = {
        name: (rows[name].rank, rows[name].amount, str(rows[name].status_label))
        for name in ("郑州", "开封", "洛阳", "安阳", "平顶山")
    }
    assert summary == {
        "郑州": (1, Decimal("10.00"), ""),
        "开封": (2, Decimal("0.00"), ""),
        "洛阳": (None, None, "待审"),
        "安阳": (None, None, "未报"),
        "平顶山": (None, None, "未报"),
    }
    provisional = {r.unit.short_name: r for r in rank_units(period, IPKind.PATENT, True).rows}
    assert (provisional["洛阳"].rank, provisional["郑州"].rank) == (1, 2)


def test_ranking_and_its_total_take_one_query(demo_2020, django_assert_num_queries):
    with django_assert_num_queries(1):
        rank_units(demo_2020, IPKind.TRADEMARK)


# Few distinct values, so that ties are common.
valid_figures = st.one_of(
    st.just((Decimal("0"), 0, 0)),
    st.tuples(
        st.sampled_from([Decimal("0.01"), Decimal("100"), Decimal("2900"), Decimal("3400.5")]),
        st.integers(1, 3),
        st.integers(0, 3),
    ).map(lambda t: (t[0], t[1], t[1] + t[2])),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_ranking_properties_hold_for_any_figures(units, data):
    codes = sorted(u.code for u in units.values())
    chosen = data.draw(st.dictionaries(st.sampled_from(codes), valid_figures, max_size=len(codes)))
    with transaction.atomic():
        period = ReportingPeriodFactory(year=2030)
        by_code = {u.code: u for u in units.values()}
        for code, (amount, projects, items) in chosen.items():
            add_figures(by_code[code], period, IPKind.PATENT, amount, projects, items)
        ranking = rank_units(period, IPKind.PATENT)
        again = rank_units(period, IPKind.PATENT)
        transaction.set_rollback(True)

    # one row per 省辖市/示范区; ranked when its own unit has reported, else listed after in
    # code order, unranked and without figures
    assert sorted(r.unit.code for r in ranking.rows) == list(
        ReportingUnit.objects.ranked().order_by("code").values_list("code", flat=True)
    )
    reported = {u.code for u in units.values() if u.code in chosen and u.parent_id is None}
    rows = ranking.ranked_rows
    unranked = ranking.rows[len(rows) :]
    assert {r.unit.code for r in rows} == reported
    assert [r.unit.code for r in unranked] == sorted(r.unit.code for r in unranked)
    assert {(r.rank, r.amount) for r in unranked} <= {(None, None)}
    key = [(r.amount, r.projects, r.items) for r in rows]
    assert [(-a, -p, -i, r.unit.code) for (a, p, i), r in zip(key, rows, strict=True)] == sorted(
        (-a, -p, -i, r.unit.code) for (a, p, i), r in zip(key, rows, strict=True)
    )
    # 合计 equals both the sum of the rows and the sum of everything entered
    assert (ranking.amount, ranking.projects, ranking.items) == (
        sum((r.amount for r in rows), Decimal(0)),
        sum(r.projects for r in rows),
        sum(r.items for r in rows),
    )
    by_code = {u.code: u for u in units.values()}
    assert ranking.amount == sum(
        (
            figures[0]
            for code, figures in chosen.items()
            if (by_code[code].parent.code if by_code[code].parent else code) in reported
        ),
        Decimal(0),
    )
    # competition ranking: 1 + the number of strictly better rows; ties share it, the next skips
    for row, k in zip(rows, key, strict=True):
        assert row.rank == 1 + sum(other > k for other in key)
        assert row.tie_size == key.count(k)
    # deterministic
    assert [(r.rank, r.unit.code) for r in again.rows] == [
        (r.rank, r.unit.code) for r in ranking.rows
    ]


def test_the_ranking_query_binds_its_parameters_by_name():
    """By position, one parameter added or moved in the SQL would shift every later one."""
    from reporting.queries import _ranking_sql
    from workflow.models import ReportState

    sql, params = _ranking_sql(ReportState.provisional(), ["city", "zone"])
    assert "%s" not in sql
    assert params == {
        "state_0": "submitted",
        "state_1": "approved",
        "unit_kind_0": "city",
        "unit_kind_1": "zone",
    }
    assert set(re.findall(r"%\((\w+)\)s", sql)) == {*params, "approved", "period", "kind"}
