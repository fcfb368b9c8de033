from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reporting.models import IPKind, PledgeFigures, PledgeReport
from reporting.services import Figures, record_published_figures
from tests.support.factories import ReportingPeriodFactory, add_figures
from workflow.models import ReportState, WorkflowAction
from workflow.services import WorkflowError, transition

pytestmark = pytest.mark.django_db


def test_published_figures_are_stored_as_approved(units):
    period = ReportingPeriodFactory(year=2020)
    changed = record_published_figures(
        units["洛阳"],
        period,
        {
            IPKind.PATENT: Figures(Decimal("37209.56"), 27, 226),
            IPKind.TRADEMARK: Figures(Decimal("5642.71"), 1, 3),
        },
    )
    assert changed == 2
    report = PledgeReport.objects.get(unit=units["洛阳"], period=period)
    assert report.state == ReportState.APPROVED
    assert list(report.figures.values_list("kind", "amount", "projects", "items")) == [
        ("patent", Decimal("37209.56"), 27, 226),
        ("trademark", Decimal("5642.71"), 1, 3),
    ]
    move = report.transitions.get()
    assert (move.action, move.from_state, move.to_state, move.actor) == (
        "load_published",
        ReportState.DRAFT,
        ReportState.APPROVED,
        None,
    )


def test_published_figures_need_both_kinds_and_save_nothing_otherwise(units):
    period = ReportingPeriodFactory(year=2020)
    with pytest.raises(WorkflowError) as error:
        record_published_figures(
            units["洛阳"], period, {IPKind.PATENT: Figures(Decimal("37209.56"), 27, 226)}
        )
    assert error.value.message == "请先填写并保存商标数据（没有发生请填 0）。"
    assert not PledgeFigures.objects.exists()


def test_published_figures_leave_an_approved_report_alone(units):
    period = ReportingPeriodFactory(year=2020)
    add_figures(units["郑州"], period, IPKind.PATENT, "10", 1, 1, state=ReportState.APPROVED)
    assert (
        record_published_figures(
            units["郑州"], period, {IPKind.PATENT: Figures(Decimal("19060"), 28, 148)}
        )
        == 0
    )
    assert PledgeFigures.objects.get().amount == Decimal("10.00")


def test_a_person_cannot_make_the_commands_move(units, reviewer):
    period = ReportingPeriodFactory(year=2020)
    report = add_figures(
        units["郑州"], period, IPKind.PATENT, "10", 1, 1, state=ReportState.SUBMITTED
    ).report
    with pytest.raises(PermissionDenied):
        transition(report, WorkflowAction.LOAD_PUBLISHED, reviewer)
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


def test_one_bad_figure_saves_nothing(units):
    period = ReportingPeriodFactory(year=2020)
    with pytest.raises(ValidationError) as error:
        record_published_figures(
            units["洛阳"],
            period,
            {
                IPKind.PATENT: Figures(Decimal("100"), 1, 1),
                IPKind.TRADEMARK: Figures(Decimal("100"), 3, 1),
            },
        )
    assert error.value.message_dict == {
        "trademark-items": ["商标件数（1）不能少于项目数（3）：每个项目至少质押 1 件。"]
    }
    assert not PledgeReport.objects.exists()
    assert not PledgeFigures.objects.exists()


def test_changed_figures_replace_the_stored_ones(units):
    period = ReportingPeriodFactory(year=2020)
    add_figures(units["郑州"], period, IPKind.PATENT, "10", 1, 1, state=ReportState.SUBMITTED)
    changed = record_published_figures(
        units["郑州"],
        period,
        {
            IPKind.PATENT: Figures(Decimal("19060"), 28, 148),
            IPKind.TRADEMARK: Figures(Decimal("46"), 1, 3),
        },
    )
    assert changed == 2
    figure = PledgeFigures.objects.get(kind=IPKind.PATENT)
    assert (figure.amount, figure.projects, figure.items) == (Decimal("19060.00"), 28, 148)
    assert figure.report.state == ReportState.APPROVED
