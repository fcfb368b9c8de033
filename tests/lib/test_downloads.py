import csv
import io
from decimal import Decimal

from openpyxl import load_workbook

from lib.downloads import plain_table_response

HEADINGS = ["地市", "金额（万元）", "排名", "备注"]
ROWS = [
    ['=HYPERLINK("http://x","y")', Decimal("-12.5"), 1, "-2+3+cmd|' /C calc'!A0"],
    ["@SUM(1+1)", Decimal("37209.56"), None, "\t=1+1"],
    ["+1+cmd|' /C calc'!A0", 7, 2, "\r=1+1"],
    ["洛阳", 0.5, 3, "-3"],
]
ESCAPED_TEXT = [
    ['\'=HYPERLINK("http://x","y")', "'-2+3+cmd|' /C calc'!A0"],
    ["'@SUM(1+1)", "'\t=1+1"],
    ["'+1+cmd|' /C calc'!A0", "'\r=1+1"],
    ["洛阳", "-3"],
]


def test_a_plain_csv_escapes_formula_cells_and_leaves_empty_cells_empty():
    response = plain_table_response("表", HEADINGS, ROWS, "csv")
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(content[1:], newline=""))) == [
        HEADINGS,
        [ESCAPED_TEXT[0][0], "-12.5", "1", ESCAPED_TEXT[0][1]],
        [ESCAPED_TEXT[1][0], "37209.56", "", ESCAPED_TEXT[1][1]],
        [ESCAPED_TEXT[2][0], "7", "2", ESCAPED_TEXT[2][1]],
        ["洛阳", "0.5", "3", "-3"],
    ]


def test_a_plain_xlsx_escapes_formula_cells_and_keeps_numbers_numeric():
    response = plain_table_response("表", HEADINGS, ROWS, "xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    assert [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)] == [
        [ESCAPED_TEXT[0][0], -12.5, 1, ESCAPED_TEXT[0][1]],
        [ESCAPED_TEXT[1][0], 37209.56, None, ESCAPED_TEXT[1][1]],
        [ESCAPED_TEXT[2][0], 7, 2, ESCAPED_TEXT[2][1]],
        ["洛阳", 0.5, 3, "-3"],
    ]


def test_a_plain_table_in_an_unknown_format_is_a_bad_request():
    for export_format in ("json", "", "XLSX", "0"):
        response = plain_table_response("表", HEADINGS, ROWS, export_format)
        assert response.status_code == 400
        assert response.content.decode() == "未知的导出格式：只能导出 csv 或 xlsx。"
