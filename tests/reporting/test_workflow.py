from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reporting import services
from reporting.models import IPKind, PledgeFigures, PledgeReport
from reporting.queries import report_timeline
from reporting.services import Figures
from tests.support.factories import (
    GOOD,
    PledgeFiguresFactory,
    PledgeReportFactory,
    ReportingPeriodFactory,
    report_in,
)
from workflow.models import ReportState, WorkflowAction
from workflow.services import (
    StaleReport,
    WorkflowError,
    transition,
)

pytestmark = pytest.mark.django_db


def test_submitting_needs_both_kinds(units, open_period, zhengzhou_submitter):
    report = services.save_figures(
        zhengzhou_submitter,
        units["郑州"],
        open_period,
        {IPKind.PATENT: GOOD[IPKind.PATENT]},
        expected_version=0,
    )
    with pytest.raises(WorkflowError) as error:
        transition(report, WorkflowAction.SUBMIT, zhengzhou_submitter)
    assert error.value.message == "请先填写并保存商标数据（没有发生请填 0）。"


def test_a_big_change_against_last_year_needs_an_explanation(
    units, open_period, zhengzhou_submitter
):
    last_year = ReportingPeriodFactory(year=2020)
    previous = PledgeReportFactory(unit=units["郑州"], period=last_year)
    PledgeFiguresFactory(
        report=previous, kind=IPKind.PATENT, amount=Decimal("19060"), projects=28, items=148
    )
    PledgeFiguresFactory(
        report=previous, kind=IPKind.TRADEMARK, amount=Decimal("46"), projects=1, items=3
    )
    figures = {
        IPKind.PATENT: Figures(Decimal("30000"), 28, 148, 20),  # +57.4 %
        IPKind.TRADEMARK: Figures(Decimal("46"), 1, 3, 1),
    }
    report = services.save_figures(
        zhengzhou_submitter, units["郑州"], open_period, figures, expected_version=0
    )
    with pytest.raises(WorkflowError) as error:
        transition(report, WorkflowAction.SUBMIT, zhengzhou_submitter)
    assert error.value.message == (
        "以下情况须在“上报说明”中说明原因后才能提交："
        "专利：质押金额（万元）较上年同期（19060）变动 +57.4%。"
    )
    services.save_figures(
        zhengzhou_submitter, units["郑州"], open_period, {}, explanation="新增风险补偿资金。"
    )
    transition(report, WorkflowAction.SUBMIT, zhengzhou_submitter)


def test_projects_without_enterprises_need_an_explanation(units, open_period, zhengzhou_submitter):
    figures = {
        IPKind.PATENT: Figures(Decimal("10"), 1, 1),
        IPKind.TRADEMARK: Figures(Decimal("0"), 0, 0),
    }
    report = services.save_figures(
        zhengzhou_submitter, units["郑州"], open_period, figures, expected_version=0
    )
    assert services.submission_warnings(report) == ["专利：有 1 个质押项目，但惠及企业数为空或 0。"]
    with pytest.raises(WorkflowError):
        transition(report, WorkflowAction.SUBMIT, zhengzhou_submitter)


def test_a_unit_new_to_pledging_is_flagged_not_divided_by_zero(
    units, open_period, zhengzhou_submitter
):
    last_year = ReportingPeriodFactory(year=2020)
    previous = PledgeReportFactory(unit=units["郑州"], period=last_year)
    PledgeFiguresFactory(
        report=previous, kind=IPKind.TRADEMARK, amount=Decimal("0"), projects=0, items=0
    )
    figures = {
        IPKind.PATENT: Figures(Decimal("0"), 0, 0),
        IPKind.TRADEMARK: Figures(Decimal("5"), 1, 2, 1),
    }
    report = services.save_figures(
        zhengzhou_submitter, units["郑州"], open_period, figures, expected_version=0
    )
    assert services.submission_warnings(report) == [
        "商标：质押金额（万元）上年同期为 0，本期为 5。",
        "商标：项目数上年同期为 0，本期为 1。",
        "商标：商标件数上年同期为 0，本期为 2。",
    ]


def test_saving_from_a_stale_form_is_refused(units, open_period, zhengzhou_submitter):
    services.save_figures(zhengzhou_submitter, units["郑州"], open_period, GOOD, expected_version=0)
    with pytest.raises(StaleReport) as error:
        services.save_figures(
            zhengzhou_submitter,
            units["郑州"],
            open_period,
            {IPKind.PATENT: Figures(Decimal("999"), 9, 9, 9)},
            expected_version=0,
        )
    assert error.value.message.startswith("报表在您打开后已被zhengzhou修改（草稿）")
    assert PledgeFigures.objects.get(kind=IPKind.PATENT).amount == Decimal("100")


@pytest.mark.parametrize("state", [ReportState.SUBMITTED, ReportState.APPROVED])
def test_a_locked_report_says_why_and_saves_nothing(units, open_period, zhengzhou_submitter, state):
    report_in(state, units["郑州"], open_period)
    with pytest.raises(WorkflowError) as error:
        services.save_figures(zhengzhou_submitter, units["郑州"], open_period, GOOD)
    expected = {
        ReportState.SUBMITTED: "报表已提交，正在等待审核，暂不能修改。",
        ReportState.APPROVED: "报表已审核通过，数据已锁定。如需修改，请联系省局重新打开。",
    }[state]
    assert error.value.message == expected
    assert PledgeFigures.objects.get(kind=IPKind.PATENT).items == 5


@pytest.mark.parametrize("who", ["luoyang_submitter", "reviewer"])
def test_only_the_units_submitters_save_its_figures(units, open_period, request, who):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.save_figures(user, units["郑州"], open_period, GOOD, expected_version=0)
    assert not PledgeReport.objects.exists()


def test_invalid_figures_save_nothing_not_even_the_report(units, open_period, zhengzhou_submitter):
    bad = {IPKind.PATENT: GOOD[IPKind.PATENT], IPKind.TRADEMARK: Figures(Decimal("5"), 0, 0)}
    with pytest.raises(ValidationError) as error:
        services.save_figures(
            zhengzhou_submitter, units["郑州"], open_period, bad, expected_version=0
        )
    assert error.value.message_dict == {
        "trademark-projects": ["质押金额大于 0 时，项目数至少为 1。"]
    }
    assert not PledgeReport.objects.exists()
    assert not PledgeFigures.objects.exists()


def test_saving_the_same_figures_again_changes_nothing(units, open_period, zhengzhou_submitter):
    report = services.save_figures(
        zhengzhou_submitter, units["郑州"], open_period, GOOD, expected_version=0
    )
    again = services.save_figures(
        zhengzhou_submitter, units["郑州"], open_period, GOOD, expected_version=1
    )
    assert (report.version, again.version) == (1, 1)
    assert PledgeFigures.history.count() == 2


def test_every_change_keeps_the_old_value_who_and_when(
    units, open_period, zhengzhou_submitter, reviewer
):
    services.save_figures(zhengzhou_submitter, units["郑州"], open_period, GOOD, expected_version=0)
    changed = {IPKind.PATENT: Figures(Decimal("120.5"), 2, 6, 2, 1, 2)}
    report = services.save_figures(
        zhengzhou_submitter, units["郑州"], open_period, changed, expected_version=1
    )
    transition(report, WorkflowAction.SUBMIT, zhengzhou_submitter)
    transition(report, WorkflowAction.RETURN, reviewer, "请核对专利数")
    timeline = report_timeline(report)
    assert [(e.who, e.title) for e in timeline] == [
        ("reviewer", "退回：已提交 → 已退回"),
        ("zhengzhou", "提交：草稿 → 已提交"),
        ("zhengzhou", "修改专利数据"),
        ("zhengzhou", "修改商标数据"),
        ("zhengzhou", "修改专利数据"),
    ]
    assert timeline[0].comment == "请核对专利数"
    assert timeline[2].changes == (("质押金额（万元）", "100", "120.5"), ("专利数", "5", "6"))


def test_the_forms_warnings_are_the_submission_warnings_filled_in(
    units, open_period, zhengzhou_submitter
):
    last_year = ReportingPeriodFactory(year=2020)
    previous = PledgeReportFactory(unit=units["郑州"], period=last_year)
    PledgeFiguresFactory(
        report=previous, kind=IPKind.PATENT, amount=Decimal("200"), projects=2, items=2
    )
    PledgeFiguresFactory(report=previous, kind=IPKind.TRADEMARK, amount=0, projects=0, items=0)
    figures = {
        IPKind.PATENT: Figures(Decimal("314.90"), 2, 2, 2),
        IPKind.TRADEMARK: Figures(Decimal("5.5"), 1, 1, 1),
    }
    report = services.save_figures(zhengzhou_submitter, units["郑州"], open_period, figures)
    patent = services.change_warning_texts(IPKind.PATENT, "amount", Decimal("200.00"))
    trademark = services.change_warning_texts(IPKind.TRADEMARK, "amount", Decimal("0.00"))
    assert services.submission_warnings(report)[:2] == [
        patent["change"].replace("{change}", "+57.5%"),
        trademark["new"].replace("{new}", "5.5"),
    ]
