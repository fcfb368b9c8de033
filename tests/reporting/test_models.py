from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from periods.models import Granularity
from reporting.models import IPKind, PledgeFigures, table_title
from tests.support.factories import PledgeReportFactory, ReportingPeriodFactory

pytestmark = pytest.mark.django_db


def test_the_table_title_names_period_and_kind():
    period = ReportingPeriodFactory(year=2020)
    assert table_title(period, IPKind.PATENT) == "2020年河南省专利质押融资统计表"
    assert table_title(period, IPKind.TRADEMARK) == "2020年河南省商标质押融资统计表"
    quarter = ReportingPeriodFactory(year=2021, granularity=Granularity.QUARTER, number=3)
    assert table_title(quarter, IPKind.PATENT) == "2021年第三季度河南省专利质押融资统计表"


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
