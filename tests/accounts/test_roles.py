"""Who may do what: the one module of roles and rules (accounts/roles.py)."""

import pytest
from rules.permissions import permissions

from accounts.roles import can, is_unit_submitter
from tests.factories import PledgeReportFactory, ReportingPeriodFactory

pytestmark = pytest.mark.django_db


def test_every_rule_of_the_project_is_registered_in_one_place():
    assert sorted(permissions) == [
        "circulars.edit_circulars",
        "circulars.view_circulars",
        "reporting.edit_report",
        "reporting.grant_extension",
        "reporting.review_report",
        "reporting.view_board",
        "reporting.view_provisional",
        "reporting.view_report",
    ]


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
