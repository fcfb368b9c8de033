import datetime
from decimal import Decimal
from itertools import product

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from reporting import services
from reporting.models import (
    IPKind,
    PledgeFigures,
    PledgeReport,
    ReportState,
    ReportTransition,
    WorkflowAction,
)
from reporting.queries import report_timeline
from reporting.services import AlreadyDone, Figures, StaleReport, WorkflowError
from tests.factories import PledgeFiguresFactory, PledgeReportFactory, ReportingPeriodFactory

pytestmark = pytest.mark.django_db

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


# The allowed moves, written out independently of the code's table.
ALLOWED = {
    (ReportState.DRAFT, WorkflowAction.SUBMIT, "own submitter"): ReportState.SUBMITTED,
    (ReportState.RETURNED, WorkflowAction.SUBMIT, "own submitter"): ReportState.SUBMITTED,
    (ReportState.REOPENED, WorkflowAction.SUBMIT, "own submitter"): ReportState.SUBMITTED,
    (ReportState.SUBMITTED, WorkflowAction.RETURN, "reviewer"): ReportState.RETURNED,
    (ReportState.SUBMITTED, WorkflowAction.APPROVE, "reviewer"): ReportState.APPROVED,
    (ReportState.APPROVED, WorkflowAction.REOPEN, "reviewer"): ReportState.REOPENED,
    # The province's import submits on the unit's behalf, from any state but approved.
    **{
        (state, WorkflowAction.IMPORT, role): ReportState.SUBMITTED
        for state in (
            ReportState.DRAFT,
            ReportState.SUBMITTED,
            ReportState.RETURNED,
            ReportState.REOPENED,
        )
        for role in ("reviewer", "administrator")
    },
    # Published figures are loaded by a command only (no actor): no person may.
}
ROLES = ["own submitter", "other submitter", "reviewer", "administrator"]
ACTIONS = list(WorkflowAction.__members__.values())
ACTIONS.remove(WorkflowAction.SAVE)  # saving is no move


@pytest.fixture
def people(zhengzhou_submitter, luoyang_submitter, reviewer, administrator_user):
    return {
        "own submitter": zhengzhou_submitter,
        "other submitter": luoyang_submitter,
        "reviewer": reviewer,
        "administrator": administrator_user,
    }


@pytest.mark.parametrize(("state", "action", "role"), list(product(ReportState, ACTIONS, ROLES)))
def test_every_move_of_the_state_machine(units, open_period, people, state, action, role):
    report = report_in(state, units["郑州"], open_period)
    expected = ALLOWED.get((state, action, role))
    if expected:
        logged = services.transition(report, action, people[role], comment="原因")
        report.refresh_from_db()
        assert report.state == expected
        assert (logged.from_state, logged.to_state, logged.actor, logged.action) == (
            state,
            expected,
            people[role],
            action,
        )
    else:
        with pytest.raises((PermissionDenied, WorkflowError)):
            services.transition(report, action, people[role], comment="原因")
        report.refresh_from_db()
        assert report.state == state
        assert not ReportTransition.objects.exists()


def test_a_refused_move_names_the_state(units, open_period, reviewer):
    report = report_in(ReportState.DRAFT, units["郑州"], open_period)
    with pytest.raises(WorkflowError) as error:
        services.transition(report, WorkflowAction.APPROVE, reviewer)
    assert error.value.message == "报表当前状态为“草稿”，不能审核通过。"


@pytest.mark.parametrize("action", [WorkflowAction.RETURN, WorkflowAction.REOPEN])
@pytest.mark.parametrize("comment", ["", "   ", "\n"])
def test_returning_or_reopening_needs_a_reason(units, open_period, reviewer, action, comment):
    state = ReportState.SUBMITTED if action == WorkflowAction.RETURN else ReportState.APPROVED
    report = report_in(state, units["郑州"], open_period)
    with pytest.raises(WorkflowError) as error:
        services.transition(report, action, reviewer, comment=comment)
    assert error.value.message == f"请填写{action.label}的原因。"
    report.refresh_from_db()
    assert report.state == state


def test_a_double_submit_is_already_done_not_an_error(units, open_period, zhengzhou_submitter):
    report = report_in(ReportState.DRAFT, units["郑州"], open_period)
    services.transition(report, WorkflowAction.SUBMIT, zhengzhou_submitter)
    with pytest.raises(AlreadyDone) as done:
        services.transition(report, WorkflowAction.SUBMIT, zhengzhou_submitter)
    assert done.value.message == "报表已经提交，无需重复提交。"
    assert ReportTransition.objects.count() == 1


def test_a_second_approval_is_already_done(units, open_period, reviewer):
    report = report_in(ReportState.SUBMITTED, units["郑州"], open_period)
    services.transition(report, WorkflowAction.APPROVE, reviewer)
    with pytest.raises(AlreadyDone) as done:
        services.transition(report, WorkflowAction.APPROVE, reviewer)
    assert done.value.message == "报表已经审核通过。"


def test_a_draft_cannot_be_submitted_after_the_deadline(units, zhengzhou_submitter):
    period = ReportingPeriodFactory(
        year=2021, opens_on=datetime.date(2022, 1, 1), deadline=datetime.date(2022, 1, 31)
    )
    report = report_in(ReportState.DRAFT, units["郑州"], period)
    with pytest.raises(WorkflowError) as error:
        services.transition(report, WorkflowAction.SUBMIT, zhengzhou_submitter)
    assert error.value.message == "本期报送已于 2022-01-31 截止。如需补报，请联系省局为本单位延期。"


def test_an_extension_lets_one_unit_submit_late(
    units, zhengzhou_submitter, luoyang_submitter, reviewer
):
    period = ReportingPeriodFactory(
        year=2021, opens_on=datetime.date(2022, 1, 1), deadline=datetime.date(2022, 1, 31)
    )
    until = timezone.localdate() + datetime.timedelta(days=3)
    services.grant_extension(reviewer, period, units["郑州"], until, "系统故障")
    zhengzhou = report_in(ReportState.DRAFT, units["郑州"], period)
    luoyang = report_in(ReportState.DRAFT, units["洛阳"], period)
    services.transition(zhengzhou, WorkflowAction.SUBMIT, zhengzhou_submitter)
    with pytest.raises(WorkflowError):
        services.transition(luoyang, WorkflowAction.SUBMIT, luoyang_submitter)


def test_an_extension_that_ended_no_longer_helps(units, zhengzhou_submitter, reviewer):
    period = ReportingPeriodFactory(
        year=2021, opens_on=datetime.date(2022, 1, 1), deadline=datetime.date(2022, 1, 31)
    )
    services.grant_extension(
        reviewer, period, units["郑州"], datetime.date(2022, 2, 10), "系统故障"
    )
    report = report_in(ReportState.DRAFT, units["郑州"], period)
    with pytest.raises(WorkflowError) as error:
        services.transition(report, WorkflowAction.SUBMIT, zhengzhou_submitter)
    assert "2022-02-10" in error.value.message


def test_only_reviewers_grant_extensions_and_never_before_the_deadline(
    units, open_period, reviewer, zhengzhou_submitter
):
    with pytest.raises(PermissionDenied):
        services.grant_extension(
            zhengzhou_submitter, open_period, units["郑州"], open_period.deadline, "x"
        )
    with pytest.raises(WorkflowError) as error:
        services.grant_extension(
            reviewer,
            open_period,
            units["郑州"],
            open_period.deadline - datetime.timedelta(days=1),
            "x",
        )
    assert error.value.message == f"延期日期不能早于本期截止日期（{open_period.deadline}）。"


def test_a_returned_report_can_be_corrected_after_the_deadline(units, zhengzhou_submitter):
    period = ReportingPeriodFactory(
        year=2021, opens_on=datetime.date(2022, 1, 1), deadline=datetime.date(2022, 1, 31)
    )
    report = report_in(ReportState.RETURNED, units["郑州"], period)
    services.save_figures(zhengzhou_submitter, units["郑州"], period, GOOD)
    services.transition(report, WorkflowAction.SUBMIT, zhengzhou_submitter)
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


def test_submitting_needs_both_kinds(units, open_period, zhengzhou_submitter):
    report = services.save_figures(
        zhengzhou_submitter,
        units["郑州"],
        open_period,
        {IPKind.PATENT: GOOD[IPKind.PATENT]},
        expected_version=0,
    )
    with pytest.raises(WorkflowError) as error:
        services.transition(report, WorkflowAction.SUBMIT, zhengzhou_submitter)
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
        services.transition(report, WorkflowAction.SUBMIT, zhengzhou_submitter)
    assert error.value.message == (
        "以下情况须在“上报说明”中说明原因后才能提交："
        "专利：质押金额（万元）较上年同期（19060）变动 +57.4%。"
    )
    services.save_figures(
        zhengzhou_submitter, units["郑州"], open_period, {}, explanation="新增风险补偿资金。"
    )
    services.transition(report, WorkflowAction.SUBMIT, zhengzhou_submitter)


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
        services.transition(report, WorkflowAction.SUBMIT, zhengzhou_submitter)


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


def test_acting_on_a_stale_page_is_refused(units, open_period, reviewer):
    report = report_in(ReportState.SUBMITTED, units["郑州"], open_period)
    with pytest.raises(StaleReport):
        services.transition(
            report, WorkflowAction.APPROVE, reviewer, expected_version=report.version - 1
        )


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
    services.transition(report, WorkflowAction.SUBMIT, zhengzhou_submitter)
    services.transition(report, WorkflowAction.RETURN, reviewer, "请核对专利数")
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


def test_approve_many_approves_the_submitted_and_explains_the_rest(units, open_period, reviewer):
    submitted = report_in(ReportState.SUBMITTED, units["郑州"], open_period)
    draft = report_in(ReportState.DRAFT, units["洛阳"], open_period)
    approved, refused = services.approve_many(
        [(submitted, submitted.version), (draft, draft.version)], reviewer
    )
    assert approved == [submitted]
    assert refused == ["洛阳市：报表当前状态为“草稿”，不能审核通过。"]


def test_a_stale_bulk_approval_skips_a_report_returned_and_resubmitted_since(
    units, open_period, reviewer, make_submitter
):
    """Reviewer A loads the board; B returns 周口; 周口 resubmits 999; A's approval must not
    approve 999 that nobody reviewed."""
    zhoukou = make_submitter("zhoukou", units["周口"])
    report = report_in(ReportState.SUBMITTED, units["周口"], open_period)
    seen = report.version  # what A's board shows
    services.transition(report, WorkflowAction.RETURN, reviewer, comment="请核对")
    services.save_figures(
        zhoukou, units["周口"], open_period, {IPKind.PATENT: Figures(Decimal("999"), 2, 5, 2)}
    )
    services.transition(report, WorkflowAction.SUBMIT, zhoukou)
    approved, refused = services.approve_many([(report, seen)], reviewer)
    assert approved == []
    assert refused == [
        "周口市：报表在您打开后已被zhoukou修改（已提交），请查看最新内容后再操作。未审核通过。"
    ]
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert not report.transitions.filter(action=WorkflowAction.APPROVE).exists()


def test_a_submission_mails_the_reviewers(
    units, open_period, zhengzhou_submitter, reviewer, django_capture_on_commit_callbacks
):
    report = report_in(ReportState.DRAFT, units["郑州"], open_period)
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(report, WorkflowAction.SUBMIT, zhengzhou_submitter)
    assert [m.to for m in mail.outbox] == [["reviewer@example.org"]]
    assert mail.outbox[0].subject == "[质押融资报送] 郑州市 2021年 报表已提交"
    assert "http://127.0.0.1:8000/periods/2021/410100/" in mail.outbox[0].body


def test_a_return_mails_the_units_submitters_with_the_reason(
    units,
    open_period,
    zhengzhou_submitter,
    luoyang_submitter,
    reviewer,
    django_capture_on_commit_callbacks,
):
    report = report_in(ReportState.SUBMITTED, units["郑州"], open_period)
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(report, WorkflowAction.RETURN, reviewer, comment="请补充惠及企业数")
    assert [m.to for m in mail.outbox] == [["zhengzhou@example.org"]]
    assert mail.outbox[0].subject == "[质押融资报送] 郑州市 2021年 报表已退回"
    assert "请补充惠及企业数" in mail.outbox[0].body


def test_an_approval_mails_the_unit(
    units, open_period, zhengzhou_submitter, reviewer, django_capture_on_commit_callbacks
):
    report = report_in(ReportState.SUBMITTED, units["郑州"], open_period)
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(report, WorkflowAction.APPROVE, reviewer)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["zhengzhou@example.org"], "[质押融资报送] 郑州市 2021年 报表已审核")
    ]


def test_a_refused_move_sends_no_mail(
    units, open_period, reviewer, django_capture_on_commit_callbacks
):
    report = report_in(ReportState.DRAFT, units["郑州"], open_period)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(WorkflowError):
        services.transition(report, WorkflowAction.APPROVE, reviewer)
    assert mail.outbox == []


def test_a_bulk_approval_is_foreseen_exactly_and_the_foresight_changes_nothing(
    units, open_period, reviewer, administrator
):
    submitted = report_in(ReportState.SUBMITTED, units["郑州"], open_period)
    draft = report_in(ReportState.DRAFT, units["洛阳"], open_period)
    approved = report_in(ReportState.APPROVED, units["开封"], open_period)
    stale = report_in(ReportState.SUBMITTED, units["周口"], open_period)
    selection = [
        (submitted, submitted.version),
        (draft, draft.version),
        (approved, approved.version),
        (stale, stale.version - 1),
    ]
    foreseen = services.approval_refusals(selection, reviewer)
    assert foreseen == {
        draft.pk: "洛阳市：报表当前状态为“草稿”，不能审核通过。",
        approved.pk: "开封市：报表已经审核通过。",
        stale.pk: "周口市：报表在您打开后已被他人修改（已提交），请查看最新内容后再操作。未审核通过。",
    }
    assert not ReportTransition.objects.exists()
    assert services.approval_refusals(selection[:1], administrator) == {
        submitted.pk: "郑州市：您没有权限执行此操作。"
    }
    done, refused = services.approve_many(selection, reviewer)
    assert done == [submitted]
    assert refused == list(foreseen.values())


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
