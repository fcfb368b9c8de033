from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cities.models import UnitKind


def report_page_links(user, report):
    """A report's page links its unit's figures over the years (a 省辖市's or 示范区's)."""
    if report.unit.kind not in UnitKind.ranked():
        return []
    return [(_("本单位历年数据"), reverse("analysis:unit", args=[report.unit.code]))]
