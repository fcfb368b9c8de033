"""E-mail about measure reports, on the figures' rules (``reporting.notifications``):
submissions to the reviewers, the province's answers to the unit."""

from django.urls import reverse

from lib.email_links import portal_url
from workflow.notifications import send_move_mail


def notify_transition(transition):
    """Send the e-mail a state change calls for; returns the number of messages sent."""
    report = transition.report
    url = portal_url(reverse("measures:report", args=[report.period.slug, report.unit.code]))
    return send_move_mail(transition, url, "measures/email/transition")
