"""The second factor (TOTP) of a local log-in, tried as a person and as an attacker would:
through the log-in forms, the secret read from the enrolment page, codes computed from it."""

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client, override_settings
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import factors
from accounts.roles import REVIEWER_GROUP, SECURITY_GROUP
from audit.models import AuditEvent, Event
from tests.support.factories import UserFactory
from tests.support.factors import code, enrol, recovery_code, secret_key

pytestmark = pytest.mark.django_db

PASSWORD = "pw"


def person(username, *groups, **fields):
    user = UserFactory(username=username, **fields)
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


def password_step(client, username, next_url=""):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post("/accounts/login/", data)


def logged_in(client):
    return client.get("/").status_code == 200


def test_a_reviewer_without_an_authenticator_enrols_right_after_the_password():
    person("shenhe", REVIEWER_GROUP)
    client = Client()
    response = password_step(client, "shenhe")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/enrol/"
    assert not logged_in(client), "not logged in before the second factor"

    page = client.get("/accounts/login/enrol/")
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html, "the QR code is drawn on the page"
    assert "http" not in re.search(r"<svg.*?</svg>", html, re.S).group(0).replace(
        "http://www.w3.org/2000/svg", ""
    ), "the QR code loads nothing from anywhere"
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', html).group(1)
    assert client.get("/accounts/login/enrol/").content.decode().count(secret) == 1, (
        "a reload shows the same secret"
    )
    key = secret_key(secret)

    refused = client.post("/accounts/login/enrol/", {"code": "000000"})
    assert "验证码不正确" in refused.content.decode() and not logged_in(client)

    done = client.post("/accounts/login/enrol/", {"code": code(key)})
    assert done["Location"] == "/accounts/second-factor/recovery-codes/"
    shown = client.get("/accounts/second-factor/recovery-codes/").content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", shown)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/accounts/second-factor/recovery-codes/").status_code == 302, (
        "the recovery codes are shown once"
    )
    assert logged_in(client)
    device = TOTPDevice.objects.get(user__username="shenhe")
    assert device.confirmed and device.bin_key == key
    events = list(
        AuditEvent.objects.filter(username="shenhe").order_by("pk").values_list("event", flat=True)
    )
    assert events[-2:] == [Event.SECOND_FACTOR_ENROLLED, Event.LOGIN]


def test_a_provincial_user_reaches_no_page_before_enrolling():
    person("shenhe", REVIEWER_GROUP)
    client = Client()
    password_step(client, "shenhe")
    for path in ("/", "/reports/2021/patent/", "/admin/", "/accounts/password/change/",
                 "/accounts/second-factor/", "/audit/"):  # fmt: skip
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(("/accounts/login/?", "/admin/login/")), path


def test_each_log_in_asks_for_the_code_and_goes_where_it_was_headed():
    user = person("shenhe", REVIEWER_GROUP)
    device = enrol(user)
    client = Client()
    response = password_step(client, "shenhe", next_url="/reports/2021/patent/")
    assert response["Location"] == "/accounts/login/code/"
    page = client.get("/accounts/login/code/").content.decode()
    assert "shenhe" in page and "验证码" in page
    done = client.post("/accounts/login/code/", {"code": code(device)})
    assert done.status_code == 302 and done["Location"] == "/reports/2021/patent/"
    assert logged_in(client)


def test_a_wrong_a_reused_and_an_expired_code_are_refused():
    user = person("shenhe", REVIEWER_GROUP)
    device = enrol(user)
    client = Client()
    password_step(client, "shenhe")
    wrong = client.post("/accounts/login/code/", {"code": "123456"})
    text = wrong.content.decode()
    assert wrong.status_code == 200 and "验证码不正确、已过期或已经用过" in text
    expired = client.post("/accounts/login/code/", {"code": code(device, step_offset=-3)})
    assert "验证码不正确" in expired.content.decode() and not logged_in(client)
    used = code(device)
    assert client.post("/accounts/login/code/", {"code": used}).status_code == 302
    client.post("/accounts/logout/")

    again = Client()
    password_step(again, "shenhe")
    reused = again.post("/accounts/login/code/", {"code": used})
    assert "验证码不正确" in reused.content.decode() and not logged_in(again)
    failures = AuditEvent.objects.filter(event=Event.LOGIN_FAILED, username="shenhe")
    assert [row["step"] for row in failures.values_list("details", flat=True)] == ["code"] * 3


@override_settings(AXES_FAILURE_LIMIT=3)
def test_wrong_codes_count_against_the_lock_out_with_wrong_passwords():
    user = person("shenhe", REVIEWER_GROUP)
    device = enrol(user)
    client = Client()
    assert (
        client.post("/accounts/login/", {"username": "shenhe", "password": "bad"}).status_code
        == 200
    )
    password_step(client, "shenhe")
    client.post("/accounts/login/code/", {"code": "111111"})
    locked = client.post("/accounts/login/code/", {"code": "222222"})
    assert locked.status_code == 429 and "登录已暂时锁定" in locked.content.decode()
    # Locked: neither the password nor a right code lets in, even in a new session.
    fresh = Client()
    assert password_step(fresh, "shenhe").status_code == 429
    assert fresh.post("/accounts/login/code/", {"code": code(device)}).status_code == 302
    assert not logged_in(fresh)


def test_a_recovery_code_works_once():
    user = person("shenhe", REVIEWER_GROUP)
    token = recovery_code(user, "abcd2345")
    client = Client()
    password_step(client, "shenhe")
    assert client.post("/accounts/login/code/", {"code": "ABCD 2345"}).status_code == 302
    assert logged_in(client)
    assert not StaticToken.objects.filter(token=token).exists()
    assert AuditEvent.objects.filter(event=Event.RECOVERY_CODE_USED, username="shenhe").exists()
    client.post("/accounts/logout/")
    again = Client()
    password_step(again, "shenhe")
    refused = again.post("/accounts/login/code/", {"code": token})
    assert refused.status_code == 200 and not logged_in(again)


def test_a_clerk_needs_no_second_factor_but_may_enrol_one(zhengzhou_submitter):
    client = Client()
    response = password_step(client, zhengzhou_submitter.username)
    assert response["Location"] == "/", "a clerk logs in with the password alone"
    page = client.get("/accounts/second-factor/").content.decode()
    assert "未启用" in page and "/accounts/login/enrol/" in page
    enrol_page = client.get("/accounts/login/enrol/").content.decode()
    key = secret_key(re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', enrol_page).group(1))
    assert (
        client.post("/accounts/login/enrol/", {"password": PASSWORD, "code": code(key)}).status_code
        == 302
    )
    assert (
        len(
            re.findall(
                r"<li><code>",
                client.get("/accounts/second-factor/recovery-codes/").content.decode(),
            )
        )
        == 10
    )
    status = client.get("/accounts/second-factor/").content.decode()
    assert "已启用" in status and "剩余恢复码 10 个" in status
    client.post("/accounts/logout/")
    again = Client()
    assert password_step(again, zhengzhou_submitter.username)["Location"] == "/accounts/login/code/"


def test_the_pending_step_lapses(time_machine):
    user = person("shenhe", REVIEWER_GROUP)
    device = enrol(user)
    client = Client()
    time_machine.move_to(timezone.now(), tick=True)
    password_step(client, "shenhe")
    time_machine.shift(factors.PENDING_SECONDS + 1)
    response = client.post("/accounts/login/code/", {"code": code(device)})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert not logged_in(client)


def test_a_session_of_a_role_that_needs_a_second_factor_ends_without_one(reviewer):
    from tests.support.factors import force_login_password_only

    client = Client()
    force_login_password_only(client, reviewer)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/").status_code == 302, "the session is gone, not only refused once"
    assert AuditEvent.objects.filter(
        event=Event.SESSION_EXPIRED, user=reviewer, details__reason="second_factor"
    ).exists()


def test_a_role_granted_during_a_session_asks_for_the_second_factor(zhengzhou_submitter):
    from tests.support.factors import force_login_password_only

    client = Client()
    force_login_password_only(client, zhengzhou_submitter)
    assert logged_in(client)
    zhengzhou_submitter.groups.add(Group.objects.get(name=REVIEWER_GROUP))
    assert not logged_in(client)


@override_settings(OTP_REQUIRED_ROLES=["submitter"])
def test_the_roles_that_need_a_second_factor_are_a_setting(zhengzhou_submitter):
    client = Client()
    assert (
        password_step(client, zhengzhou_submitter.username)["Location"] == "/accounts/login/enrol/"
    )


def test_the_admins_log_in_is_the_portals():
    person("anquan", SECURITY_GROUP, is_staff=True)
    client = Client()
    page = client.get("/admin/login/?next=/admin/auth/user/")
    assert page.status_code == 302
    assert page["Location"] == "/accounts/login/?next=/admin/auth/user/"
    posted = client.post("/admin/login/?next=/admin/", {"username": "anquan", "password": PASSWORD})
    assert posted.status_code == 302 and posted["Location"].startswith("/accounts/login/")
    assert client.get("/admin/").status_code == 302, "a password alone opens no admin page"


def reset_by(admin_user, *users, follow=True):
    """The admin's user list, its action 重置所选用户的两步验证 on ``users``, as ``admin_user``."""
    admin = Client()
    admin.force_login(admin_user)
    return admin.post(
        "/admin/auth/user/",
        {"action": "reset_second_factor", "_selected_action": [user.pk for user in users]},
        follow=follow,
    )


def test_the_security_administrator_resets_a_second_factor(security_user, reviewer):
    device = enrol(reviewer)
    victim = Client()
    password_step(victim, reviewer.username)
    victim.post("/accounts/login/code/", {"code": code(device)})
    assert logged_in(victim)

    response = reset_by(security_user, reviewer)
    assert "已重置 reviewer 的两步验证" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=reviewer).exists()
    assert not logged_in(victim), "the reset ends the user's sessions"
    again = Client()
    assert password_step(again, reviewer.username)["Location"] == "/accounts/login/enrol/"
    assert AuditEvent.objects.filter(
        event=Event.SECOND_FACTOR_RESET, user=security_user, object_label="reviewer"
    ).exists()


def test_nobody_resets_their_own_second_factor(security_user):
    enrol(security_user)
    response = reset_by(security_user, security_user)
    assert "不能重置自己的两步验证" in response.content.decode()
    assert TOTPDevice.objects.filter(user=security_user, confirmed=True).exists()


def test_a_clerk_cannot_reset_anyones_second_factor(zhengzhou_submitter, reviewer):
    enrol(reviewer)
    response = reset_by(zhengzhou_submitter, reviewer, follow=False)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert TOTPDevice.objects.filter(user=reviewer).exists()


def test_no_admin_page_shows_an_authenticators_secret():
    from django.contrib import admin

    assert TOTPDevice not in admin.site._registry
    assert not any(model.__name__ == "StaticDevice" for model in admin.site._registry)


def test_a_reset_also_ends_a_log_in_waiting_for_its_code(security_user, reviewer):
    enrol(reviewer)
    attacker = Client()  # has the password, not the authenticator
    assert password_step(attacker, reviewer.username)["Location"] == "/accounts/login/code/"
    reset_by(security_user, reviewer)
    answer = attacker.get("/accounts/login/enrol/")
    assert answer.status_code == 302 and answer["Location"] == "/accounts/login/", (
        "the half-done log-in cannot go on to enrol a new authenticator"
    )


def test_enrolling_by_choice_keeps_one_secret_and_asks_for_the_password(zhengzhou_submitter):
    client = Client()
    client.force_login(zhengzhou_submitter)
    first = client.get("/accounts/login/enrol/").content.decode()
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', first).group(1)
    assert secret in client.get("/accounts/login/enrol/").content.decode()
    key = secret_key(secret)
    wrong = client.post("/accounts/login/enrol/", {"password": "wrong", "code": code(key)})
    assert "密码不正确" in wrong.content.decode() and secret in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=zhengzhou_submitter, confirmed=True).exists()
    done = client.post("/accounts/login/enrol/", {"password": "pw", "code": code(key)})
    assert done["Location"] == "/accounts/second-factor/recovery-codes/"
    assert TOTPDevice.objects.get(user=zhengzhou_submitter, confirmed=True).bin_key == key


def test_the_pages_of_secrets_are_never_cached(zhengzhou_submitter):
    client = Client()
    client.force_login(zhengzhou_submitter)
    for path in ("/accounts/login/enrol/", "/accounts/second-factor/"):
        assert "no-store" in client.get(path)["Cache-Control"], path
    reviewer = person("shenhe", REVIEWER_GROUP)
    enrol(reviewer)
    pending = Client()
    password_step(pending, "shenhe")
    assert "no-store" in pending.get("/accounts/login/code/")["Cache-Control"]
