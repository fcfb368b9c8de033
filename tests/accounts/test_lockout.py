"""The log-in lock-out protects without keeping anyone out for good.

Time passes by moving the recorded attempts back, as the clock would.
"""

import datetime

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from tests.support.factories import UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"


def log_in(client, password, username="viewer", **headers):
    return client.post("/accounts/login/", {"username": username, "password": password}, **headers)


def minutes_pass(minutes):
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= datetime.timedelta(minutes=minutes)
        attempt.save(update_fields=["attempt_time"])


def lock(client, username="viewer", **headers):
    for _ in range(5):
        log_in(client, "wrong", username, **headers)
    assert log_in(client, "pw", username, **headers).status_code == 429


def test_a_lock_lasts_its_cool_off_from_the_failure_that_set_it(client, viewer):
    lock(client)
    minutes_pass(29)
    assert log_in(client, "wrong").status_code == 429
    assert log_in(client, "pw").status_code == 429
    minutes_pass(2)  # 31 minutes after the lock, whatever was tried meanwhile
    assert log_in(client, "pw").status_code == 302


def test_trying_every_29_minutes_does_not_keep_a_colleague_out(client, viewer):
    lock(client)
    for _ in range(3):
        minutes_pass(29)
        log_in(client, "wrong")  # refused while locked, a single failure once it has lifted
    assert log_in(client, "pw").status_code == 302


def test_the_locked_page_says_how_long_in_words_and_until_when(client, viewer):
    lock(client)
    minutes_pass(10)
    html = log_in(client, "pw").content.decode()
    assert "登录失败次数过多（5 次），该账号在本机的登录已暂时锁定。" in html
    attempt = AccessAttempt.objects.get()
    until = timezone.localtime(attempt.attempt_time + datetime.timedelta(minutes=30))
    assert "锁定时长为 30 分钟，从最后一次计数的失败算起，约在 " in html
    assert f"{until:%H:%M} 解除" in html  # with the date when it ends on another day


def test_twenty_wrong_passwords_for_twenty_user_names_lock_the_address(client, viewer):
    for number in range(19):
        assert log_in(client, "wrong", f"guess{number}").status_code == 200
    response = log_in(client, "wrong", "guess19")
    assert response.status_code == 429
    assert (
        "来自您所在网络地址的登录失败次数过多（20 次，涉及多个账号）" in response.content.decode()
    )
    assert log_in(client, "pw").status_code == 429, "the address is locked for every name"


def test_colleagues_behind_one_address_are_not_locked_by_a_few_typos(client, viewer):
    for number in range(4):
        for _ in range(4):
            log_in(client, "wrong", f"colleague{number}")
    assert log_in(client, "pw").status_code == 302


def test_a_good_log_in_does_not_clear_the_addresss_count(client, viewer):
    UserFactory(username="sprayer")
    for number in range(19):
        log_in(client, "wrong", f"guess{number}")
    assert log_in(client, "pw").status_code == 302
    client.logout()
    assert log_in(client, "wrong", "guess19").status_code == 429


def test_a_lock_from_one_address_leaves_other_addresses_alone(client, viewer):
    lock(client, REMOTE_ADDR="192.0.2.7")
    assert log_in(client, "pw", REMOTE_ADDR="192.0.2.8").status_code == 302


def test_without_trusted_proxies_a_forged_forwarded_for_is_ignored(client, viewer, settings):
    settings.TRUSTED_PROXIES = 0
    for number in range(5):
        log_in(client, "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")
    assert log_in(client, "pw", HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429


def test_behind_a_proxy_the_clients_own_entries_do_not_change_its_address(client, viewer, settings):
    settings.TRUSTED_PROXIES = 1
    for number in range(12):
        response = log_in(
            client,
            "wrong",
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}, 203.0.113.5",
        )
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}
    other = log_in(client, "pw", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert other.status_code == 302


def test_behind_two_proxies_the_client_is_the_second_entry_from_the_right(settings, rf):
    from lib.client_ip import client_ip

    settings.TRUSTED_PROXIES = 2
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5, 10.0.0.2")
    assert client_ip(request) == "203.0.113.5"
    short = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert client_ip(short) == PROXY, "fewer entries than proxies: not through them all"
    garbage = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="<script>, 10.0.0.2")
    assert client_ip(garbage) == PROXY


def test_log_records_about_a_request_name_the_clients_address(settings, rf):
    import logging

    from lib.client_ip import ClientAddressFilter

    settings.TRUSTED_PROXIES = 1
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5")
    record = logging.LogRecord("django.request", logging.WARNING, "", 0, "refused", (), None)
    record.request = request
    assert ClientAddressFilter().filter(record) and record.client_ip == "203.0.113.5"
    bare = logging.LogRecord("x", logging.INFO, "", 0, "no request", (), None)
    assert ClientAddressFilter().filter(bare) and bare.client_ip == "-"


def test_a_lock_that_ends_tomorrow_says_the_date(client, viewer):
    from unittest import mock

    late = timezone.make_aware(datetime.datetime(2026, 11, 30, 23, 51))
    clocks = ["django.utils.timezone.now", "axes.handlers.proxy.now", "axes.attempts.now"]
    patches = [mock.patch(clock, return_value=late) for clock in clocks]
    for patch in patches:
        patch.start()
    try:
        for _ in range(5):
            log_in(client, "wrong")
        html = log_in(client, "pw").content.decode()
    finally:
        for patch in patches:
            patch.stop()
    assert "约在 12月1日 00:21 解除" in html
