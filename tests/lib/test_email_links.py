"""Links in e-mail: the address the portal was reached at in a local run, the configured one
(DJANGO_PORTAL_BASE_URL) in production and from commands; never a host Django refuses."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import RequestFactory

from lib.email_links import portal_url
from lib.requests import CurrentRequestMiddleware
from reporting.models import IPKind, PledgeReport
from tests.support.factories import (
    PledgeFiguresFactory,
    PledgeReportFactory,
    ReportingPeriodFactory,
)
from workflow.models import ReportState

BASE_URL = "https://zscq.example.gov.cn"
REPORT_PATH = "/periods/2021/410100/"


@pytest.fixture
def portal(settings):
    settings.PORTAL_BASE_URL = BASE_URL + "/"  # a trailing slash is no second one
    return settings


@pytest.fixture
def submitted(reference_data, make_submitter, reviewer, units):
    """郑州's 2021 report, submitted; its submitter and a reviewer exist (committed data: the
    e-mail is sent when the approval commits, inside the request, as in production)."""
    make_submitter("zhengzhou", units["郑州"])
    today = datetime.date.today()
    period = ReportingPeriodFactory(
        year=2021,
        opens_on=today - datetime.timedelta(days=20),
        deadline=today + datetime.timedelta(days=10),
    )
    report = PledgeReportFactory(unit=units["郑州"], period=period, state=ReportState.SUBMITTED)
    for kind in IPKind:
        PledgeFiguresFactory(report=report, kind=kind, amount=10, projects=1, items=1)
    return report


def approve(client, reviewer, report, host):
    client.force_login(reviewer)
    return client.post(f"{REPORT_PATH}approve/", {"version": report.version}, HTTP_HOST=host)


def links(message):
    return [word for word in message.body.split() if "://" in word]


@pytest.mark.django_db(transaction=True)
def test_in_a_local_run_a_page_mails_links_to_the_address_it_was_reached_at(
    client, portal, submitted, reviewer
):
    portal.DEBUG = True
    response = approve(client, reviewer, submitted, "127.0.0.1:8101")
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["zhengzhou@example.org"]]
    assert links(mail.outbox[0]) == [f"http://127.0.0.1:8101{REPORT_PATH}"]


@pytest.mark.django_db(transaction=True)
def test_in_production_a_page_mails_links_to_the_configured_address(
    client, portal, submitted, reviewer
):
    portal.DEBUG = False
    response = approve(client, reviewer, submitted, "127.0.0.1:8101")
    assert response.status_code == 302
    assert links(mail.outbox[0]) == [f"{BASE_URL}{REPORT_PATH}"]


@pytest.mark.django_db(transaction=True)
def test_a_request_to_a_host_the_portal_does_not_answer_to_changes_and_mails_nothing(
    client, portal, submitted, reviewer
):
    portal.DEBUG = True
    response = approve(client, reviewer, submitted, "portal.example.com:8101")
    assert response.status_code == 400
    assert mail.outbox == []
    assert PledgeReport.objects.get(pk=submitted.pk).state == ReportState.SUBMITTED


@pytest.mark.django_db
def test_a_command_mails_links_to_the_configured_address_even_in_a_local_run(
    portal, units, zhengzhou_submitter
):
    portal.DEBUG = True
    deadline = datetime.date(2022, 1, 31)
    ReportingPeriodFactory(year=2021, opens_on=datetime.date(2022, 1, 4), deadline=deadline)
    call_command("remind_deadlines", "--today", "2022-01-28", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [["zhengzhou@example.org"]]
    assert links(mail.outbox[0]) == [f"{BASE_URL}{REPORT_PATH}"]


# ── The address itself ──────────────────────────────────────────────────────────────────


def address_while_answering(request):
    """What portal_url gives while the middleware answers ``request``."""
    return CurrentRequestMiddleware(lambda request: portal_url(REPORT_PATH))(request)


def test_a_link_made_while_answering_a_local_request_uses_its_scheme_host_and_port(portal):
    portal.DEBUG = True
    request = RequestFactory().get("/", HTTP_HOST="localhost:8101", secure=True)
    assert address_while_answering(request) == f"https://localhost:8101{REPORT_PATH}"


def test_a_host_django_refuses_is_never_put_in_a_link(portal):
    portal.DEBUG = True
    request = RequestFactory().get("/", HTTP_HOST="portal.example.com")
    assert address_while_answering(request) == f"{BASE_URL}{REPORT_PATH}"


def test_a_forwarded_host_is_not_believed(portal):
    portal.DEBUG = True
    request = RequestFactory().get(
        "/", HTTP_HOST="127.0.0.1:8101", HTTP_X_FORWARDED_HOST="portal.example.com"
    )
    assert address_while_answering(request) == f"http://127.0.0.1:8101{REPORT_PATH}"


def test_once_the_request_is_answered_links_use_the_configured_address_again(portal):
    portal.DEBUG = True
    address_while_answering(RequestFactory().get("/", HTTP_HOST="127.0.0.1:8101"))
    assert portal_url(REPORT_PATH) == f"{BASE_URL}{REPORT_PATH}"


def test_a_request_that_fails_leaves_no_address_behind(portal):
    portal.DEBUG = True

    def fail(request):
        raise RuntimeError("the view failed")

    with pytest.raises(RuntimeError):
        CurrentRequestMiddleware(fail)(RequestFactory().get("/", HTTP_HOST="127.0.0.1:8101"))
    assert portal_url(REPORT_PATH) == f"{BASE_URL}{REPORT_PATH}"
