"""The version of the data that cached pages are keyed on: every recorded change moves it.

Reports carry a version that every change of their figures, explanation or state bumps (and
an ``updated_at``); the reference data moves a token (``lib.freshness``).
"""

from django.db.models import Count, Max, Sum
from django.utils import timezone

from lib.freshness import reference_version

from .models import PledgeReport


def data_version():
    """A value that moves with every recorded change of the portal's data (one query).

    Today's date is part of it: whether a period is still open depends on it.
    """
    reports = PledgeReport.objects.aggregate(
        count=Count("pk"), versions=Sum("version"), last=Max("updated_at")
    )
    return (
        reports["count"],
        reports["versions"],
        reports["last"].isoformat() if reports["last"] else "",
        reference_version(),
        timezone.localdate().isoformat(),
    )
