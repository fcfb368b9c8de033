from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def report_page_links(user, report):
    """A report of figures links the same unit's measures for the period."""
    url = reverse("measures:report", args=[report.period.slug, report.unit.code])
    return [(_("政策措施"), url)]
