"""No lost updates: two people acting on one report at once end with one winner.

Real concurrency needs two real connections and row locks: these run on PostgreSQL
(the production database); SQLite serialises every write anyway.
"""

from decimal import Decimal

import pytest

from reporting import services
from reporting.models import IPKind, PledgeFigures, PledgeReport
from reporting.services import Figures
from tests.support.concurrency import race
from tests.support.factories import PledgeFiguresFactory, PledgeReportFactory
from workflow.models import ReportState, WorkflowAction
from workflow.services import AlreadyDone, StaleReport, WorkflowError, transition

pytestmark = [
    pytest.mark.usefixtures("reference_data"),
    pytest.mark.postgresql("row locks need PostgreSQL"),
]


@pytest.fixture
def submitted(units, open_period):
    report = PledgeReportFactory(
        unit=units["郑州"], period=open_period, state=ReportState.SUBMITTED
    )
    PledgeFiguresFactory(
        report=report, kind=IPKind.PATENT, amount=10, projects=1, items=1, enterprises=1
    )
    PledgeFiguresFactory(report=report, kind=IPKind.TRADEMARK, amount=0, projects=0, items=0)
    return report


def test_two_reviewers_approving_at_once_one_wins_the_other_is_told(submitted, reviewer):
    from tests.support.factories import UserFactory

    second_reviewer = UserFactory(username="reviewer2")
    second_reviewer.groups.set(reviewer.groups.all())
    out = race(
        lambda: transition(submitted, WorkflowAction.APPROVE, reviewer),
        lambda: transition(submitted, WorkflowAction.APPROVE, second_reviewer),
    )
    assert out["first"].to_state == ReportState.APPROVED
    assert isinstance(out["second"], AlreadyDone)
    assert out["second"].message == "报表已经审核通过。"
    assert out["second_waited"] >= 0.4, "the second waited for the first one's lock"
    assert submitted.transitions.count() == 1


def test_approve_and_return_at_once_never_both_happen(submitted, reviewer):
    out = race(
        lambda: transition(submitted, WorkflowAction.APPROVE, reviewer),
        lambda: transition(submitted, WorkflowAction.RETURN, reviewer, "数据有误"),
    )
    assert isinstance(out["second"], WorkflowError)
    assert out["second"].message == "报表当前状态为“已审核”，不能退回。"
    submitted.refresh_from_db()
    assert submitted.state == ReportState.APPROVED


def test_a_submitter_saving_while_a_reviewer_approves_is_told_it_is_locked(
    submitted, reviewer, zhengzhou_submitter, units, open_period
):
    out = race(
        lambda: transition(submitted, WorkflowAction.APPROVE, reviewer),
        lambda: services.save_figures(
            zhengzhou_submitter,
            units["郑州"],
            open_period,
            {IPKind.PATENT: Figures(Decimal("99"), 9, 9, 9)},
            expected_version=submitted.version,
        ),
    )
    assert isinstance(out["second"], WorkflowError)
    assert (
        out["second"].message
        == "报表在您打开后已被reviewer修改（已审核），请查看最新内容后再操作。"
    )
    assert PledgeFigures.objects.get(kind=IPKind.PATENT).amount == Decimal("10")


def test_two_submitters_saving_one_draft_at_once_do_not_overwrite_each_other(
    units, open_period, make_submitter
):
    first, second = make_submitter("a", units["郑州"]), make_submitter("b", units["郑州"])
    base = services.save_figures(
        first,
        units["郑州"],
        open_period,
        {IPKind.PATENT: Figures(Decimal("1"), 1, 1, 1)},
        expected_version=0,
    )
    out = race(
        lambda: services.save_figures(
            first,
            units["郑州"],
            open_period,
            {IPKind.PATENT: Figures(Decimal("2"), 1, 1, 1)},
            expected_version=base.version,
        ),
        lambda: services.save_figures(
            second,
            units["郑州"],
            open_period,
            {IPKind.PATENT: Figures(Decimal("3"), 1, 1, 1)},
            expected_version=base.version,
        ),
    )
    assert isinstance(out["second"], StaleReport)
    assert PledgeFigures.objects.get().amount == Decimal("2")
    assert PledgeReport.objects.get().version == base.version + 1
