"""Looking up the period a URL names."""

from django.http import Http404

from lib.fragments import cached_value
from lib.freshness import reference_version

from .models import ReportingPeriod


def get_period(slug):
    """The period of a URL. Reference data: kept in the cache until a period or unit is saved
    (the reference token moves), so most pages ask the database nothing for it."""
    period = cached_value(
        "period",
        [slug, reference_version()],
        lambda: ReportingPeriod.objects.by_slug(slug).first() or "",  # "": none, cached too
    )
    if not period:
        raise Http404
    return period
