import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def log_in(client, password, username="viewer"):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_repeated_failures_lock_the_user_name_out_with_a_clear_message(client, viewer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "wrong").status_code == 200
    response = log_in(client, "wrong")
    assert response.status_code == 429
    html = response.content.decode()
    assert "登录已暂时锁定" in html
    assert "登录失败次数过多（5 次）" in html
    # even the right password is refused while locked
    assert log_in(client, "pw").status_code == 429


def test_the_lock_is_per_user_name_not_per_office(client, viewer):
    from tests.support.factories import UserFactory

    UserFactory(username="colleague")
    for _ in range(5):
        log_in(client, "wrong")
    response = log_in(client, "pw", username="colleague")
    assert response.status_code == 302


def test_an_administrator_unlocks_by_clearing_the_attempts(client, viewer):
    for _ in range(5):
        log_in(client, "wrong")
    assert AccessAttempt.objects.filter(username="viewer").exists()
    call_command("axes_reset_username", "viewer")
    assert log_in(client, "pw").status_code == 302


def test_a_password_reset_sends_a_working_link(client, viewer):
    viewer.email = "viewer@example.org"
    viewer.save()
    response = client.post("/accounts/password/reset/", {"email": "viewer@example.org"})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["viewer@example.org"]]
    link = next(
        line for line in mail.outbox[0].body.splitlines() if "/accounts/password/reset/" in line
    )
    path = link.split("testserver", 1)[1]
    page = client.get(path, follow=True)
    assert "设置新密码" in page.content.decode()
    response = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "Zhengzhou#2021x", "new_password2": "Zhengzhou#2021x"},
    )
    assert response.status_code == 302
    assert log_in(client, "Zhengzhou#2021x").status_code == 302


def test_a_weak_new_password_is_refused(client, viewer):
    client.force_login(viewer)
    response = client.post(
        "/accounts/password/change/",
        {"old_password": "pw", "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "这个密码太常见了。" in html
    assert "密码只包含数字。" in html


def test_chinese_is_the_default_whatever_the_browser_asks(client, viewer):
    client.force_login(viewer)
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-CN">' in html
