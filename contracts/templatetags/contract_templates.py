"""Where to get the contracts template: shown on the page that asks for a file made from it."""

from django import template

from accounts.roles import is_provincial, unit_ids
from cities.models import ReportingUnit
from periods.models import ReportingPeriod

register = template.Library()

LATEST = 3  # periods offered, newest first


@register.inclusion_tag("contracts/template_links.html", takes_context=True)
def contract_template_links(context):
    """A submitter's units × the latest periods as links; the province picks period and unit."""
    user = context["request"].user
    periods = list(ReportingPeriod.objects.all()[:LATEST])
    provincial = is_provincial(user)
    units = (
        ReportingUnit.objects.all()
        if provincial
        else ReportingUnit.objects.filter(pk__in=unit_ids(user))
    )
    return {"periods": periods, "units": list(units), "choose": provincial}
