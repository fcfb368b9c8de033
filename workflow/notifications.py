"""E-mail about a move of any kind of report: submissions to the reviewers; returns,
approvals, reopenings and the province's imports to the unit."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.utils import translation

from accounts.roles import REVIEWER_GROUP

from .models import ReportState, WorkflowAction


def reviewers():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=REVIEWER_GROUP)
        .exclude(email="")
    )


def unit_submitters(unit):
    return unit.submitters.filter(is_active=True).exclude(email="")


def recipients(transition):
    """Who hears of a move of any kind of report (the addresses, sorted): the reviewers of a
    unit's submission; the unit's submitters of the province's answers and of its imports
    (the province entered the unit's data itself: the unit is told what was submitted)."""
    if transition.to_state == ReportState.SUBMITTED and transition.action != WorkflowAction.IMPORT:
        users = reviewers()
    else:
        users = unit_submitters(transition.report.unit)
    return sorted({user.email for user in users})


def send_move_mail(transition, url, templates):
    """The e-mail of a move of any kind of report to ``recipients``: ``templates`` names its
    ``_subject.txt`` and ``_body.txt``, ``url`` the report's page. Returns messages sent."""
    addresses = recipients(transition)
    if not addresses:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {"transition": transition, "report": transition.report, "url": url}
        subject = render_to_string(f"{templates}_subject.txt", context).strip()
        body = render_to_string(f"{templates}_body.txt", context)
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in addresses]
    return send_mass_mail(messages, fail_silently=False)
