"""The admin imports a table through django-import-export, by the portal's engine."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reporting.models import PledgeFigures, PledgeReport, ReportState
from tests import golden

from .test_imports import PATENT_ROWS, as_csv

pytestmark = pytest.mark.django_db
URL = "/admin/reporting/pledgereport/import/"


@pytest.fixture
def admin_client(client, administrator_user):
    client.force_login(administrator_user)
    return client


def start(client, content, period, **extra):
    return client.post(
        URL,
        {
            "resource": "0",
            "format": "0",
            "import_file": SimpleUploadedFile("附件1.csv", content),
            "period": period.pk,
            "kind": "patent",
            **extra,
        },
    )


def test_a_gbk_table_is_previewed_then_imported(admin_client, open_period):
    response = start(admin_client, as_csv(PATENT_ROWS, "gbk"), open_period)
    assert response.status_code == 200
    html = response.content.decode()
    assert "洛阳市" in html and "37209.56 / 27 / 226" in html
    assert not PledgeFigures.objects.exists(), "the preview saves nothing"
    confirm = response.context["confirm_form"]
    data = {name: confirm[name].value() for name in confirm.fields}
    response = admin_client.post("/admin/reporting/pledgereport/process_import/", data)
    assert response.status_code == 302
    assert PledgeFigures.objects.count() == 18
    assert PledgeFigures.objects.get(report__unit__short_name="洛阳").amount == Decimal("37209.56")
    # Only the patent table: the reports wait for their trademark figures before they count
    # as submitted (the same rule as the portal's own import).
    assert set(PledgeReport.objects.values_list("state", flat=True)) == {ReportState.DRAFT}


def test_rows_in_error_are_shown_and_nothing_can_be_confirmed(admin_client, open_period):
    rows = [golden.PATENT_HEADINGS, ["1", "洛杨", "10", "1", "1"], ["2", "郑州", "10", "1", "1"]]
    response = start(admin_client, as_csv(rows), open_period)
    html = response.content.decode()
    assert "未知的填报单位“洛杨”。是否指：洛阳市？" in html
    assert response.context.get("confirm_form") is None


def test_an_unreadable_file_gets_the_engines_message(admin_client, open_period):
    response = start(admin_client, b"\x89PNG\r\n\x1a\n\x00\x00\x00", open_period)
    assert "无法识别的文件格式：请上传 CSV、XLSX 或 XLS 文件。" in response.content.decode()


def test_a_total_that_does_not_add_up_is_a_file_error(admin_client, open_period):
    rows = [golden.PATENT_HEADINGS, ["1", "郑州", "10", "1", "1"], ["", "合计", "11", "1", "1"]]
    html = start(admin_client, as_csv(rows), open_period).content.decode()
    assert "第 3 行合计的“质押金额（万元）”为 11，各行之和为 10，相差 1。" in html


def test_reviewers_without_the_admin_and_submitters_cannot_import(
    client, zhengzhou_submitter, open_period
):
    client.force_login(zhengzhou_submitter)
    assert client.get(URL).status_code == 302  # not staff: sent to the admin's log-in
