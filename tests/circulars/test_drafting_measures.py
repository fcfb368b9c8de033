"""The situation's paragraph on the units' measures: drafted from approved measure reports only.

The demo's 2020 measures: 洛阳 and 驻马店 with a patent risk-compensation fund, 郑州 and 南阳
with events, 新乡 a nil report; the other 23 units have reported nothing. A fund of a unit the
standings call 成绩优异 is said there (“其中，洛阳、驻马店建立了…”, as the notice says it); this
paragraph names the other units' funds.
"""

import datetime
from decimal import Decimal

import pytest

from circulars.drafting import draft_situation
from measures.models import MeasureReport
from measures.services import record_published_measures
from periods.models import ReportingPeriod
from tests.support.factories import ReportingPeriodFactory
from workflow.models import ReportState, WorkflowAction
from workflow.services import transition

pytestmark = pytest.mark.django_db

DEMO_PARAGRAPH = (
    "尚未开展质押融资巡讲、银企对接或培训活动的有：新乡、驻马店；"
    "尚无现行有效的质押融资扶持政策的有：新乡、南阳。"
    "另有23个单位尚未报送政策措施情况。"
)

KAIFENG_FUND = {
    "title": "开封市知识产权质押融资风险补偿资金",
    "scope": "both",
    "size": Decimal("500"),
    "banks": "中原银行开封分行",
}


@pytest.fixture
def period(published_demo):
    return ReportingPeriod.objects.by_slug("2020").get()


def measures_paragraph(period, names="short"):
    [paragraph] = [p for p in draft_situation(period, names).splitlines() if "政策措施" in p]
    return paragraph


def test_the_2020_draft_names_the_funds_and_the_laggards_from_the_approved_measures(period):
    assert draft_situation(period).splitlines()[-1] == DEMO_PARAGRAPH


def test_full_names_are_written_as_the_attachments_write_them(period):
    drafted = draft_situation(period, "full")
    assert "其中，洛阳市、驻马店市建立了专利质押融资风险补偿机制；" in drafted
    assert measures_paragraph(period, "full").startswith(
        "尚未开展质押融资巡讲、银企对接或培训活动的有：新乡市、驻马店市；"
    )


def test_a_reopened_report_no_longer_counts(period, reviewer, units):
    report = MeasureReport.objects.get(unit=units["驻马店"], period=period)
    transition(report, WorkflowAction.REOPEN, reviewer, comment="风险补偿基金规模有误")
    assert "其中，洛阳建立了专利质押融资风险补偿机制；" in draft_situation(period)
    assert measures_paragraph(period) == (
        "尚未开展质押融资巡讲、银企对接或培训活动的有：新乡；"
        "尚无现行有效的质押融资扶持政策的有：新乡、南阳。"
        "另有24个单位尚未报送政策措施情况。"
    )


def test_a_newly_approved_fund_of_a_unit_not_excellent_is_named_here(period, units):
    record_published_measures(units["开封"], period, {"funds": [KAIFENG_FUND]})
    # 开封 is no 成绩优异 unit: its fund is said here.
    assert measures_paragraph(period) == (
        "开封建立了专利质押融资风险补偿机制；"
        "尚未开展质押融资巡讲、银企对接或培训活动的有：开封、新乡、驻马店；"
        "尚无现行有效的质押融资扶持政策的有：开封、新乡、南阳。"
        "另有22个单位尚未报送政策措施情况。"
    )


def test_a_trademark_fund_is_no_patent_mechanism(period, units):
    record_published_measures(
        units["开封"], period, {"funds": [{**KAIFENG_FUND, "scope": "trademark"}]}
    )
    assert "风险补偿" not in measures_paragraph(period)
    assert "其中，洛阳、驻马店建立了专利质押融资风险补偿机制；" in draft_situation(period)


def test_a_policy_no_longer_in_force_is_no_policy(period, units):
    MeasureReport.objects.get(unit=units["郑州"], period=period).policies.update(in_force=False)
    assert "尚无现行有效的质押融资扶持政策的有：郑州、新乡、南阳。" in measures_paragraph(period)


def test_few_units_not_reported_are_named_and_a_submitted_one_is_awaiting_review(units):
    period = ReportingPeriodFactory(
        year=2019, opens_on=datetime.date(2020, 1, 1), deadline=datetime.date(2020, 1, 31)
    )
    for unit in units.values():
        if unit.short_name not in ("开封", "安阳", "鹤壁", "商丘"):
            record_published_measures(unit, period, {})
    MeasureReport.objects.create(unit=units["商丘"], period=period, state=ReportState.SUBMITTED)
    # Every approved report here is a nil report: every one of them is a laggard.
    paragraph = measures_paragraph(period)
    assert paragraph.endswith(
        "另有开封、安阳、鹤壁等3个单位尚未报送政策措施情况，商丘报送的政策措施情况尚在审核。"
    )


def test_without_any_measure_report_nothing_is_said_of_measures(units):
    period = ReportingPeriodFactory(year=2019)
    assert "政策措施" not in draft_situation(period)
    assert "风险补偿" not in draft_situation(period)


def test_a_units_draft_alone_brings_no_paragraph_about_measures(
    units, zhengzhou_submitter, open_period
):
    from measures.services import save_item
    from measures.types import MEASURE_TYPES

    period = open_period
    save_item(
        zhengzhou_submitter, units["郑州"], period, MEASURE_TYPES["practices"],
        {"title": "草稿中的做法", "text": "尚在写。"}, expected_version=None,
    )  # fmt: skip
    assert "政策措施" not in draft_situation(period)


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("（一一）做法", "（一一）做法"),  # not a numeral: left as written
        ("（十十）做法", "（十十）做法"),
        ("（三四）做法", "（三四）做法"),
        ("（十二）做法", "12.做法"),
        ("二十、做法", "（二十）做法"),
        ("一一、做法", "一一、做法"),
    ],
)
def test_only_well_formed_heading_numbers_are_moved_down_a_level(paragraph, expected):
    from circulars.drafting import demoted

    assert demoted(paragraph) == expected
