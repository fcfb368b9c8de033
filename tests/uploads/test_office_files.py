"""Tables as offices make them (#22): each read as the clerk sees it in Excel or WPS, and
each refusal naming the row the clerk sees."""

import pytest

from reporting.imports import parse_figures
from reporting.models import IPKind
from tests.support import golden
from tests.support.factories import ReportingPeriodFactory
from tests.support.files import as_xls
from tests.support.office_files import workbook
from uploads.readers import read_rows

pytestmark = pytest.mark.django_db

HEADINGS = golden.PATENT_HEADINGS


@pytest.fixture
def period(db):
    return ReportingPeriodFactory(year=2031)


# ── Row numbers are the file's ───────────────────────────────────────────────────────────

# Excel rows: 1 title, 2 blank, 3 headings, 4 blank, 5 郑州, 6 洛阳, 7 开封 (a bad amount).
TABLE = [
    ["2031年河南省专利质押融资统计表"],
    None,
    HEADINGS,
    None,
    ["1", "郑州", "100", "2", "3"],
    ["2", "洛阳", "90", "2", "3"],
    ["3", "开封", "八十", "2", "3"],
]


def test_an_xlsx_keeps_excel_row_numbers_through_blank_rows(period):
    rows = read_rows(workbook(TABLE), "表.xlsx")
    assert [row.number for row in rows] == [1, 3, 5, 6, 7]
    preview = parse_figures(rows, period, IPKind.PATENT)
    refused = [row for row in preview.rows if row.errors]
    assert [(row.line, row.hidden) for row in refused] == [(7, False)]


def test_a_hidden_row_is_named_as_hidden(period):
    rows = read_rows(workbook(TABLE, hidden=[7]), "表.xlsx")
    assert [(row.number, row.hidden) for row in rows][-1] == (7, True)
    refused = [row for row in parse_figures(rows, period, IPKind.PATENT).rows if row.errors]
    assert [(row.line, row.hidden) for row in refused] == [(7, True)]


def test_a_csv_keeps_its_line_numbers_through_blank_lines_and_quoted_line_breaks(period):
    content = (
        "2031年河南省专利质押融资统计表\n\n" + ",".join(HEADINGS) + "\n"
        '1,"郑州\n",100,2,3\n'  # a cell with a line break: the record spans lines 4 and 5
        "\n"
        "2,开封,八十,2,3\n"
    ).encode()
    rows = read_rows(content, "表.csv")
    assert [row.number for row in rows] == [1, 3, 4, 7]
    refused = [row for row in parse_figures(rows, period, IPKind.PATENT).rows if row.errors]
    assert [row.line for row in refused] == [7]


def test_an_xls_keeps_its_row_numbers(period):
    content = as_xls([["2031年河南省专利质押融资统计表"], [], HEADINGS, [], *TABLE[4:]])
    rows = read_rows(content, "表.xls")
    assert [row.number for row in rows] == [1, 3, 5, 6, 7]


def test_the_preview_page_names_the_files_row(client, administrator_user, period):
    from tests.support.files import upload

    client.force_login(administrator_user)
    response = upload(client, workbook(TABLE, hidden=[7]), name="表.xlsx", period=period)
    page = (
        client.get(response["Location"]).content.decode()
        if response.status_code == 302
        else response.content.decode()
    )
    assert "第 7 行（隐藏行）「质押金额（万元）」" in page
