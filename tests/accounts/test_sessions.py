"""Sessions end after 30 minutes without a request and 8 hours after the log-in; log-out deletes
the session on the server; a password set by someone else, or older than 90 days, is changed
before anything else; the last five cannot be used again; a password of spaces is refused.
Each with a frozen clock."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent, Event

pytestmark = pytest.mark.django_db
User = get_user_model()
GOOD = "Songshan#2021peak"
START = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC)


def log_in(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def change_password(client, old, new):
    return client.post(
        "/accounts/password/change/",
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


@pytest.fixture
def clerk(db, time_machine):
    time_machine.move_to(START, tick=False)
    return User.objects.create_user("xinyang2", password=GOOD)


def test_thirty_idle_minutes_end_the_session_with_a_message_and_a_record(
    client, clerk, time_machine
):
    assert log_in(client, "xinyang2", GOOD).status_code == 302
    time_machine.move_to(START + datetime.timedelta(minutes=29), tick=False)
    assert client.get("/").status_code == 200  # 29 minutes: still signed in, the clock restarts
    time_machine.move_to(START + datetime.timedelta(minutes=29 + 31), tick=False)
    key = client.session.session_key
    response = client.get("/reports/2021/patent/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/reports/2021/patent/"
    page = client.get(response["Location"]).content.decode()
    assert "您已 30 分钟没有操作，为了安全已自动退出，请重新登录。" in page
    assert not Session.objects.filter(session_key=key).exists()
    expired = AuditEvent.objects.get(event=Event.SESSION_EXPIRED)
    assert (expired.user, expired.details["reason"]) == (clerk, "idle")
    assert not AuditEvent.objects.filter(event=Event.LOGOUT).exists()


def test_a_busy_session_still_ends_eight_hours_after_the_log_in(client, clerk, time_machine):
    log_in(client, "xinyang2", GOOD)
    for minutes in range(20, 8 * 60, 20):
        time_machine.move_to(START + datetime.timedelta(minutes=minutes), tick=False)
        assert client.get("/").status_code == 200, minutes
    time_machine.move_to(START + datetime.timedelta(hours=8, minutes=1), tick=False)
    response = client.get("/")
    assert response["Location"].startswith("/accounts/login/")
    assert AuditEvent.objects.get(event=Event.SESSION_EXPIRED).details["reason"] == "absolute"


def test_log_out_deletes_the_session_on_the_server(client, clerk):
    log_in(client, "xinyang2", GOOD)
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    # The old cookie, replayed, is nobody's.
    client.cookies["sessionid"] = key
    assert client.get("/")["Location"].startswith("/accounts/login/")


def test_a_password_set_by_the_security_administrator_is_changed_at_the_first_log_in(
    client, security_user, clerk
):
    client.force_login(security_user)
    response = client.post(
        f"/admin/auth/user/{clerk.pk}/password/",
        {
            "usable_password": "true",
            "password1": "Funiu#Mountain2026",
            "password2": "Funiu#Mountain2026",
        },
    )
    assert response.status_code == 302
    client.logout()

    assert log_in(client, "xinyang2", "Funiu#Mountain2026").status_code == 302
    for path in ("/", "/reports/2021/patent/", "/admin/"):
        response = client.get(path)
        assert response["Location"] == "/accounts/password/change/", path
    page = client.get("/accounts/password/change/").content.decode()
    assert "您的密码由管理员设置，请先设置一个只有您自己知道的新密码。" in page
    # The same password again is no change.
    refused = change_password(client, "Funiu#Mountain2026", "Funiu#Mountain2026")
    assert refused.status_code == 200
    assert "不能使用最近用过的 5 个密码之一。" in refused.content.decode()
    assert change_password(client, "Funiu#Mountain2026", "Tongbai#Hills2026").status_code == 302
    assert client.get("/").status_code == 200


def test_a_password_older_than_ninety_days_is_changed_before_anything_else(
    client, clerk, time_machine
):
    time_machine.move_to(START + datetime.timedelta(days=89), tick=False)
    log_in(client, "xinyang2", GOOD)
    assert client.get("/").status_code == 200
    time_machine.move_to(START + datetime.timedelta(days=90, minutes=1), tick=False)
    client.logout()
    log_in(client, "xinyang2", GOOD)
    assert client.get("/")["Location"] == "/accounts/password/change/"
    page = client.get("/accounts/password/change/").content.decode()
    assert "您的密码已使用超过 90 天，请先修改密码。" in page
    assert change_password(client, GOOD, "Tongbai#Hills2026").status_code == 302
    assert client.get("/").status_code == 200


def test_the_last_five_passwords_cannot_be_used_again(client, clerk, time_machine):
    client.force_login(clerk)
    used = [GOOD] + [f"Dabie#Range{n}x2026" for n in range(1, 6)]
    for old, new in zip(used, used[1:], strict=False):
        assert change_password(client, old, new).status_code == 302, new
    # used[1:] are the last five: each refused; the sixth back is free again.
    for old in used[1:]:
        response = change_password(client, used[-1], old)
        assert response.status_code == 200, old
        assert response.context["form"].errors["new_password2"] == [
            "不能使用最近用过的 5 个密码之一。"
        ]
    assert change_password(client, used[-1], GOOD).status_code == 302


@pytest.mark.parametrize("blank", [" " * 10, "\t" * 12, "\u3000" * 10])
def test_a_password_of_whitespace_is_refused(client, clerk, blank):
    client.force_login(clerk)
    response = change_password(client, GOOD, blank)
    assert response.status_code == 200
    assert "密码不能全是空格。" in response.context["form"].errors["new_password2"]
    clerk.refresh_from_db()
    assert clerk.check_password(GOOD)


def test_a_page_costs_no_query_for_the_limits(client, clerk):
    log_in(client, "xinyang2", GOOD)
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    assert not [q for q in captured.captured_queries if "passwordset" in q["sql"]]
    assert not [q for q in captured.captured_queries if q["sql"].startswith("UPDATE")]
