"""Each audited event writes exactly one row with the right fields, in the action's transaction.

Workflow moves are driven from the move table (tests/workflow/test_moves.py) and downloads from
the crawl's URL table (tests/audit/test_downloads.py); here: log-ins and lock-outs, accounts,
passwords, imports, circulars, backups, refused pages, and a failing audit write failing its
action."""

from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import DatabaseError

from audit.models import AuditEvent, Event, Result
from reporting.models import PledgeReport
from tests.support.factories import report_in
from tests.support.factors import code, enrol
from workflow.models import ReportState, WorkflowAction
from workflow.services import transition

pytestmark = pytest.mark.django_db
User = get_user_model()
ADDRESS = "192.0.2.44"


def log_in(client, username, password):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ADDRESS
    )


def only(event):
    (row,) = AuditEvent.objects.filter(event=event)
    return row


def test_a_log_in_and_a_log_out(client, reviewer):
    device = enrol(reviewer)
    assert log_in(client, "reviewer", "pw")["Location"] == "/accounts/login/code/"
    assert not AuditEvent.objects.filter(event=Event.LOGIN).exists(), "not before the code"
    client.post("/accounts/login/code/", {"code": code(device)}, REMOTE_ADDR=ADDRESS)
    row = only(Event.LOGIN)
    assert (row.user, row.username, row.roles, row.address, row.result) == (
        reviewer, "reviewer", "省级审核员", ADDRESS, Result.SUCCESS,
    )  # fmt: skip
    client.post("/accounts/logout/", REMOTE_ADDR=ADDRESS)
    assert (only(Event.LOGOUT).user, only(Event.LOGOUT).address) == (reviewer, ADDRESS)


def test_a_failed_log_in_is_recorded_with_the_name_as_typed(client, reviewer):
    assert log_in(client, "Reviewer", "wrong").status_code == 200
    row = only(Event.LOGIN_FAILED)
    assert (row.user, row.username, row.address, row.result) == (
        None,
        "Reviewer",
        ADDRESS,
        Result.FAILED,
    )
    assert "wrong" not in str(row.details)


def test_the_failure_that_locks_is_recorded_once_and_tries_while_locked_are_refused(
    client, reviewer, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "reviewer", "wrong")
    assert only(Event.LOCKED_OUT).username == "reviewer"
    log_in(client, "reviewer", "pw")  # the right password, while locked
    assert AuditEvent.objects.filter(event=Event.LOCKED_OUT).count() == 1
    last = AuditEvent.objects.filter(event=Event.LOGIN_FAILED).first()
    assert last.result == Result.REFUSED
    assert not AuditEvent.objects.filter(event=Event.LOGIN).exists()


def test_an_account_created_and_its_password_changed_by_its_owner(client):
    user = User.objects.create_user("xuchang2", password="Songshan#2021peak")
    assert only(Event.ACCOUNT_CREATED).object_id == str(user.pk)
    client.force_login(user)
    response = client.post(
        "/accounts/password/change/",
        {
            "old_password": "Songshan#2021peak",
            "new_password1": "Funiu#Mountain2026",
            "new_password2": "Funiu#Mountain2026",
        },
    )
    assert response.status_code == 302
    row = only(Event.PASSWORD_CHANGED)
    assert (row.user, row.object_id) == (user, str(user.pk))
    assert not AuditEvent.objects.filter(event=Event.PASSWORD_RESET).exists()


def test_a_password_set_by_the_security_administrator_is_a_reset(client, security_user, viewer):
    client.force_login(security_user)
    response = client.post(
        f"/admin/auth/user/{viewer.pk}/password/",
        {
            "usable_password": "true",
            "password1": "Funiu#Mountain2026",
            "password2": "Funiu#Mountain2026",
        },
    )
    assert response.status_code == 302
    row = only(Event.PASSWORD_RESET)
    assert (row.user, row.object_id) == (security_user, str(viewer.pk))


def test_a_log_in_that_rehashes_the_password_changes_nothing(client, viewer, settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]
    assert log_in(client, "viewer", "pw").status_code == 302
    viewer.refresh_from_db()
    assert viewer.password.startswith("pbkdf2_sha256$"), "the hash was upgraded"
    assert not AuditEvent.objects.filter(
        event__in=[Event.PASSWORD_CHANGED, Event.PASSWORD_RESET]
    ).exists()


def test_a_refused_page_is_recorded(client, zhengzhou_submitter):
    client.force_login(zhengzhou_submitter)
    assert client.get("/circulars/", REMOTE_ADDR=ADDRESS).status_code == 403
    row = only(Event.FORBIDDEN)
    assert (row.user, row.object_id, row.object_label, row.result, row.address) == (
        zhengzhou_submitter, "/circulars/", "circulars:list", Result.REFUSED, ADDRESS,
    )  # fmt: skip


def test_when_the_audit_write_fails_the_move_fails(units, open_period, reviewer):
    report = report_in(ReportState.SUBMITTED, units["郑州"], open_period)
    with mock.patch("audit.services.event_hash", side_effect=DatabaseError("disk full")):
        with pytest.raises(DatabaseError):
            transition(report, WorkflowAction.APPROVE, reviewer)
    report = PledgeReport.objects.get(pk=report.pk)
    assert report.state == ReportState.SUBMITTED
    assert not report.transitions.exists()


def test_when_the_audit_write_fails_the_download_is_not_handed_out(client, reviewer, open_period):
    client.raise_request_exception = False
    client.force_login(reviewer)
    url = f"/reports/{open_period.slug}/patent/?_export=csv"
    assert client.get(url).has_header("Content-Disposition")  # handed out while the trail works
    with mock.patch("audit.services.event_hash", side_effect=DatabaseError("disk full")):
        response = client.get(url)
    assert response.status_code == 500
    assert "Content-Disposition" not in response


def test_a_backup_and_a_restore_are_recorded(tmp_path, transactional_db):
    path = tmp_path / "portal.backup"
    call_command("backup", str(path), stdout=mock.MagicMock())
    row = only(Event.BACKUP)
    assert (row.result, row.object_label, row.user) == (Result.SUCCESS, "portal.backup", None)
    assert row.details["file"] == str(path) and row.details["rows"] > 0
    with pytest.raises(Exception, match="已存在"):
        call_command("backup", str(path), stdout=mock.MagicMock())
    failed = AuditEvent.objects.filter(event=Event.BACKUP).first()
    assert failed.result == Result.FAILED and "已存在" in failed.details["error"]


def test_a_head_request_hands_out_no_file_and_records_none(client, reviewer, open_period):
    client.force_login(reviewer)
    response = client.head(f"/reports/{open_period.slug}/patent/?_export=csv")
    assert response.status_code == 200
    assert not AuditEvent.objects.filter(event=Event.DOWNLOAD).exists()
