import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from reporting.models import (
    Granularity,
    IPKind,
    PledgeFigures,
    PledgeReport,
    ReportingPeriod,
    ReportState,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw")


class ReportingPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingPeriod
        django_get_or_create = ["year", "granularity", "number"]

    year = 2020
    granularity = Granularity.YEAR
    number = 1
    opens_on = factory.LazyAttribute(lambda p: datetime.date(p.year + 1, 1, 4))
    deadline = factory.LazyAttribute(lambda p: datetime.date(p.year + 1, 1, 31))


class PledgeReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PledgeReport
        django_get_or_create = ["unit", "period"]

    period = factory.SubFactory(ReportingPeriodFactory)
    state = ReportState.APPROVED


class PledgeFiguresFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PledgeFigures

    report = factory.SubFactory(PledgeReportFactory)
    kind = IPKind.PATENT
    amount = Decimal("100")
    projects = 1
    items = 1


def add_figures(unit, period, kind, amount, projects, items, state=ReportState.APPROVED):
    report = PledgeReportFactory(unit=unit, period=period, state=state)
    return PledgeFiguresFactory(
        report=report, kind=kind, amount=Decimal(amount), projects=projects, items=items
    )
