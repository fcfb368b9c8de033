import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from periods.models import Granularity, ReportingPeriod, parse_period_slug
from tests.support.factories import ReportingPeriodFactory

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
