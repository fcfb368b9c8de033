"""Looking up the period a URL names."""

from django.http import Http404

from lib.fragments import cached_value
from lib.freshness import data_version

from .models import ReportingPeriod


def get_period(slug):
    """The period of a URL, kept in the cache until the data version moves (``lib.freshness``),
    so most pages ask the database nothing for it."""
    period = cached_value(
        "period",
        [slug, data_version()],
        lambda: ReportingPeriod.objects.by_slug(slug).first() or "",  # "": none, cached too
    )
    if not period:
        raise Http404
    return period
