from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def report_page_links(user, report):
    """A report of figures links its pledge contracts: the list, its imports and the template."""
    url = reverse("contracts:report_contracts", args=[report.period.slug, report.unit.code])
    return [(_("质押合同明细"), url)]
