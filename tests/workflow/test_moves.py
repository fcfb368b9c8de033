import datetime
from decimal import Decimal
from itertools import product

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from audit.models import AuditEvent, Event
from periods.services import grant_extension
from reporting import services
from reporting.models import IPKind, ReportTransition
from reporting.services import Figures
from tests.support.factories import (
    GOOD,
    ReportingPeriodFactory,
    report_in,
)
from workflow.models import ReportState, WorkflowAction
from workflow.services import (
    AlreadyDone,
    StaleReport,
    WorkflowError,
    approval_refusals,
    approve_many,
    transition,
)

pytestmark = pytest.mark.django_db


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
        logged = transition(report, action, people[role], comment="原因")
        report.refresh_from_db()
        assert report.state == expected
        assert (logged.from_state, logged.to_state, logged.actor, logged.action) == (
            state,
            expected,
            people[role],
            action,
        )
        # One line in the audit trail, in the move's transaction.
        (event,) = AuditEvent.objects.filter(event=Event.WORKFLOW_MOVE)
        assert (event.user, event.object_type, event.object_id) == (
            people[role],
            "reporting.pledgereport",
            str(report.pk),
        )
        assert event.details == {"move": action.label, "from": state.label, "to": expected.label}
    else:
        with pytest.raises((PermissionDenied, WorkflowError)):
            transition(report, action, people[role], comment="原因")
        report.refresh_from_db()
        assert report.state == state
        assert not ReportTransition.objects.exists()
        assert not AuditEvent.objects.filter(event=Event.WORKFLOW_MOVE).exists()


def test_a_refused_move_names_the_state(units, open_period, reviewer):
    report = report_in(ReportState.DRAFT, units["郑州"], open_period)
    with pytest.raises(WorkflowError) as error:
        transition(report, WorkflowAction.APPROVE, reviewer)
    assert error.value.message == "报表当前状态为“草稿”，不能审核通过。"


@pytest.mark.parametrize("action", [WorkflowAction.RETURN, WorkflowAction.REOPEN])
@pytest.mark.parametrize("comment", ["", "   ", "\n"])
def test_returning_or_reopening_needs_a_reason(units, open_period, reviewer, action, comment):
    state = ReportState.SUBMITTED if action == WorkflowAction.RETURN else ReportState.APPROVED
    report = report_in(state, units["郑州"], open_period)
    with pytest.raises(WorkflowError) as error:
        transition(report, action, reviewer, comment=comment)
    assert error.value.message == f"请填写{action.label}的原因。"
    report.refresh_from_db()
    assert report.state == state


def test_a_double_submit_is_already_done_not_an_error(units, open_period, zhengzhou_submitter):
    report = report_in(ReportState.DRAFT, units["郑州"], open_period)
    transition(report, WorkflowAction.SUBMIT, zhengzhou_submitter)
    with pytest.raises(AlreadyDone) as done:
        transition(report, WorkflowAction.SUBMIT, zhengzhou_submitter)
    assert done.value.message == "报表已经提交，无需重复提交。"
    assert ReportTransition.objects.count() == 1


def test_a_second_approval_is_already_done(units, open_period, reviewer):
    report = report_in(ReportState.SUBMITTED, units["郑州"], open_period)
    transition(report, WorkflowAction.APPROVE, reviewer)
    with pytest.raises(AlreadyDone) as done:
        transition(report, WorkflowAction.APPROVE, reviewer)
    assert done.value.message == "报表已经审核通过。"


def test_a_draft_cannot_be_submitted_after_the_deadline(units, zhengzhou_submitter):
    period = ReportingPeriodFactory(
        year=2021, opens_on=datetime.date(2022, 1, 1), deadline=datetime.date(2022, 1, 31)
    )
    report = report_in(ReportState.DRAFT, units["郑州"], period)
    with pytest.raises(WorkflowError) as error:
        transition(report, WorkflowAction.SUBMIT, zhengzhou_submitter)
    assert error.value.message == "本期报送已于 2022-01-31 截止。如需补报，请联系省局为本单位延期。"


def test_an_extension_lets_one_unit_submit_late(
    units, zhengzhou_submitter, luoyang_submitter, reviewer
):
    period = ReportingPeriodFactory(
        year=2021, opens_on=datetime.date(2022, 1, 1), deadline=datetime.date(2022, 1, 31)
    )
    until = timezone.localdate() + datetime.timedelta(days=3)
    grant_extension(reviewer, period, units["郑州"], until, "系统故障")
    zhengzhou = report_in(ReportState.DRAFT, units["郑州"], period)
    luoyang = report_in(ReportState.DRAFT, units["洛阳"], period)
    transition(zhengzhou, WorkflowAction.SUBMIT, zhengzhou_submitter)
    with pytest.raises(WorkflowError):
        transition(luoyang, WorkflowAction.SUBMIT, luoyang_submitter)


def test_an_extension_that_ended_no_longer_helps(units, zhengzhou_submitter, reviewer):
    period = ReportingPeriodFactory(
        year=2021, opens_on=datetime.date(2022, 1, 1), deadline=datetime.date(2022, 1, 31)
    )
    grant_extension(reviewer, period, units["郑州"], datetime.date(2022, 2, 10), "系统故障")
    report = report_in(ReportState.DRAFT, units["郑州"], period)
    with pytest.raises(WorkflowError) as error:
        transition(report, WorkflowAction.SUBMIT, zhengzhou_submitter)
    assert "2022-02-10" in error.value.message


def test_a_returned_report_can_be_corrected_after_the_deadline(units, zhengzhou_submitter):
    period = ReportingPeriodFactory(
        year=2021, opens_on=datetime.date(2022, 1, 1), deadline=datetime.date(2022, 1, 31)
    )
    report = report_in(ReportState.RETURNED, units["郑州"], period)
    services.save_figures(zhengzhou_submitter, units["郑州"], period, GOOD)
    transition(report, WorkflowAction.SUBMIT, zhengzhou_submitter)
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


def test_acting_on_a_stale_page_is_refused(units, open_period, reviewer):
    report = report_in(ReportState.SUBMITTED, units["郑州"], open_period)
    with pytest.raises(StaleReport):
        transition(report, WorkflowAction.APPROVE, reviewer, expected_version=report.version - 1)


def test_approve_many_approves_the_submitted_and_explains_the_rest(units, open_period, reviewer):
    submitted = report_in(ReportState.SUBMITTED, units["郑州"], open_period)
    draft = report_in(ReportState.DRAFT, units["洛阳"], open_period)
    approved, refused = approve_many(
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
    transition(report, WorkflowAction.RETURN, reviewer, comment="请核对")
    services.save_figures(
        zhoukou, units["周口"], open_period, {IPKind.PATENT: Figures(Decimal("999"), 2, 5, 2)}
    )
    transition(report, WorkflowAction.SUBMIT, zhoukou)
    approved, refused = approve_many([(report, seen)], reviewer)
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
        transition(report, WorkflowAction.SUBMIT, zhengzhou_submitter)
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
        transition(report, WorkflowAction.RETURN, reviewer, comment="请补充惠及企业数")
    assert [m.to for m in mail.outbox] == [["zhengzhou@example.org"]]
    assert mail.outbox[0].subject == "[质押融资报送] 郑州市 2021年 报表已退回"
    assert "请补充惠及企业数" in mail.outbox[0].body


def test_an_approval_mails_the_unit(
    units, open_period, zhengzhou_submitter, reviewer, django_capture_on_commit_callbacks
):
    report = report_in(ReportState.SUBMITTED, units["郑州"], open_period)
    with django_capture_on_commit_callbacks(execute=True):
        transition(report, WorkflowAction.APPROVE, reviewer)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["zhengzhou@example.org"], "[质押融资报送] 郑州市 2021年 报表已审核")
    ]


def test_a_refused_move_sends_no_mail(
    units, open_period, reviewer, django_capture_on_commit_callbacks
):
    report = report_in(ReportState.DRAFT, units["郑州"], open_period)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(WorkflowError):
        transition(report, WorkflowAction.APPROVE, reviewer)
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
    foreseen = approval_refusals(selection, reviewer)
    assert foreseen == {
        draft.pk: "洛阳市：报表当前状态为“草稿”，不能审核通过。",
        approved.pk: "开封市：报表已经审核通过。",
        stale.pk: "周口市：报表在您打开后已被他人修改（已提交），请查看最新内容后再操作。未审核通过。",
    }
    assert not ReportTransition.objects.exists()
    assert approval_refusals(selection[:1], administrator) == {
        submitted.pk: "郑州市：您没有权限执行此操作。"
    }
    done, refused = approve_many(selection, reviewer)
    assert done == [submitted]
    assert refused == list(foreseen.values())
