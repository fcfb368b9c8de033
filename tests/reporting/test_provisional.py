import csv
import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from reporting.models import IPKind
from reporting.services import Figures, save_figures
from workflow.models import WorkflowAction
from workflow.services import transition

pytestmark = pytest.mark.django_db

NOTE = "临时数据：含已提交但尚未审核的报表，不作为正式统计结果。"
# The period of these tests is still open: every table of it says so first.
OPEN = re.compile(r"^报送中 · 截至 \d{4}-\d\d-\d\d \d\d:\d\d 已审核 0 / 28 个单位$")


@pytest.fixture
def submitted(zhengzhou_submitter, units, open_period):
    figures = {
        IPKind.PATENT: Figures(Decimal("12.5"), 1, 2, 1),
        IPKind.TRADEMARK: Figures(Decimal("0"), 0, 0),
    }
    report = save_figures(zhengzhou_submitter, units["郑州"], open_period, figures)
    transition(report, WorkflowAction.SUBMIT, zhengzhou_submitter)
    return report


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


def test_the_official_table_ignores_submitted_reports(reviewer_client, submitted):
    html = reviewer_client.get("/reports/2021/patent/").content.decode()
    assert NOTE not in html
    assert "12.5" not in html
    assert "查看临时数据（含已提交）" in html
    assert 'href="/reports/2021/patent.pdf"' in html


def test_the_provisional_table_counts_them_and_says_so(reviewer_client, submitted):
    html = reviewer_client.get("/reports/2021/patent/?provisional=1").content.decode()
    assert f'<p class="provisional-note" role="status">{NOTE}</p>' in html
    assert ">12.5<" in html
    # The printed PDF holds approved figures only: not offered beside provisional ones.
    assert "patent.pdf" not in html


def test_the_provisional_csv_is_marked(reviewer_client, submitted):
    response = reviewer_client.get("/reports/2021/patent/?provisional=1&_export=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode()[1:])))
    assert rows[1] == ["1", "郑州市", "12.5", "1", "2"]
    assert rows[-1] == [NOTE, "", "", "", ""]
    assert "%EF%BC%88%E4%B8%B4%E6%97%B6%EF%BC%89.csv" in response["Content-Disposition"]  # （临时）


def test_the_provisional_xlsx_is_marked(reviewer_client, submitted):
    response = reviewer_client.get("/reports/2021/patent/?provisional=1&_export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    status, note = sheet["A2"].value.split("；")
    assert OPEN.match(status)
    assert note == NOTE
    assert [c.value for c in sheet[3]] == [
        "金额排名",
        "地市",
        "质押金额（万元）",
        "项目数",
        "专利数",
    ]
    assert [c.value for c in sheet[4]] == [1, "郑州市", 12.5, 1, 2]
    assert {str(m) for m in sheet.merged_cells.ranges} >= {"A1:E1", "A2:E2"}


def test_the_official_xlsx_carries_no_note(reviewer_client, submitted):
    sheet = load_workbook(
        io.BytesIO(reviewer_client.get("/reports/2021/patent/?_export=xlsx").content)
    ).active
    assert sheet["A1"].value == "2021年河南省专利质押融资初步统计表"
    assert OPEN.match(sheet["A2"].value)
    assert sheet["A3"].value == "金额排名"
