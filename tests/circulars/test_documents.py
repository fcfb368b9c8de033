import io
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook

from circulars import pdf as circular_pdf
from circulars import services
from lib.printed import PrintedRow, PrintedTable
from tests.support import golden, seed
from tests.support.pdf import lines, open_pdf

pytestmark = pytest.mark.django_db


def fill_down(rows):
    """Repeat a merged rank on the rows it spans, as a reader of the table would."""
    filled, previous = [], ""
    for row in rows:
        rank = row[0] or (previous if row[1] != "合计" else "")
        previous = rank
        filled.append([rank, *row[1:]])
    return filled


def test_the_docx_reads_back_equal_to_the_data(circular):
    document = Document(io.BytesIO(services.circular_docx(circular)))
    text = [p.text for p in document.paragraphs]
    assert "河南省知识产权局文件" in text
    assert "豫知〔2021〕8号" in text
    assert ["河南省知识产权局", "关于进一步加强知识产权质押融资工作的通知"] == [
        t for t in text if t in ("河南省知识产权局", "关于进一步加强知识产权质押融资工作的通知")
    ][:2]
    assert "各省辖市、济源示范区、省直管县（市）市场监管局（知识产权管局）：" in text
    assert "附件：1.2020年河南省专利质押融资统计表" in text
    assert "2021年3月5日" in text and "（此件主动公开）" in text
    heading = next(p for p in document.paragraphs if p.text.startswith("一、"))
    assert heading.runs[0].font.name == "黑体"
    assert heading.runs[1].font.name == "仿宋_GB2312"
    section = document.sections[0]
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    for table, expected, headings in zip(
        document.tables,
        (seed.PATENT_2020, seed.TRADEMARK_2020_SHORT),
        (golden.PATENT_HEADINGS, golden.TRADEMARK_HEADINGS),
        strict=True,
    ):
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        assert rows[0] == headings
        body = [row if row[1] != "合计" else ["", "合计", *row[2:]] for row in rows[1:]]
        assert fill_down(body) == expected


def test_the_docx_merges_a_tie_into_one_cell(circular):
    document = Document(io.BytesIO(services.circular_docx(circular)))
    trademark = document.tables[1]
    rank_cells = [row._tr.tc_lst[0] for row in trademark.rows]
    merges = [tc.vMerge for tc in rank_cells]
    assert merges[10:19] == ["restart"] + ["continue"] * 8, "the nine tied rows share one rank cell"
    assert all(merge is None for merge in merges[1:10])
    assert rank_cells[10].xpath("string(.)") == "10"


def test_the_xlsx_has_one_sheet_per_attachment_in_the_printed_layout(circular):
    workbook = load_workbook(io.BytesIO(services.circular_xlsx(circular)))
    assert workbook.sheetnames == ["附件1", "附件2"]
    for sheet, expected, headings in zip(
        workbook.worksheets,
        (seed.PATENT_2020, seed.TRADEMARK_2020_SHORT),
        (golden.PATENT_HEADINGS, golden.TRADEMARK_HEADINGS),
        strict=True,
    ):
        values = [list(row) for row in sheet.iter_rows(values_only=True)]
        assert values[1] == headings
        rows = [["" if v is None else str(v) for v in row] for row in values[2:]]
        assert [
            [r[0], r[1], str(Decimal(r[2]).normalize()) if "." in r[2] else r[2], r[3], r[4]]
            for r in fill_down(rows)
        ] == [
            [e[0], e[1], str(Decimal(e[2]).normalize()) if "." in e[2] else e[2], e[3], e[4]]
            for e in expected
        ]
    assert {str(m) for m in workbook["附件2"].merged_cells.ranges} == {"A1:E1", "A12:A20"}


def test_the_attachment_pdf_alone(client, viewer, demo_2020):
    client.force_login(viewer)
    response = client.get("/reports/2020/trademark.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    document = open_pdf(response.content)
    page = document.pages[0]
    assert lines(page, 1)[0].text == "2020年河南省商标质押融资统计表"
    table = page.extract_tables()[0]
    assert table[1] == ["1", "南阳", "40000", "2", "281"], "named as a notice's attachment"
    assert table[-1][0] == "合计" and table[-1][2:] == ["55807.53", "13", "363"]


def test_a_long_table_repeats_its_header_row_on_the_next_page(db):
    rows = tuple(PrintedRow(n, 1, f"单位{n}", str(n), 1, 1) for n in range(1, 61))
    table = PrintedTable(
        "测试表", ("金额排名", "地市", "金额（万元）", "项目数", "件数"), rows, ("1830", 60, 60)
    )
    document = open_pdf(circular_pdf.html_to_pdf(circular_pdf.render_html(None, [table])))
    assert len(document.pages) >= 2
    for page in document.pages:
        assert page.extract_tables()[0][0] == ["金额排名", "地市", "金额（万元）", "项目数", "件数"]


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:8000/static/css/portal.css",
        "https://example.com/x.png",
        "data:text/plain,hello",
        "ftp://example.com/x",
    ],
)
def test_the_pdf_renderer_reads_nothing_but_its_fonts(url, settings):
    fetcher = circular_pdf._fetcher_class()(circular_pdf.fonts.font_dirs())
    with pytest.raises(ValueError):
        fetcher.fetch(url)


def test_the_pdf_renderer_serves_the_fonts(settings):
    fetcher = circular_pdf._fetcher_class()(circular_pdf.fonts.font_dirs())
    font = (settings.CIRCULAR_FANDOL_DIR / "FandolFang-Regular.otf").resolve()
    response = fetcher.fetch(font.as_uri())
    assert response.read(4) == b"OTTO"
    sneaky = font.as_uri().replace("FandolFang-Regular.otf", "../../../config/settings.py")
    with pytest.raises(ValueError):
        fetcher.fetch(sneaky)


def test_an_image_in_user_text_is_never_fetched(demo_2020, monkeypatch):
    from tests.support.factories import CircularFactory

    asked = []
    original = circular_pdf._fetcher_class()

    class Spy(original):
        def fetch(self, url, headers=None):
            asked.append(url)
            return super().fetch(url, headers)

    monkeypatch.setattr(circular_pdf, "_fetcher_class", lambda: Spy)
    circular = CircularFactory(
        number=77, body='<img src="http://127.0.0.1:1/x.png">', attachments=[]
    )
    services.render_circular_pdf(circular)
    assert all(url.startswith("file://") and url.endswith(".otf") for url in asked), asked


def test_a_chart_attachment_prints_the_amounts_as_a_chart(circular, demo_2020):
    from circulars.models import CircularAttachment

    CircularAttachment.objects.create(
        circular=circular, position=3, period=demo_2020, kind="trademark", form="chart"
    )
    document = open_pdf(services.render_circular_pdf(circular))
    text = [line.text for n, page in enumerate(document.pages, 1) for line in lines(page, n)]
    assert "3.2020年河南省各地市商标质押金额图" in text, "listed in the 附件说明"
    page_number = next(
        n for n, page in enumerate(document.pages, 1) if lines(page, n)[0].text == "附件3"
    )
    page = document.pages[page_number - 1]
    words = {w["text"] for w in page.extract_words()}
    assert {"南阳", "40000", "洛阳", "5642.71", "济源"} <= words
    assert not {"南阳市", "洛阳市", "济源示范区"} & words, "named as the tables are"
    assert page.extract_tables() == [], "a chart, not a table"
    assert all("Fandol" in c["fontname"] for c in page.chars)


def test_a_system_check_warns_when_the_fonts_are_missing(settings, tmp_path):
    from circulars.checks import fandol_fonts

    assert fandol_fonts(None) == []
    settings.CIRCULAR_FANDOL_DIR = tmp_path
    warnings = fandol_fonts(None)
    assert [w.id for w in warnings] == ["circulars.W001"]
    assert "FandolFang-Regular.otf" in warnings[0].msg
