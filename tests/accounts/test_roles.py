"""Who may do what: the one module of roles and rules (accounts/roles.py)."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from rules.permissions import permissions

from accounts.roles import (
    REVIEWER_GROUP,
    can,
    is_administrator,
    is_provincial,
    is_reviewer,
    is_unit_submitter,
)
from periods.services import grant_extension
from reporting.models import IPKind, PledgeReport
from tests.support.factories import (
    PledgeFiguresFactory,
    PledgeReportFactory,
    ReportingPeriodFactory,
)
from workflow.models import ReportState, WorkflowAction
from workflow.services import transition

pytestmark = pytest.mark.django_db


def test_every_rule_of_the_project_is_registered_in_one_place():
    assert sorted(permissions) == [
        "audit.view_audit_trail",
        "circulars.edit_circulars",
        "circulars.view_circulars",
        "circulars.withdraw_circular",
        "cities.view_unit",
        "measures.edit_report",
        "measures.import_report",
        "measures.review_report",
        "measures.upload_measures",
        "measures.view_content_report",
        "measures.view_matrix",
        "measures.view_report",
        "periods.grant_extension",
        "reporting.edit_report",
        "reporting.import_report",
        "reporting.review_report",
        "reporting.upload_figures",
        "reporting.view_board",
        "reporting.view_content_report",
        "reporting.view_provisional",
        "reporting.view_report",
    ]


def test_a_superuser_is_an_administrator_not_a_reviewer(administrator):
    assert is_administrator(administrator)
    assert is_provincial(administrator)
    assert not is_reviewer(administrator)
    assert not can(administrator, "reporting.review_report")
    assert not can(administrator, "periods.grant_extension")
    assert not can(administrator, "reporting.view_provisional")
    assert can(administrator, "reporting.view_board")
    assert can(administrator, "circulars.edit_circulars")


def test_a_superuser_in_the_reviewers_group_reviews(administrator):
    administrator.groups.add(Group.objects.get(name=REVIEWER_GROUP))
    assert is_reviewer(administrator)
    assert can(administrator, "reporting.review_report")


def test_a_submitter_owns_their_units_and_reports(zhengzhou_submitter, units, open_period):
    report = PledgeReportFactory(unit=units["郑州"], period=open_period)
    assert is_unit_submitter(zhengzhou_submitter, units["郑州"])
    assert is_unit_submitter(zhengzhou_submitter, report)
    assert not is_unit_submitter(zhengzhou_submitter, units["洛阳"])
    assert not is_unit_submitter(zhengzhou_submitter, None)


def test_a_period_never_belongs_to_the_unit_that_shares_its_primary_key(zhengzhou_submitter, units):
    unit = units["郑州"]
    period = ReportingPeriodFactory(pk=unit.pk, year=2019)
    assert period.pk == unit.pk
    assert not is_unit_submitter(zhengzhou_submitter, period)
    assert not can(zhengzhou_submitter, "reporting.edit_report", period)
    assert not can(zhengzhou_submitter, "reporting.view_report", period)


# ── a superuser does not review ──


def report_in(state, unit, period):
    report = PledgeReportFactory(unit=unit, period=period, state=state)
    PledgeFiguresFactory(
        report=report, kind=IPKind.PATENT, amount=Decimal("10"), projects=1, items=1, enterprises=1
    )
    PledgeFiguresFactory(report=report, kind=IPKind.TRADEMARK, amount=0, projects=0, items=0)
    return report


MOVES = [
    (WorkflowAction.APPROVE, ReportState.SUBMITTED),
    (WorkflowAction.RETURN, ReportState.SUBMITTED),
    (WorkflowAction.REOPEN, ReportState.APPROVED),
]


@pytest.mark.parametrize(("action", "state"), MOVES)
def test_a_superuser_cannot_move_a_report_through_the_service(
    administrator, units, open_period, action, state
):
    report = report_in(state, units["郑州"], open_period)
    with pytest.raises(PermissionDenied):
        transition(report, action, administrator, comment="原因", notify=False)
    report.refresh_from_db()
    assert (report.state, report.transitions.count()) == (state, 0)


@pytest.mark.parametrize(("action", "state"), MOVES)
def test_a_superuser_cannot_review_on_the_report_page(
    client, administrator, units, open_period, action, state
):
    report = report_in(state, units["郑州"], open_period)
    client.force_login(administrator)
    response = client.post(
        f"/periods/2021/410100/{action}/", {"version": report.version, "comment": "原因"}
    )
    assert response.status_code == 403
    report.refresh_from_db()
    assert (report.state, report.transitions.count()) == (state, 0)


def test_a_superuser_cannot_bulk_approve(client, administrator, units, open_period):
    report = report_in(ReportState.SUBMITTED, units["郑州"], open_period)
    client.force_login(administrator)
    response = client.post("/periods/2021/board/approve/", {"report": report.pk})
    assert response.status_code == 403
    assert PledgeReport.objects.get(pk=report.pk).state == ReportState.SUBMITTED


def test_a_superuser_cannot_grant_an_extension(client, administrator, units, open_period):
    until = open_period.deadline + datetime.timedelta(days=5)
    with pytest.raises(PermissionDenied):
        grant_extension(administrator, open_period, units["郑州"], until, "x")
    client.force_login(administrator)
    response = client.post(
        "/periods/2021/410100/extension/", {"until": until.isoformat(), "reason": "x"}
    )
    assert response.status_code == 403
    assert not open_period.extensions.exists()


def test_a_superuser_cannot_see_provisional_figures(client, administrator, units, open_period):
    report_in(ReportState.SUBMITTED, units["郑州"], open_period)
    client.force_login(administrator)
    assert client.get("/reports/2021/patent/?provisional=1").status_code == 403
    assert client.get("/reports/2021/patent/").status_code == 200
