import csv
import io
import re
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from periods.models import ReportingPeriod
from reporting.models import IPKind
from reporting.queries import rank_units
from tests.support import golden
from tests.support.factories import ReportingPeriodFactory, add_figures, report_in
from tests.support.helpers import expand_rowspans, html_table
from workflow.models import ReportState, WorkflowAction
from workflow.services import transition

pytestmark = pytest.mark.django_db

CASES = [
    ("patent", golden.PATENT_HEADINGS, golden.PATENT_2020, "2020年河南省专利质押融资统计表"),
    (
        "trademark",
        golden.TRADEMARK_HEADINGS,
        golden.TRADEMARK_2020,
        "2020年河南省商标质押融资统计表",
    ),
]


@pytest.fixture
def demo_2020(published_demo, db):
    return ReportingPeriod.objects.by_slug("2020").get()


def url(period="2020", kind="patent"):
    return reverse("reporting:ranked_table", args=[period, kind])


def test_the_urls_are_the_documented_ones():
    assert url("2020", "patent") == "/reports/2020/patent/"
    assert url("2021Q3", "trademark") == "/reports/2021Q3/trademark/"
    assert url("2021-03", "patent") == "/reports/2021-03/patent/"


def test_an_anonymous_visitor_is_sent_to_log_in(client, demo_2020):
    response = client.get(url())
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/reports/2020/patent/"


def test_an_anonymous_visitor_cannot_export_either(client, demo_2020):
    response = client.get(url() + "?_export=csv")
    assert response.status_code == 302


@pytest.mark.parametrize(("kind", "headings", "rows", "title"), CASES)
def test_the_page_shows_the_table_as_the_circular_prints_it(
    viewer_client, demo_2020, kind, headings, rows, title
):
    response = viewer_client.get(url("2020", kind))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<h1 class="table-title">{title}</h1>' in html
    cells = html_table(html, "ranked")
    assert [c["text"] for c in cells[0]] == headings
    assert expand_rowspans(cells[1:]) == rows


def test_a_shared_rank_is_one_cell_spanning_its_rows(viewer_client, demo_2020):
    cells = html_table(viewer_client.get(url("2020", "trademark")).content.decode(), "ranked")
    body = cells[1:]
    assert [c["text"] for c in body[9]][:2] == ["10", "开封市"]
    assert body[9][0]["rowspan"] == 9
    assert all(len(row) == 4 for row in body[10:18])  # no rank cell of their own
    assert [c["text"] for c in body[10]] == ["平顶山市", "0", "0", "0"]
    assert [c["text"] for c in body[18]] == ["", "合计", "55807.53", "13", "363"]


@pytest.mark.parametrize(("kind", "headings", "rows", "title"), CASES)
def test_the_csv_export_carries_every_row_and_the_total(
    viewer_client, demo_2020, kind, headings, rows, title
):
    response = viewer_client.get(url("2020", kind) + "?_export=csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''" + quote(
        f"{title}.csv"
    )
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff"), "Chinese Excel needs the BOM to read UTF-8"
    assert list(csv.reader(io.StringIO(text[1:]))) == [headings, *rows]


@pytest.mark.parametrize(("kind", "headings", "rows", "title"), CASES)
def test_the_xlsx_export_is_the_printed_layout(
    viewer_client, demo_2020, kind, headings, rows, title
):
    response = viewer_client.get(url("2020", kind) + "?_export=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][0] == title
    assert "A1:E1" in {str(m) for m in sheet.merged_cells.ranges}
    assert values[1] == headings
    # merged cells read back empty below their first row: fill them as a reader would
    grid = []
    for row in values[2:]:
        rank = row[0] if row[0] is not None else (grid[-1][0] if grid and row[1] != "合计" else "")
        grid.append([rank, *row[1:]])
    expected = [
        [int(r[0]) if r[0] else "", r[1], Decimal(r[2]), int(r[3]), int(r[4])] for r in rows
    ]
    assert [[g[0], g[1], Decimal(str(g[2])), g[3], g[4]] for g in grid] == expected


def test_the_xlsx_export_merges_the_shared_rank(viewer_client, demo_2020):
    response = viewer_client.get(url("2020", "trademark") + "?_export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    merged = {str(m) for m in sheet.merged_cells.ranges}
    # title row 1, headings row 2, ranks 1..9 on rows 3..11, rank 10 on rows 12..20
    assert merged == {"A1:E1", "A12:A20"}
    assert sheet["A12"].value == 10
    assert sheet["C3"].value == 40000 and sheet["C4"].value == 5642.71


def test_the_patent_xlsx_has_no_merged_ranks(viewer_client, demo_2020):
    response = viewer_client.get(url("2020", "patent") + "?_export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert {str(m) for m in sheet.merged_cells.ranges} == {"A1:E1"}


@pytest.mark.parametrize("export", ["json", "0", "99", "CSV", ""])
def test_an_unknown_export_format_is_a_bad_request(viewer_client, demo_2020, export):
    response = viewer_client.get(url() + f"?_export={export}")
    assert response.status_code == 400
    assert response.content.decode() == "未知的导出格式：只能导出 csv 或 xlsx。"


def test_an_unknown_period_is_not_found(viewer_client, demo_2020):
    assert viewer_client.get(url("2019")).status_code == 404
    assert viewer_client.get(url("2021Q3")).status_code == 404


def test_an_unknown_kind_is_not_found(viewer_client, demo_2020):
    assert viewer_client.get("/reports/2020/copyright/").status_code == 404


def test_a_unit_name_that_looks_like_a_formula_is_escaped_in_the_csv(
    viewer_client, demo_2020, units
):
    units["郑州"].__class__.objects.filter(pk=units["郑州"].pk).update(name="=HYPERLINK(1)")
    rows = list(
        csv.reader(io.StringIO(viewer_client.get(url() + "?_export=csv").content.decode()[1:]))
    )
    assert ["7", "'=HYPERLINK(1)", "19060", "28", "148"] in rows
    sheet = load_workbook(io.BytesIO(viewer_client.get(url() + "?_export=xlsx").content)).active
    assert sheet["B9"].value == "'=HYPERLINK(1)"
    assert sheet["B9"].data_type == "s"


@pytest.mark.parametrize("periods", [1, 6])
def test_the_page_runs_a_fixed_number_of_queries(
    viewer_client, units, django_assert_max_num_queries, periods
):
    for year in range(2020, 2020 + periods):
        period = ReportingPeriodFactory(year=year)
        for unit in list(units.values())[: 3 if periods == 1 else 28]:
            add_figures(unit, period, IPKind.PATENT, "10", 1, 1)
    # session, user, user's groups (for the provisional switch), period, ranked rows with 合计,
    # the data version (the rows are rendered once per version)
    with django_assert_max_num_queries(6):
        response = viewer_client.get(url("2020"))
    assert response.status_code == 200
    # The download's line in the audit trail: the chain's head, the row, the head moved on.
    with django_assert_max_num_queries(5 + 3):
        assert viewer_client.get(url("2020") + "?_export=xlsx").status_code == 200


def test_a_report_reopened_for_correction_reads_as_such_not_as_never_reported(
    client, reviewer, units, open_period
):
    """Found from outside: an approved report reopened for correction showed as 未报, while the
    legend defined 未报 as not submitted or returned."""
    report = report_in(ReportState.APPROVED, units["郑州"], open_period)
    transition(report, WorkflowAction.REOPEN, reviewer, comment="金额有误", notify=False)
    client.force_login(reviewer)
    html = client.get(f"/reports/{open_period.slug}/patent/").content.decode()
    row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*郑州(?:(?!</tr>).)*</tr>", html, re.S).group(0)
    assert "更正中" in row and "未报" not in row
    assert "更正中：已审核的报表被省局重新打开更正" in html
    page = client.get(f"/periods/{open_period.slug}/410100/").content.decode()
    assert '<span class="state state-reopened" id="report-state">更正中</span>' in page


def test_a_report_being_corrected_shows_its_approved_figures_struck_out(
    client, reviewer, zhengzhou_submitter, units, open_period
):
    """#23: a reopened report is 更正中 with the figures it had when approved shown as withdrawn
    (struck out, out of the rank and the 合计), not the figures being corrected, and not 未报."""
    report = report_in(ReportState.DRAFT, units["郑州"], open_period)
    add_figures(units["洛阳"], open_period, IPKind.PATENT, "50", 1, 1)
    transition(report, WorkflowAction.SUBMIT, zhengzhou_submitter, notify=False)
    transition(report, WorkflowAction.APPROVE, reviewer, notify=False)
    transition(report, WorkflowAction.REOPEN, reviewer, comment="金额有误", notify=False)
    figures = report.figures.get(kind=IPKind.PATENT)
    figures.amount, figures.projects, figures.items = Decimal("777"), 9, 9  # the correction
    figures.save()
    client.force_login(reviewer)
    html = client.get(f"/reports/{open_period.slug}/patent/").content.decode()
    row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*郑州(?:(?!</tr>).)*</tr>", html, re.S).group(0)
    cells = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip()
             for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]  # fmt: skip
    assert cells == ["", "郑州市", "更正中 100", "2", "5"]
    assert row.count("<del") == 3 and "777" not in row
    ranking = rank_units(open_period, IPKind.PATENT)
    assert (ranking.amount, ranking.projects, ranking.items) == (Decimal("50.00"), 1, 1)
    exported = client.get(f"/reports/{open_period.slug}/patent/?_export=csv").content.decode(
        "utf-8-sig"
    )
    assert "\n,郑州市,更正中,—,—\n" in exported.replace("\r", "")
