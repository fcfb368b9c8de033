"""One way to compute and print a change: 200 → 314.90 is +57.5% everywhere it is printed."""

import csv
import io
from decimal import Decimal

import pytest

from circulars.drafting import draft_situation
from lib.numbers import growth
from periods.models import ReportingPeriod
from reporting import services
from reporting.models import IPKind
from reporting.services import Figures
from tests.support.factories import ReportingPeriodFactory, add_figures
from workflow.services import transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_pair(units):
    before = ReportingPeriodFactory(year=2019)
    now = ReportingPeriodFactory(year=2020)
    for unit in units.values():
        if unit.parent_id is None:
            add_figures(unit, before, IPKind.PATENT, "200", 2, 2)
            add_figures(
                unit, now, IPKind.PATENT, "314.90" if unit.code == "410100" else "200", 2, 2
            )
    return before, now


def test_growth_rounds_half_up():
    assert str(growth(Decimal("314.90"), Decimal("200"))) == "+57.5%"  # 57.45
    assert str(growth(Decimal("85.10"), Decimal("200"))) == "-57.5%"


def test_the_comparison_page_its_export_and_the_draft_print_the_same_change(
    closed_pair, client, reviewer
):
    client.force_login(reviewer)
    html = client.get("/analysis/2020/patent/").content.decode()
    assert "<td>+57.5%</td>" in html
    rows = list(
        csv.reader(
            io.StringIO(
                client.get("/analysis/2020/patent/?_export=csv").content.decode("utf-8-sig")
            )
        )
    )
    zhengzhou = next(row for row in rows if row[1] == "郑州市")
    # The export writes the same change as a spreadsheet's number, under 增长（%）.
    assert (rows[0][4], zhengzhou[4]) == ("增长（%）", "57.5")
    assert "郑州（+57.5%）" in draft_situation(ReportingPeriod.objects.by_slug("2020").get())


def test_the_submit_warning_and_the_report_page_print_the_same_change(
    units, open_period, zhengzhou_submitter, client
):
    last_year = ReportingPeriodFactory(year=2020)
    add_figures(units["郑州"], last_year, IPKind.PATENT, "200", 2, 2)
    report = services.save_figures(
        zhengzhou_submitter,
        units["郑州"],
        open_period,
        {IPKind.PATENT: Figures(Decimal("314.90"), 2, 2, 2), IPKind.TRADEMARK: Figures(0, 0, 0)},
        expected_version=0,
    )
    assert services.submission_warnings(report) == [
        "专利：质押金额（万元）较上年同期（200）变动 +57.5%。"
    ]
    services.save_figures(zhengzhou_submitter, units["郑州"], open_period, {}, explanation="说明")
    transition(report, "submit", zhengzhou_submitter, notify=False)
    client.force_login(zhengzhou_submitter)
    html = client.get("/periods/2021/410100/").content.decode()
    assert '<td class="num">+57.5%</td>' in html
    # The read-only table labels the counts of both kinds, not 专利数 for trademarks too.
    assert '<th scope="row">专利数 / 商标件数</th>' in html


@pytest.mark.parametrize("state", ["draft", "submitted", "returned", "reopened"])
def test_last_years_figures_not_approved_are_no_comparison(
    units, open_period, zhengzhou_submitter, state
):
    """Found from outside: the warnings compared with last year's figures whatever their state,
    a draft included."""
    last_year = ReportingPeriodFactory(year=2020)
    add_figures(units["郑州"], last_year, IPKind.PATENT, "200", 2, 2, state=state)
    report = services.save_figures(
        zhengzhou_submitter,
        units["郑州"],
        open_period,
        {IPKind.PATENT: Figures(Decimal("314.90"), 2, 2, 2), IPKind.TRADEMARK: Figures(0, 0, 0)},
        expected_version=0,
    )
    assert services.submission_warnings(report) == []
    assert report.year_earlier[1] == {}
