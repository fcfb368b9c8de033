"""E-mail about reports: submissions to the reviewers; returns, approvals, reopenings and the
province's imports to the unit."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.roles import REVIEWER_GROUP

from .email_links import portal_url
from .models import ReportState, WorkflowAction


def reviewers():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=REVIEWER_GROUP)
        .exclude(email="")
    )


def unit_submitters(unit):
    return unit.submitters.filter(is_active=True).exclude(email="")


def report_url(report):
    return portal_url(reverse("reporting:report", args=[report.period.slug, report.unit.code]))


def recipients(transition):
    """Who hears of a move of any kind of report (the addresses, sorted): the reviewers of a
    unit's submission; the unit's submitters of the province's answers and of its imports
    (the province entered the unit's data itself: the unit is told what was submitted)."""
    if transition.to_state == ReportState.SUBMITTED and transition.action != WorkflowAction.IMPORT:
        users = reviewers()
    else:
        users = unit_submitters(transition.report.unit)
    return sorted({user.email for user in users})


def notify_transition(transition):
    """Send the e-mail a state change calls for; returns the number of messages sent."""
    return send_move_mail(transition, report_url(transition.report), "reporting/email/transition")


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


def send_deadline_reminder(period, unit, deadline, days):
    """Remind a unit's submitters that its report is not submitted. Returns messages sent."""
    addresses = sorted({user.email for user in unit_submitters(unit)})
    if not addresses:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "period": period,
            "unit": unit,
            "deadline": deadline,
            "days": days,
            "overdue": days < 0,
            "overdue_days": -days,
            "url": portal_url(reverse("reporting:report", args=[period.slug, unit.code])),
        }
        subject = render_to_string("reporting/email/reminder_subject.txt", context).strip()
        body = render_to_string("reporting/email/reminder_body.txt", context)
    return send_mass_mail(
        [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in addresses],
        fail_silently=False,
    )
