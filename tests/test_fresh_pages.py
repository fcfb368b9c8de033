"""Cached pages never show a stale figure: a change through each entry point shows at once.

The ranked table's rows and the dashboard's content are rendered once per version of the data
(``lib.freshness``); each test reads the pages (filling the cache), changes the data the
way a user would, and reads them again.
"""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reporting import services
from reporting.models import IPKind, PledgeReport
from reporting.services import Figures
from tests.support import golden
from tests.support.factories import add_figures
from uploads.models import PendingImport
from workflow.models import ReportState, WorkflowAction
from workflow.services import transition

pytestmark = pytest.mark.django_db

TABLE = "/reports/2021/patent/"
DASHBOARD = "/analysis/"


@pytest.fixture
def submitted(units, open_period, zhengzhou_submitter):
    """郑州's 2021 report, submitted: 1234.5 万元 of patents."""
    figures = {
        IPKind.PATENT: Figures(Decimal("1234.5"), 3, 4, 3),
        IPKind.TRADEMARK: Figures(Decimal("0"), 0, 0),
    }
    report = services.save_figures(zhengzhou_submitter, units["郑州"], open_period, figures)
    transition(report, WorkflowAction.SUBMIT, zhengzhou_submitter, notify=False)
    report.refresh_from_db()
    return report


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


def zhengzhou_row(client):
    html = client.get(TABLE).content.decode()
    # The amount's cell: a figure, or a state (更正中 followed by the withdrawn figure, struck out).
    cell = re.search(r"<td >郑州市</td>\s*<td class=\"num\">(.*?)</td>", html, re.S).group(1)
    return re.sub(r"<del[^>]*>.*?</del>", "", cell).strip()


def read_both(client):
    return zhengzhou_row(client), client.get(DASHBOARD).content.decode()


def test_an_approval_on_the_report_page_shows_at_once(reviewer_client, submitted):
    row, dashboard = read_both(reviewer_client)
    assert row == "待审" and "1234.5" not in dashboard
    reviewer_client.post(
        "/periods/2021/410100/approve/", {"version": submitted.version, "comment": ""}
    )
    row, dashboard = read_both(reviewer_client)
    assert row == "1234.5" and "1234.5" in dashboard


def test_a_bulk_approval_and_a_reopening_show_at_once(reviewer_client, submitted):
    assert zhengzhou_row(reviewer_client) == "待审"
    reviewer_client.post(
        "/periods/2021/board/approve/",
        {"report": f"{submitted.pk}:{submitted.version}", "confirm": "1"},
    )
    assert zhengzhou_row(reviewer_client) == "1234.5"
    submitted.refresh_from_db()
    reviewer_client.post(
        "/periods/2021/410100/reopen/", {"version": submitted.version, "comment": "请核对"}
    )
    assert zhengzhou_row(reviewer_client) == "更正中"


def test_an_import_approved_by_the_province_shows_at_once(reviewer_client, units, open_period):
    for unit in units.values():  # the trademark table is already in, as drafts
        add_figures(unit, open_period, IPKind.TRADEMARK, "0", 0, 0, state=ReportState.DRAFT)
    before = zhengzhou_row(reviewer_client)
    rows = [golden.PATENT_HEADINGS, ["1", "郑州市", "777", "7", "7"]]
    content = "\n".join(",".join(map(str, row)) for row in rows).encode()
    reviewer_client.post(
        "/imports/",
        {
            "file": SimpleUploadedFile("表.csv", content),
            "period": open_period.pk,
            "kind": "patent",
            "approve": "on",
        },
    )
    reviewer_client.post(f"/imports/{PendingImport.objects.get().pk}/confirm/", {"approve": "1"})
    assert (before, zhengzhou_row(reviewer_client)) == ("未报", "777")


def test_a_renamed_unit_shows_at_once(client, administrator, reviewer_client, submitted, units):
    reviewer_client.post(
        "/periods/2021/410100/approve/", {"version": submitted.version, "comment": ""}
    )
    assert "郑州市" in reviewer_client.get(TABLE).content.decode()
    unit = units["郑州"]
    unit.name = "郑州市（更名）"
    unit.save()
    html = reviewer_client.get(TABLE).content.decode()
    assert "郑州市（更名）" in html


def test_closing_the_period_early_shows_at_once(administrator, reviewer, submitted):
    from django.test import Client

    reviewer_client, admin_client = Client(), Client()
    reviewer_client.force_login(reviewer)
    admin_client.force_login(administrator)
    reviewer_client.post(
        "/periods/2021/410100/approve/", {"version": submitted.version, "comment": ""}
    )
    assert "初步统计表" in reviewer_client.get(TABLE).content.decode()
    assert "2021（报送中）" in reviewer_client.get(DASHBOARD).content.decode()
    admin_client.post(
        "/admin/periods/reportingperiod/",
        {"action": "close_now", "_selected_action": [submitted.period.pk]},
    )
    assert "初步统计表" not in reviewer_client.get(TABLE).content.decode()
    assert "2021（报送中）" not in reviewer_client.get(DASHBOARD).content.decode()


def test_a_contracts_import_approved_by_the_province_shows_at_once(reviewer_client, submitted):
    from tests.support.crawl import contracts_csv

    assert zhengzhou_row(reviewer_client) == "待审"
    content = contracts_csv([("300", "2021-03-01"), ("200", "2021-04-01")], with_unit=True)
    content = content.replace("商标".encode(), "专利".encode())
    reviewer_client.post(
        "/contracts/import/",
        {
            "file": SimpleUploadedFile("合同.csv", content),
            "period": submitted.period.pk,
            "approve": "on",
        },
    )
    pending = PendingImport.objects.get()
    reviewer_client.post(
        f"/contracts/import/{pending.pk}/confirm/", {"approve": "1", "replace_typed": "1"}
    )
    assert PledgeReport.objects.get(pk=submitted.pk).state == ReportState.APPROVED
    assert zhengzhou_row(reviewer_client) == "500"


def test_the_board_shows_a_submission_and_an_extension_at_once(
    reviewer_client, units, open_period, zhengzhou_submitter
):
    board = "/periods/2021/board/"
    assert "410100" in reviewer_client.get(board).content.decode()
    report = services.save_figures(
        zhengzhou_submitter,
        units["郑州"],
        open_period,
        {IPKind.PATENT: Figures(Decimal("1"), 1, 1, 1), IPKind.TRADEMARK: Figures(0, 0, 0)},
    )
    html = reviewer_client.get(board).content.decode()
    assert 'data-state="draft"' in html
    transition(report, WorkflowAction.SUBMIT, zhengzhou_submitter, notify=False)
    assert 'data-state="submitted"' in reviewer_client.get(board).content.decode()
    reviewer_client.post(
        "/periods/2021/410300/extension/",
        {
            "until": open_period.deadline.replace(year=open_period.deadline.year + 1),
            "reason": "系统故障",
        },
    )
    assert "（延期）" in reviewer_client.get(board).content.decode()


@pytest.mark.django_db(transaction=True)
def test_reference_data_moves_the_version_again_once_committed(reference_data):
    from django.db import transaction

    from cities.models import ReportingUnit
    from lib.freshness import data_version

    before = data_version()
    with transaction.atomic():
        unit = ReportingUnit.objects.get(code="410100")
        unit.name = "郑州市（新）"
        unit.save()
        # A page read now sees the old name, cached under this version: never asked for again.
        during = data_version()
    after = data_version()
    assert len({before, during, after}) == 3
    unit.name = "郑州市"
    unit.save()


def test_a_login_does_not_move_the_version_but_a_new_name_does(client, reviewer):
    from lib.freshness import data_version

    before = data_version()
    client.force_login(reviewer)
    client.get("/")
    reviewer.refresh_from_db()
    assert data_version() == before
    reviewer.first_name = "新名字"
    reviewer.save()
    assert data_version() != before


def test_a_reports_log_of_changes_shows_each_move_at_once(reviewer_client, submitted, reviewer):
    page = "/periods/2021/410100/"
    assert "退回原因：数字有误" not in reviewer_client.get(page).content.decode()
    transition(submitted, WorkflowAction.RETURN, reviewer, "数字有误", notify=False)
    timeline = reviewer_client.get(page).content.decode().split('<section class="timeline">')[1]
    assert "数字有误" in timeline
    reviewer.first_name = "审核员新名"
    reviewer.save()
    timeline = reviewer_client.get(page).content.decode().split('<section class="timeline">')[1]
    assert "审核员新名" in timeline


def test_a_period_or_unit_changed_is_read_afresh_by_every_page(reviewer_client, open_period, units):
    deadline = open_period.deadline.isoformat()
    assert f"截止日期 {deadline}" in reviewer_client.get("/periods/2021/board/").content.decode()
    open_period.deadline = open_period.deadline.replace(year=2030)
    open_period.save()
    assert "截止日期 2030-" in reviewer_client.get("/periods/2021/board/").content.decode()
    reviewer_client.get("/periods/2021/410100/")
    unit = units["郑州"]
    unit.name = "郑州市（新名）"
    unit.save()
    assert "郑州市（新名）" in reviewer_client.get("/periods/2021/410100/").content.decode()
