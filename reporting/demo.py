"""Demo data: the 2020 figures of 豫知〔2021〕8号 and the peer provinces it quotes, and for a
local demo an open 2021 period with a report in every state of the loop.

The unit names are written as the circular's clerk typed them (洛阳, 南阳市, 济源)
and go through the name resolver like any upload would. ``portal``'s ``loaddemo`` calls the
steps below in the order it writes down.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts import demo as accounts_demo
from cities.resolver import UnitResolver
from periods.models import ReportingPeriod
from workflow.models import WorkflowAction
from workflow.services import transition

from . import services
from .models import IPKind, PledgeReport, ProvinceBenchmark

DEMO_PERIOD = {
    "year": 2020,
    "opens_on": datetime.date(2021, 1, 4),
    "deadline": datetime.date(2021, 1, 31),
}

# 附件1 2020年河南省专利质押融资统计表: unit → (质押金额（万元）, 项目数, 专利数)
PATENT_2020 = {
    "三门峡": ("50000", 1, 25),
    "洛阳": ("37209.56", 27, 226),
    "驻马店": ("32665", 15, 95),
    "焦作": ("25630", 32, 238),
    "漯河": ("22300", 30, 169),
    "安阳": ("20042", 13, 112),
    "郑州": ("19060", 28, 148),
    "濮阳": ("18280", 28, 149),
    "鹤壁": ("17820", 13, 121),
    "南阳": ("10282", 13, 70),
    "商丘": ("8850", 10, 89),
    "济源": ("8650", 8, 77),
    "信阳": ("8543", 6, 32),
    "许昌": ("5890", 11, 54),
    "平顶山": ("3690", 5, 28),
    "周口": ("3400", 4, 25),
    "新乡": ("3400", 2, 5),
    "开封": ("2900", 3, 21),
}

# 附件2 2020年河南省商标质押融资统计表: unit → (金额（万元）, 项目数, 商标件数)
TRADEMARK_2020 = {
    "南阳市": ("40000", 2, 281),
    "洛阳市": ("5642.71", 1, 3),
    "驻马店": ("4310", 3, 6),
    "商丘市": ("2800", 1, 12),
    "周口市": ("1020", 2, 17),
    "鹤壁市": ("900", 1, 13),
    "濮阳市": ("600", 1, 12),
    "新乡市": ("488.82", 1, 16),
    "郑州市": ("46", 1, 3),
    "开封市": ("0", 0, 0),
    "平顶山市": ("0", 0, 0),
    "安阳市": ("0", 0, 0),
    "焦作市": ("0", 0, 0),
    "许昌市": ("0", 0, 0),
    "漯河市": ("0", 0, 0),
    "三门峡市": ("0", 0, 0),
    "信阳市": ("0", 0, 0),
    "济源": ("0", 0, 0),
}

FIGURES_2020 = {IPKind.PATENT: PATENT_2020, IPKind.TRADEMARK: TRADEMARK_2020}

# The circular's fourth point: other provinces' 2020 pledges (件, 亿元).
BENCHMARKS_2020 = [
    ("浙江省", IPKind.TRADEMARK, 4351, Decimal("200.54")),
    ("山东省", IPKind.TRADEMARK, 1318, Decimal("101.46")),
    ("浙江省", IPKind.PATENT, 4722, Decimal("401.07")),
    ("江苏省", IPKind.PATENT, 3683, Decimal("125.27")),
    ("安徽省", IPKind.PATENT, 2846, Decimal("79.12")),
]
BENCHMARK_SOURCE = "豫知〔2021〕8号"

# The open 2021 period, so the whole loop can be tried at once: unit → (state, figures by kind).
# Figures: amount (万元), projects, items, 惠及企业, 中小微企业, 普惠项目. 鹤壁's patents and 洛阳's
# trademarks are the sums of the demo pledge contracts that the contracts app adds to them.
DEMO_2021 = {
    "郑州": ("draft", {IPKind.PATENT: ("21500", 30, 160, 26, 20, 22), IPKind.TRADEMARK: ("60", 1, 4, 1, 1, 1)}),
    "开封": ("draft", {IPKind.PATENT: ("3100", 3, 20, 3, 3, 3)}),
    "洛阳": ("submitted", {IPKind.PATENT: ("41020.5", 31, 240, 28, 22, 20), IPKind.TRADEMARK: ("6100", 6, 14, 5, 4, 3)}),
    "三门峡": ("submitted", {IPKind.PATENT: ("52000", 1, 22, 1, 0, 0), IPKind.TRADEMARK: ("0", 0, 0, None, None, None)}),
    "驻马店": ("submitted", {IPKind.PATENT: ("30100", 16, 98, 15, 12, 11), IPKind.TRADEMARK: ("4500", 3, 7, 3, 3, 3)}),
    "南阳": ("submitted", {IPKind.PATENT: ("12800", 15, 80, 14, 11, 13), IPKind.TRADEMARK: ("42000", 2, 290, 2, 1, 0)}),
    "焦作": ("returned", {IPKind.PATENT: ("26800", 33, 240, 30, 25, 28), IPKind.TRADEMARK: ("0", 0, 0, None, None, None)}),
    "鹤壁": ("approved", {IPKind.PATENT: ("18500", 9, 126, 8, 6, 3), IPKind.TRADEMARK: ("950", 1, 13, 1, 1, 1)}),
}  # fmt: skip
DEMO_2021_RETURN_REASON = "专利项目数与质押登记台账不一致，请核对后重新提交。"
DEMO_2021_EXPLANATION = "（演示）与上年同期相比变动较大，原因为本年度新增银企对接活动。"


def load_published(out):
    """The 2020 figures as published (final data) and the peer provinces. Safe to re-run."""
    resolver = UnitResolver()
    period, created = ReportingPeriod.objects.get_or_create(
        year=DEMO_PERIOD["year"],
        granularity="year",
        number=1,
        defaults={"opens_on": DEMO_PERIOD["opens_on"], "deadline": DEMO_PERIOD["deadline"]},
    )
    out.write(f"Period {period.slug}: {'created' if created else 'already there'}")
    by_unit = {}
    for kind, table in FIGURES_2020.items():
        for name, (amount, projects, items) in table.items():
            unit = resolver.resolve(name)
            by_unit.setdefault(unit, {})[kind] = services.Figures(Decimal(amount), projects, items)
    changed = sum(
        services.record_published_figures(unit, period, figures)
        for unit, figures in by_unit.items()
    )
    out.write(f"2020 figures: {len(by_unit)} units, {changed} figure rows created or changed")
    created_count = 0
    for province, kind, items, amount_yi in BENCHMARKS_2020:
        _benchmark, created = ProvinceBenchmark.objects.update_or_create(
            province=province,
            year=2020,
            kind=kind,
            defaults={"items": items, "amount": amount_yi * 10000, "source": BENCHMARK_SOURCE},
        )
        created_count += created
    out.write(f"Peer-province benchmarks: {created_count} created, {len(BENCHMARKS_2020)} in all")


def load_2021_drafts(out):
    """An open 2021 period and every demo unit's draft, saved by its submitter (the demo
    accounts must exist). Nothing is added to a period that has reports already."""
    today = timezone.localdate()
    period, created = ReportingPeriod.objects.get_or_create(
        year=2021,
        granularity="year",
        number=1,
        defaults={
            "opens_on": datetime.date(2022, 1, 4),
            "deadline": today + datetime.timedelta(days=30),
        },
    )
    if PledgeReport.objects.filter(period=period).exists():
        out.write("Period 2021: already there")
        return
    resolver = UnitResolver()
    for short_name, (_state, figures) in DEMO_2021.items():
        values = {
            kind: services.Figures(Decimal(amount), *rest)
            for kind, (amount, *rest) in figures.items()
        }
        services.save_figures(
            accounts_demo.submitter(short_name),
            resolver.resolve(short_name),
            period,
            values,
            expected_version=0,
        )
    out.write(
        f"Period 2021: {'created' if created else 'filled'}, open until {period.deadline}, "
        f"{len(DEMO_2021)} demo reports"
    )


def move_2021(out):
    """Each demo draft of 2021 that never moved yet, moved to its demo state: submitted,
    returned or approved (no e-mail to anyone)."""
    resolver = UnitResolver()
    reviewer = accounts_demo.reviewer()
    for short_name, (state, _figures) in DEMO_2021.items():
        report = PledgeReport.objects.filter(
            unit=resolver.resolve(short_name), period__year=2021, period__granularity="year"
        ).first()
        if state == "draft" or report is None or report.transitions.exists():
            continue
        submitter = accounts_demo.submitter(short_name)
        if services.submission_warnings(report):
            report = services.save_figures(
                submitter, report.unit, report.period, {}, explanation=DEMO_2021_EXPLANATION
            )
        transition(report, WorkflowAction.SUBMIT, submitter, notify=False)
        if state == "returned":
            transition(
                report, WorkflowAction.RETURN, reviewer, DEMO_2021_RETURN_REASON, notify=False
            )
        elif state == "approved":
            transition(report, WorkflowAction.APPROVE, reviewer, notify=False)
