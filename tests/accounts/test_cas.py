"""CAS single sign-on against a stub server on the loopback that answers as a broken or hostile
one would: after every failure nobody is logged in, the page says why, and the audit trail
has the reason. (The journeys through a real CAS server are in tests/browser/test_cas.py.)"""

import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client, override_settings

from audit.models import AuditEvent, Event
from tests.support.cas import StubCAS, free_port
from tests.support.factors import code, enrol

pytestmark = pytest.mark.django_db

SERVICE = "http://testserver/accounts/cas/login/?next=%2F"
User = get_user_model()


@pytest.fixture(scope="module")
def stub():
    server = StubCAS(SERVICE, slow=3)
    yield server
    server.stop()


@pytest.fixture
def cas_on(stub, settings):
    settings.CAS_SERVER_URL = stub.url
    settings.CAS_TIMEOUT_SECONDS = 1
    return stub


def ticket_login(client, ticket):
    return client.get("/accounts/cas/login/", {"ticket": ticket})


def logged_in(client):
    return client.get("/").status_code == 200


def refusal_reasons():
    return [
        details.get("reason")
        for details in AuditEvent.objects.filter(event=Event.LOGIN_FAILED)
        .order_by("pk")
        .values_list("details", flat=True)
    ]


def test_a_ticket_the_server_confirms_logs_in_the_account_of_that_name(cas_on, reviewer):
    client = Client()
    response = ticket_login(client, "ST-ok-reviewer-1")
    assert response.status_code == 302 and response["Location"] == "/"
    assert logged_in(client), "the platform's authentication stands: no code asked"
    assert cas_on.asked[-1] == {"ticket": "ST-ok-reviewer-1", "service": SERVICE}
    login = AuditEvent.objects.filter(event=Event.LOGIN).latest("pk")
    assert login.user == reviewer


def test_without_a_ticket_the_browser_is_sent_to_the_platform(cas_on):
    response = Client().get("/accounts/cas/login/", {"next": "/reports/2021/patent/"})
    assert response.status_code == 302
    assert response["Location"] == (
        f"{cas_on.url}login?service=http%3A%2F%2Ftestserver%2Faccounts%2Fcas%2Flogin%2F"
        "%3Fnext%3D%252Freports%252F2021%252Fpatent%252F"
    )


@pytest.mark.parametrize(
    ("ticket", "status", "words", "reason"),
    [
        ("ST-refused", 403, "统一身份认证平台未确认本次登录", "ticket_refused"),
        ("ST-garbage", 502, "统一身份认证平台的应答无法识别", "malformed"),
        ("ST-bomb", 502, "统一身份认证平台的应答无法识别", "malformed"),
        ("ST-huge", 502, "统一身份认证平台的应答无法识别", "malformed"),
        ("ST-slow", 502, "统一身份认证平台在 1 秒内没有应答", "timeout"),
    ],
)
def test_a_refused_or_broken_answer_logs_nobody_in(cas_on, reviewer, ticket, status, words, reason):
    client = Client()
    started = time.monotonic()
    response = ticket_login(client, ticket)
    assert time.monotonic() - started < 2.5, "the time-out holds"
    assert response.status_code == status
    text = response.content.decode()
    assert words in text and "您没有登录本系统" in text
    assert not logged_in(client)
    assert refusal_reasons() == [reason]


def test_a_ticket_issued_for_another_service_is_refused(cas_on, reviewer):
    client = Client()
    response = client.get("/accounts/cas/login/", {"ticket": "ST-ok-reviewer-2", "next": "/x/"})
    assert cas_on.asked[-1]["service"] != SERVICE
    assert response.status_code == 403 and "不是为本系统签发的" in response.content.decode()
    assert not logged_in(client)


def test_a_replayed_ticket_is_refused_even_if_the_server_would_take_it(cas_on, reviewer):
    first = Client()
    assert ticket_login(first, "ST-ok-reviewer-3").status_code == 302
    asked = len(cas_on.asked)
    second = Client()
    response = ticket_login(second, "ST-ok-reviewer-3")
    assert response.status_code == 403 and "该登录票据已经使用过" in response.content.decode()
    assert len(cas_on.asked) == asked, "the server is not even asked"
    assert not logged_in(second)
    assert refusal_reasons() == ["replayed"]


def test_an_unreachable_server_is_a_clear_page(settings, reviewer):
    settings.CAS_SERVER_URL = f"http://127.0.0.1:{free_port()}/cas/"
    client = Client()
    response = ticket_login(client, "ST-ok-reviewer-4")
    assert response.status_code == 502 and "无法连接统一身份认证平台" in response.content.decode()
    assert not logged_in(client)


def test_a_user_without_an_account_is_told_to_ask_the_security_administrator(cas_on):
    client = Client()
    response = ticket_login(client, "ST-ok-stranger-1")
    assert response.status_code == 403
    assert "您的账号尚未开通，请联系安全管理员" in response.content.decode()
    assert not logged_in(client) and not User.objects.filter(username="stranger").exists()
    failure = AuditEvent.objects.get(event=Event.LOGIN_FAILED)
    assert failure.username == "stranger" and failure.details["reason"] == "no_account"


def test_an_unknown_user_may_be_recorded_as_an_inactive_account_awaiting_a_role(cas_on, settings):
    settings.CAS_CREATE_INACTIVE = True
    client = Client()
    response = ticket_login(client, "ST-ok-stranger-2")
    assert "您的账号尚未开通" in response.content.decode() and not logged_in(client)
    stranger = User.objects.get(username="stranger")
    assert not stranger.is_active and not stranger.has_usable_password()
    assert not stranger.groups.exists() and not stranger.is_staff
    # Still refused until the 安全管理员 enables the account.
    assert "您的账号尚未开通" in ticket_login(Client(), "ST-ok-stranger-3").content.decode()


def test_a_disabled_account_is_not_logged_in(cas_on, reviewer):
    reviewer.is_active = False
    reviewer.save()
    client = Client()
    response = ticket_login(client, "ST-ok-reviewer-5")
    assert response.status_code == 403 and "您的账号已停用" in response.content.decode()
    assert not logged_in(client)


def test_the_account_may_be_named_by_an_attribute(cas_on, settings, reviewer):
    settings.CAS_USERNAME_ATTRIBUTE = "employeeNumber"
    client = Client()
    assert ticket_login(client, "ST-number-reviewer-1").status_code == 302
    assert logged_in(client)
    missing = Client()
    response = ticket_login(missing, "ST-ok-reviewer-6")
    assert "没有用于识别账号的属性“employeeNumber”" in response.content.decode()
    assert not logged_in(missing)


def test_without_the_platforms_mfa_attribute_the_portal_asks_its_own_code(
    cas_on, settings, reviewer
):
    settings.CAS_REQUIRE_ATTRIBUTE = "mfaUsed"
    device = enrol(reviewer)
    client = Client()
    response = ticket_login(client, "ST-ok-reviewer-7")
    assert response["Location"] == "/accounts/login/code/" and not logged_in(client)
    assert client.post("/accounts/login/code/", {"code": code(device)}).status_code == 302
    assert logged_in(client)
    with_mfa = Client()
    assert ticket_login(with_mfa, "ST-mfa-reviewer-1")["Location"] == "/"
    assert logged_in(with_mfa)


def logout_request(ticket, extra=""):
    return (
        f'{extra}<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
        'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="LR-1" Version="2.0" '
        'IssueInstant="2026-12-08T08:00:00Z"><saml:NameID>reviewer</saml:NameID>'
        f"<samlp:SessionIndex>{ticket}</samlp:SessionIndex></samlp:LogoutRequest>"
    )


def test_the_platforms_single_log_out_ends_the_matching_session(cas_on, reviewer):
    kept, ended = Client(), Client()
    ticket_login(kept, "ST-ok-reviewer-8")
    ticket_login(ended, "ST-ok-reviewer-9")
    platform = Client(enforce_csrf_checks=True)  # a server's POST carries no form token
    declared = '<?xml version="1.0" encoding="UTF-8"?>\n' + logout_request("ST-ok-reviewer-9")
    answer = platform.post("/accounts/cas/login/", {"logoutRequest": declared})
    assert answer.status_code == 200
    assert not logged_in(ended) and logged_in(kept)
    event = AuditEvent.objects.filter(event=Event.LOGOUT).latest("pk")
    assert event.user == reviewer and event.details == {"via": "cas_single_logout"}


def test_a_single_log_out_request_with_a_dtd_is_refused(cas_on, reviewer):
    client = Client()
    ticket_login(client, "ST-ok-reviewer-10")
    sessions = Session.objects.count()
    hostile = logout_request("ST-ok-reviewer-10", extra='<!DOCTYPE x [<!ENTITY a "b">]>')
    answer = Client().post("/accounts/cas/login/", {"logoutRequest": hostile})
    assert answer.status_code == 400 and Session.objects.count() == sessions
    assert logged_in(client)


def test_logging_out_also_logs_out_of_the_platform(cas_on, reviewer):
    client = Client()
    ticket_login(client, "ST-ok-reviewer-11")
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == (
        f"{cas_on.url}logout?service=http%3A%2F%2Ftestserver%2Faccounts%2Flogin%2F"
    )
    assert not logged_in(client)


def test_a_local_log_out_stays_local(cas_on, zhengzhou_submitter):
    client = Client()
    client.post("/accounts/login/", {"username": zhengzhou_submitter.username, "password": "pw"})
    assert client.post("/accounts/logout/")["Location"] == "/accounts/login/"


def test_the_log_in_page_offers_the_platform_above_the_local_form(cas_on):
    page = Client().get("/accounts/login/?next=/reports/2021/patent/").content.decode()
    assert page.index("统一身份认证登录") < page.index('name="password"')
    assert 'href="/accounts/cas/login/?next=/reports/2021/patent/"' in page


@override_settings(LOCAL_LOGIN="none")
def test_with_local_passwords_off_the_form_is_refused(cas_on, reviewer):
    page = Client().get("/accounts/login/").content.decode()
    assert 'name="password"' not in page and "统一身份认证登录" in page
    client = Client()
    response = client.post("/accounts/login/", {"username": "reviewer", "password": "pw"})
    assert (
        response.status_code == 200 and "本系统已改用统一身份认证登录" in response.content.decode()
    )
    assert not logged_in(client)
    assert refusal_reasons() == ["local_login_off"]
    assert Client().get("/accounts/password/reset/").status_code == 404


@override_settings(LOCAL_LOGIN="superuser")
def test_with_local_passwords_for_the_emergency_account_only(cas_on, reviewer):
    from tests.support.factories import UserFactory

    UserFactory(username="root", is_superuser=True, is_staff=True)
    refused = Client().post("/accounts/login/", {"username": "reviewer", "password": "pw"})
    wrong = Client().post("/accounts/login/", {"username": "root", "password": "wrong"})
    # Which name is the emergency account's is not told: any other name reads as a wrong password.
    assert refused.context["form"].errors == wrong.context["form"].errors
    assert "请输入一个正确的用户名和密码" in refused.content.decode()
    emergency = Client().post("/accounts/login/", {"username": "root", "password": "pw"})
    assert emergency["Location"] == "/accounts/login/enrol/", "with its second factor"


def test_with_cas_off_its_address_does_not_exist(settings):
    settings.CAS_SERVER_URL = None
    assert Client().get("/accounts/cas/login/", {"ticket": "ST-ok-reviewer"}).status_code == 404
    assert "统一身份认证登录" not in Client().get("/accounts/login/").content.decode()


def test_no_redirect_leaves_the_portal(cas_on, reviewer):
    client = Client()
    ticket_login(client, "ST-ok-reviewer-12")
    for target in ("https://evil.example/", "https:evil.example", "//evil.example/"):
        answer = client.get("/accounts/cas/login/", {"next": target})
        assert answer.status_code == 302 and answer["Location"] == "/", target
    anonymous = Client().get("/accounts/cas/login/", {"next": "https://evil.example/"})
    assert anonymous["Location"].endswith("%3Fnext%3D%252F"), "the service returns home"


@pytest.mark.parametrize(
    "text",
    [
        "hello",
        '<?xml version="1.0" encoding="UTF-8"?><a/>',
        logout_request(""),
        "<a>" * 70_000,
    ],
)
def test_a_single_log_out_request_that_names_no_session_is_refused(cas_on, reviewer, text):
    client = Client()
    ticket_login(client, "ST-ok-reviewer-13")
    answer = Client().post("/accounts/cas/login/", {"logoutRequest": text})
    assert answer.status_code == 400 and logged_in(client)
