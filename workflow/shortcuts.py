"""What the views of every kind of report share: finding a unit and its report as the user
may see them, and saying how a move went."""

from django.contrib import messages
from django.http import Http404

from accounts.roles import can
from cities.models import ReportingUnit
from lib.fragments import cached_value
from lib.freshness import data_version

from .services import AlreadyDone, WorkflowError


def act(request, change, success):
    """Run a service ``change`` and say how it went: done, already done, or refused and why."""
    try:
        change()
    except AlreadyDone as done:
        messages.info(request, done.message)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success() if callable(success) else success)


def get_unit_for(user, code):
    """The unit, if this user may see its reports; otherwise it does not exist for them (404)."""
    unit = cached_value(
        "unit",
        [code, data_version()],
        lambda: ReportingUnit.objects.select_related("parent").filter(code=code).first() or "",
    )
    if not unit or not can(user, "cities.view_unit", unit):
        raise Http404
    return unit


def report_for(reports, user, unit, period):
    """The unit's report of the period among ``reports`` (a queryset of one kind of report),
    if ``user`` may see it, else None; its unit and period are the ones loaded already."""
    report = reports.for_user(user).filter(unit=unit, period=period).select_related("updated_by")
    report = report.first()
    if report:
        report.unit, report.period = unit, period
    return report
