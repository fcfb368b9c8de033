"""E-mail about a unit's figures: the moves of its report, and reminders of its deadline."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from lib.email_links import portal_url
from workflow.notifications import send_move_mail, unit_submitters


def report_url(report):
    return portal_url(reverse("reporting:report", args=[report.period.slug, report.unit.code]))


def notify_transition(transition):
    """Send the e-mail a state change calls for; returns the number of messages sent."""
    return send_move_mail(transition, report_url(transition.report), "reporting/email/transition")


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
