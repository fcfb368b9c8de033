"""What changes reporting data. Views, commands and imports call these; none writes around them."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from .models import IPKind, PledgeFigures, PledgeReport, ReportState


@dataclass(frozen=True)
class Figures:
    amount: Decimal
    projects: int
    items: int


@transaction.atomic
def record_published_figures(unit, period, figures_by_kind):
    """Store figures that were already published (e.g. a past circular) as final data.

    ``figures_by_kind`` maps an ``IPKind`` to ``Figures``. Every figure is
    validated before anything is written; re-running with the same figures
    changes nothing. Returns the number of figure rows created or changed.
    """
    report, _ = PledgeReport.objects.get_or_create(unit=unit, period=period)
    existing = {figure.kind: figure for figure in report.figures.all()}
    pending = []
    for kind, values in figures_by_kind.items():
        kind = IPKind(kind)
        figure = existing.get(kind) or PledgeFigures(report=report, kind=kind)
        new = (Decimal(values.amount).quantize(Decimal("0.01")), values.projects, values.items)
        if figure.pk and (figure.amount, figure.projects, figure.items) == new:
            continue
        figure.amount, figure.projects, figure.items = new
        figure.full_clean()
        pending.append(figure)
    for figure in pending:
        figure.save()
    if report.state != ReportState.APPROVED:
        report.state = ReportState.APPROVED
        report.save(update_fields=["state", "updated_at"])
    return len(pending)
