"""What every table of a period says while the period is still open."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cities.models import ReportingUnit


def open_period_line(as_of, approved, total):
    return _("报送中 · 截至 {time} 已审核 {approved} / {total} 个单位").format(
        time=timezone.localtime(as_of).strftime("%Y-%m-%d %H:%M"), approved=approved, total=total
    )


def period_status_line(period, approved_reports):
    """The line every table of a period still open carries ("" once it has closed); one query.

    ``approved_reports``: the approved reports of the kind the table counts (the figures',
    the measures'), of any period: those of ``period`` are counted."""
    if period.is_closed:
        return ""
    approved_units = approved_reports.filter(period=period).values("unit_id")
    counts = ReportingUnit.objects.aggregate(
        total=Count("pk"), approved=Count("pk", filter=Q(pk__in=approved_units))
    )
    return open_period_line(timezone.now(), counts["approved"], counts["total"])
