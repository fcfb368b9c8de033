"""E-mail about measure reports, on the figures' rules: submissions to the reviewers, the
province's answers to the unit."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from reporting.email_links import portal_url
from reporting.models import ReportState, WorkflowAction
from reporting.notifications import reviewers, unit_submitters


def notify_transition(transition):
    """Send the e-mail a state change calls for; returns the number of messages sent."""
    report = transition.report
    if transition.to_state == ReportState.SUBMITTED and transition.action != WorkflowAction.IMPORT:
        recipients = reviewers()
    else:
        recipients = unit_submitters(report.unit)
    addresses = sorted({user.email for user in recipients})
    if not addresses:
        return 0
    url = portal_url(reverse("measures:report", args=[report.period.slug, report.unit.code]))
    with translation.override(settings.LANGUAGE_CODE):
        context = {"transition": transition, "report": report, "url": url}
        subject = render_to_string("measures/email/transition_subject.txt", context).strip()
        body = render_to_string("measures/email/transition_body.txt", context)
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in addresses]
    return send_mass_mail(messages, fail_silently=False)
