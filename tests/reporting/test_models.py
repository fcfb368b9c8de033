import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from reporting.models import (
    Granularity,
    IPKind,
    PledgeFigures,
    ReportingPeriod,
    parse_period_slug,
)
from tests.factories import PledgeReportFactory, ReportingPeriodFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("slug", "parsed", "label", "starts", "ends"),
    [
        ("2020", (2020, Granularity.YEAR, 1), "2020年", (2020, 1, 1), (2020, 12, 31)),
        ("2021H1", (2021, Granularity.HALF, 1), "2021年上半年", (2021, 1, 1), (2021, 6, 30)),
        ("2021H2", (2021, Granularity.HALF, 2), "2021年下半年", (2021, 7, 1), (2021, 12, 31)),
        ("2021Q3", (2021, Granularity.QUARTER, 3), "2021年第三季度", (2021, 7, 1), (2021, 9, 30)),
        ("2021-03", (2021, Granularity.MONTH, 3), "2021年3月", (2021, 3, 1), (2021, 3, 31)),
        ("2024-02", (2024, Granularity.MONTH, 2), "2024年2月", (2024, 2, 1), (2024, 2, 29)),
    ],
)
def test_a_period_round_trips_through_its_slug(slug, parsed, label, starts, ends):
    assert parse_period_slug(slug) == parsed
    year, granularity, number = parsed
    period = ReportingPeriodFactory(year=year, granularity=granularity, number=number)
    assert period.slug == slug
    assert period.label == label
    assert (period.starts_on, period.ends_on) == (datetime.date(*starts), datetime.date(*ends))
    assert ReportingPeriod.objects.by_slug(slug).get() == period


@pytest.mark.parametrize(
    "slug", ["20", "2021H3", "2021Q5", "2021-13", "2021-3", "2021q1", "", "x2020"]
)
def test_a_malformed_slug_is_refused(slug):
    with pytest.raises(ValueError):
        parse_period_slug(slug)
    assert not ReportingPeriod.objects.by_slug(slug).exists()


def test_the_table_title_names_period_and_kind():
    period = ReportingPeriodFactory(year=2020)
    assert period.table_title(IPKind.PATENT) == "2020年河南省专利质押融资统计表"
    assert period.table_title(IPKind.TRADEMARK) == "2020年河南省商标质押融资统计表"
    quarter = ReportingPeriodFactory(year=2021, granularity=Granularity.QUARTER, number=3)
    assert quarter.table_title(IPKind.PATENT) == "2021年第三季度河南省专利质押融资统计表"


@pytest.mark.parametrize(
    ("granularity", "number"),
    [
        (Granularity.YEAR, 2),
        (Granularity.HALF, 3),
        (Granularity.QUARTER, 0),
        (Granularity.MONTH, 13),
    ],
)
def test_a_period_number_outside_its_range_is_refused(granularity, number):
    period = ReportingPeriod(
        year=2021,
        granularity=granularity,
        number=number,
        opens_on=datetime.date(2021, 1, 1),
        deadline=datetime.date(2021, 2, 1),
    )
    with pytest.raises(ValidationError) as error:
        period.full_clean()
    assert "序号超出该周期类型的范围。" in error.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        period.save()


def test_a_deadline_before_the_opening_is_refused():
    period = ReportingPeriod(
        year=2021, opens_on=datetime.date(2021, 2, 1), deadline=datetime.date(2021, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        period.full_clean()
    assert error.value.messages == ["截止日期不能早于开始填报日期。"]


def test_the_same_period_cannot_exist_twice():
    ReportingPeriodFactory(year=2020)
    duplicate = ReportingPeriod(
        year=2020, opens_on=datetime.date(2021, 1, 1), deadline=datetime.date(2021, 1, 31)
    )
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert error.value.messages == ["该报送周期已存在。"]


def figures(kind=IPKind.PATENT, amount="100", projects=1, items=1, *, units):
    report = PledgeReportFactory(unit=units["郑州"])
    return PledgeFigures(
        report=report, kind=kind, amount=Decimal(amount), projects=projects, items=items
    )


@pytest.mark.parametrize(
    ("kind", "amount", "projects", "items", "field", "message"),
    [
        (IPKind.PATENT, "-1", 0, 0, "amount", "质押金额不能为负数。"),
        (IPKind.PATENT, "0", 2, 2, "amount", "有质押项目时，质押金额必须大于 0。"),
        (IPKind.PATENT, "50", 0, 0, "projects", "质押金额大于 0 时，项目数至少为 1。"),
        (
            IPKind.PATENT, "50", 3, 2, "items",
            "专利数（2）不能少于项目数（3）：每个项目至少质押 1 件。",
        ),
        (
            IPKind.TRADEMARK, "50", 3, 2, "items",
            "商标件数（2）不能少于项目数（3）：每个项目至少质押 1 件。",
        ),
        (IPKind.PATENT, "1.234", 1, 1, "amount", "确认小数不超过 2 位."),
    ],
)  # fmt: skip
def test_invalid_figures_are_refused_with_a_clear_message(
    units, kind, amount, projects, items, field, message
):
    figure = figures(kind, amount, projects, items, units=units)
    with pytest.raises(ValidationError) as error:
        figure.full_clean()
    assert message in error.value.message_dict[field]


@pytest.mark.parametrize(
    ("amount", "projects", "items"),
    [("0", 0, 0), ("0.01", 1, 1), ("37209.56", 27, 226), ("999999999999.99", 1, 1)],
)
def test_valid_figures_pass(units, amount, projects, items):
    figures(IPKind.PATENT, amount, projects, items, units=units).full_clean()


@pytest.mark.parametrize(
    ("amount", "projects", "items"),
    [("-1", 0, 0), ("0", 1, 1), ("10", 0, 0), ("10", 3, 2)],
)
def test_the_database_refuses_invalid_figures_that_bypass_validation(
    units, amount, projects, items
):
    figure = figures(IPKind.PATENT, amount, projects, items, units=units)
    with pytest.raises(IntegrityError), transaction.atomic():
        figure.save()
    assert not PledgeFigures.objects.exists()


def test_amounts_are_stored_and_read_back_as_exact_decimals(units):
    figure = figures(IPKind.PATENT, "37209.56", 27, 226, units=units)
    figure.save()
    figure.refresh_from_db()
    assert figure.amount == Decimal("37209.56")
    assert isinstance(figure.amount, Decimal)
