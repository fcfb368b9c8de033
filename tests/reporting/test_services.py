from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from reporting.models import IPKind, PledgeFigures, PledgeReport, ReportState
from reporting.services import Figures, record_published_figures
from tests.factories import ReportingPeriodFactory, add_figures

pytestmark = pytest.mark.django_db


def test_published_figures_are_stored_as_approved(units):
    period = ReportingPeriodFactory(year=2020)
    changed = record_published_figures(
        units["洛阳"], period, {IPKind.PATENT: Figures(Decimal("37209.56"), 27, 226)}
    )
    assert changed == 1
    report = PledgeReport.objects.get(unit=units["洛阳"], period=period)
    assert report.state == ReportState.APPROVED
    assert list(report.figures.values_list("kind", "amount", "projects", "items")) == [
        ("patent", Decimal("37209.56"), 27, 226)
    ]


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
        units["郑州"], period, {IPKind.PATENT: Figures(Decimal("19060"), 28, 148)}
    )
    assert changed == 1
    figure = PledgeFigures.objects.get()
    assert (figure.amount, figure.projects, figure.items) == (Decimal("19060.00"), 28, 148)
    assert figure.report.state == ReportState.APPROVED
