import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from periods.models import Granularity, ReportingPeriod
from reporting.models import IPKind, PledgeFigures, PledgeReport
from reporting.services import Figures
from workflow.models import ReportState


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


class CircularFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "circulars.Circular"
        skip_postgeneration_save = True

    year = 2021
    number = factory.Sequence(lambda n: n + 1)
    title = "河南省知识产权局\n关于进一步加强知识产权质押融资工作的通知"
    situation = "2020年，全省专利质押融资金额29.86亿元。"
    body = "一、提高认识。各地要高度重视。\n二、加大服务力度。要开展银企对接。"
    signed_on = datetime.date(2021, 3, 5)
    printed_on = datetime.date(2021, 3, 5)
    copy_to = "国家知识产权局知识产权运用促进司"

    @factory.post_generation
    def attachments(self, create, extracted, **kwargs):
        from circulars.models import CircularAttachment

        for position, (period, kind) in enumerate(extracted or [], start=1):
            CircularAttachment.objects.create(
                circular=self, position=position, period=period, kind=kind
            )


# Figures a report may be submitted with (patent with enterprises, no trademarks).
GOOD = {
    IPKind.PATENT: Figures(Decimal("100"), 2, 5, 2, 1, 2),
    IPKind.TRADEMARK: Figures(Decimal("0"), 0, 0),
}


def report_in(state, unit, period):
    report = PledgeReportFactory(unit=unit, period=period, state=state)
    PledgeFiguresFactory(
        report=report, kind=IPKind.PATENT, amount=Decimal("100"), projects=2, items=5, enterprises=2
    )
    PledgeFiguresFactory(
        report=report, kind=IPKind.TRADEMARK, amount=Decimal("0"), projects=0, items=0
    )
    return report
