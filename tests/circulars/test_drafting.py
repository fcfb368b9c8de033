from decimal import Decimal

import pytest

from circulars.drafting import draft_situation, in_yi
from reporting.models import IPKind
from tests.support.factories import ReportingPeriodFactory, add_figures

pytestmark = pytest.mark.django_db


def test_amounts_are_written_in_yi_yuan_rounded_half_up():
    assert in_yi(Decimal("55807.53")) == "5.58"
    assert in_yi(Decimal("298611.56")) == "29.86"
    assert in_yi(Decimal("50")) == "0.01"  # 0.005 亿元 rounds up


def test_the_change_against_the_year_before_names_who_rose_fell_and_broke_zero(units):
    before, now = ReportingPeriodFactory(year=2019), ReportingPeriodFactory(year=2020)
    for name, amount in (("郑州", "100"), ("开封", "50"), ("安阳", "1000")):
        add_figures(units[name], before, IPKind.PATENT, amount, 1, 1)
    add_figures(units["洛阳"], before, IPKind.PATENT, "0", 0, 0)  # an approved nil return
    for name, amount in (("郑州", "150"), ("开封", "40"), ("洛阳", "10"), ("安阳", "1000.01")):
        add_figures(units[name], now, IPKind.PATENT, amount, 1, 1)

    paragraphs = draft_situation(now).splitlines()

    assert paragraphs[0].startswith("2020年，全省专利质押融资金额0.12亿元，项目4个，质押专利4件；")
    change = next(p for p in paragraphs if p.startswith("与2019年相比，全省专利"))
    # 1150 → 1200.01 万元; 安阳's rise rounds to +0.0 % but is still a rise.
    assert change == (
        "与2019年相比，全省专利质押金额变动+4.3%；"
        "增长的有安阳（+0.0%）、郑州（+50.0%）；下降的有开封（-20.0%）；新实现零的突破的有洛阳。"
    )
    # No trademark pledged in either year: no sentence (it once said 从无到有).
    assert not any(p.startswith("与2019年相比，全省商标") for p in paragraphs)


def test_a_kind_that_starts_from_nothing_says_so(units):
    before, now = ReportingPeriodFactory(year=2019), ReportingPeriodFactory(year=2020)
    add_figures(units["郑州"], before, IPKind.PATENT, "10", 1, 1)
    add_figures(units["开封"], before, IPKind.TRADEMARK, "0", 0, 0)
    add_figures(units["开封"], now, IPKind.TRADEMARK, "5", 1, 1)
    paragraphs = draft_situation(now).splitlines()
    assert "与2019年相比，全省商标质押从无到有；新实现零的突破的有开封。" in paragraphs


def test_a_unit_that_did_not_report_the_year_before_did_not_break_zero(units):
    before, now = ReportingPeriodFactory(year=2019), ReportingPeriodFactory(year=2020)
    add_figures(units["郑州"], before, IPKind.PATENT, "10", 1, 1)
    add_figures(units["郑州"], now, IPKind.PATENT, "10", 1, 1)
    add_figures(units["开封"], now, IPKind.PATENT, "5", 1, 1)
    change = next(p for p in draft_situation(now).splitlines() if p.startswith("与2019年相比"))
    assert change == "与2019年相比，全省专利质押金额变动+50.0%。"


def test_without_a_year_before_nothing_is_compared(units):
    now = ReportingPeriodFactory(year=2020)
    add_figures(units["郑州"], now, IPKind.PATENT, "10", 1, 1)
    assert "相比" not in draft_situation(now)
