"""The audit trail's page: the 审计管理员's alone, filtered, paged without counting, exported as
CSV and XLSX (each export itself recorded)."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AuditEvent, Event, Result
from audit.services import record
from audit.views import PAGE_SIZE

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor_client(client, auditor_user):
    client.force_login(auditor_user)
    return client


def rows(response):
    return [row.record for row in response.context["table"].page.object_list]


def test_everyone_else_is_refused_and_the_refusal_recorded(
    client, zhengzhou_submitter, reviewer, administrator_user, security_user, administrator
):
    assert client.get("/audit/")["Location"].startswith("/accounts/login/")
    for user in (zhengzhou_submitter, reviewer, administrator_user, security_user, administrator):
        client.force_login(user)
        assert client.get("/audit/?_export=csv").status_code == 403, user.username
        refused = AuditEvent.objects.filter(event=Event.FORBIDDEN).first()
        assert (refused.user, refused.object_id, refused.result) == (
            user,
            "/audit/",
            Result.REFUSED,
        )
    assert not AuditEvent.objects.filter(event=Event.DOWNLOAD).exists()


def test_the_auditor_finds_events_by_user_event_result_object_and_time(
    auditor_client, time_machine
):
    now = timezone.now()
    time_machine.move_to(now - datetime.timedelta(days=3), tick=False)
    old = record(Event.LOGIN_FAILED, username="kaifeng", result=Result.FAILED)
    time_machine.move_to(now, tick=False)
    moved = record(Event.WORKFLOW_MOVE, username="reviewer", object_label="洛阳市 · 2021年")
    failed = record(Event.LOGIN_FAILED, username="luoyang", result=Result.FAILED)

    def found(**query):
        response = auditor_client.get("/audit/", query)
        assert response.status_code == 200
        return [event.pk for event in rows(response) if event.username != "auditor"]

    assert found(user="luoyang") == [failed.pk]
    assert found(event="login_failed") == [failed.pk, old.pk]
    assert found(result="failed") == [failed.pk, old.pk]
    assert found(object="洛阳") == [moved.pk]
    today = timezone.localdate(now)
    assert found(
        start=str(today - datetime.timedelta(days=3)), end=str(today - datetime.timedelta(days=1))
    ) == [old.pk]
    assert found(start=str(today), event="login_failed") == [failed.pk]


def test_a_start_after_the_end_is_refused_with_a_message(auditor_client):
    response = auditor_client.get("/audit/", {"start": "2026-12-07", "end": "2026-12-01"})
    assert response.status_code == 400
    assert "起始日期不能晚于截止日期。" in response.content.decode()
    assert rows(response) == []


def test_the_page_is_paged_without_counting_the_trail(auditor_client):
    for n in range(PAGE_SIZE + 5):
        record(Event.LOGOUT, username=f"user{n}")
    first = auditor_client.get("/audit/")
    assert len(rows(first)) == PAGE_SIZE
    assert "page=2" in first.content.decode()
    second = auditor_client.get("/audit/?page=2")
    assert len(rows(second)) >= 5
    with CaptureQueriesContext(connection) as queries:
        auditor_client.get("/audit/?page=2")
    assert not any("COUNT(" in query["sql"].upper() for query in queries.captured_queries)


def test_the_page_costs_as_many_queries_for_one_row_as_for_fifty(auditor_client):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert auditor_client.get("/audit/").status_code == 200
        return len(captured)

    record(Event.LOGOUT, username="one")
    few = queries()
    for n in range(PAGE_SIZE):
        record(Event.LOGOUT, username=f"user{n}")
    assert queries() == few


def test_the_export_is_the_filtered_trail_and_is_itself_recorded(auditor_client):
    record(
        Event.LOGIN_FAILED, username="luoyang", result=Result.FAILED, details={"locked_out": False}
    )
    record(Event.LOGOUT, username="kaifeng")
    response = auditor_client.get("/audit/", {"user": "luoyang", "_export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0] == ["时间", "用户", "角色", "地址", "事件", "对象", "结果", "详情"]
    assert [row[1:] for row in table[1:]] == [
        ["luoyang", "", "", "登录失败", "", "失败", "已锁定：否"]
    ]
    export = AuditEvent.objects.filter(event=Event.DOWNLOAD).get()
    assert export.username == "auditor" and export.object_label.startswith("审计记录-")
    assert export.object_label.endswith(".csv")
    assert export.details["path"] == "/audit/?user=luoyang&_export=csv"

    response = auditor_client.get("/audit/", {"event": "logout", "_export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[2]][1] == "kaifeng"
    assert AuditEvent.objects.filter(event=Event.DOWNLOAD).count() == 2


def test_an_unknown_export_format_is_refused(auditor_client):
    response = auditor_client.get("/audit/?_export=pdf")
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(event=Event.DOWNLOAD).exists()


def test_the_auditor_reaches_the_page_from_the_menu_and_nobody_else_sees_it(
    client, auditor_user, reviewer
):
    client.force_login(auditor_user)
    assert 'href="/audit/"' in client.get("/").content.decode()
    client.force_login(reviewer)
    assert 'href="/audit/"' not in client.get("/").content.decode()
