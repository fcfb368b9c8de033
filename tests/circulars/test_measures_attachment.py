"""附件: 各地知识产权质押融资政策措施情况表, the units × measures of a period, in every format.

Read back from the PDF it is the matrix, cell for cell; issued, it prints what it froze though
the measures change afterwards; the page layout is checked with the other circulars' in
``test_page_layout``.
"""

import io

import pytest
from django.utils import translation
from docx import Document
from openpyxl import load_workbook

from circulars import services
from circulars.models import AttachmentForm, CircularAttachment
from measures.models import MeasureReport
from measures.queries import MEASURE_COLUMNS, measure_matrix
from periods.models import ReportingPeriod
from tests.support.factories import CircularFactory
from tests.support.pdf import lines, open_pdf
from workflow.models import WorkflowAction
from workflow.services import transition

pytestmark = pytest.mark.django_db

TITLE = "2020年各地知识产权质押融资政策措施情况表"
HEADINGS = ["序号", "地区", "政策措施（文号）", "风险补偿资金", "活动", "经验做法"]


@pytest.fixture
def period(published_demo):
    return ReportingPeriod.objects.by_slug("2020").get()


@pytest.fixture
def circular(period):
    circular = CircularFactory(number=30)
    CircularAttachment.objects.create(
        circular=circular, position=1, period=period, form=AttachmentForm.MEASURES
    )
    return circular


def expected_rows(period, names="short"):
    """The matrix as the table must print it: 序号, 地区, then ``MatrixRow.cell`` in Chinese."""
    with translation.override("zh-hans"):
        return [
            [str(n), row.unit.short_name if names == "short" else row.unit.name]
            + [row.cell(column) for column in MEASURE_COLUMNS]
            for n, row in enumerate(measure_matrix(period).rows, start=1)
        ]


def pdf_rows(document):
    """Every table row of the PDF, a wrapped cell's lines joined, the repeated headings once."""
    rows = []
    for page in open_pdf(document).pages:
        for table in page.extract_tables():
            for row in table:
                row = [(cell or "").replace("\n", "") for cell in row]
                if row != HEADINGS or not rows:
                    rows.append(row)
    return rows


def squeeze(rows):
    """pdfplumber keeps or drops the spaces of 巡讲 1 场 by the glyphs' gaps: compare without."""
    return [[cell.replace(" ", "") for cell in row] for row in rows]


def test_the_attachment_is_of_no_kind_and_titled_by_its_period(circular):
    attachment = circular.attachments.get()
    assert attachment.kind == ""
    assert attachment.title == TITLE


def test_a_table_or_chart_needs_a_kind_and_the_measures_table_drops_one(circular, period):
    from django.core.exceptions import ValidationError

    chart = CircularAttachment(circular=circular, position=2, period=period, form="chart")
    with pytest.raises(ValidationError) as error:
        chart.full_clean()
    assert error.value.message_dict["kind"] == ["统计表和金额图须选择类别（专利或商标）。"]
    measures = CircularAttachment(
        circular=circular, position=2, period=period, form="measures", kind="patent"
    )
    measures.full_clean()
    assert measures.kind == ""


def test_the_pdf_table_is_the_matrix_cell_for_cell(circular, period):
    document = services.render_circular_pdf(circular)
    rows = pdf_rows(document)
    assert rows[0] == HEADINGS
    assert squeeze(rows[1:]) == squeeze(expected_rows(period))
    # 28 units; 洛阳 as the demo reported it.
    assert len(rows) == 29
    assert squeeze([rows[5]]) == squeeze(
        [
            [
                "5",
                "洛阳",
                "洛阳市专利权质押融资风险补偿资金管理办法（试行）（洛市监〔2019〕31号）",
                "洛阳市专利权质押融资风险补偿资金（2000万元）",
                "银企对接1场",
                "以风险补偿资金撬动银行放贷",
            ]
        ]
    )
    labels = [
        line.text
        for n, page in enumerate(open_pdf(document).pages, 1)
        for line in lines(page, n)[:2]
    ]
    assert "附件" in labels and TITLE in labels  # one attachment: 附件, unnumbered


def test_full_names_follow_the_circular(circular, period):
    circular.unit_names = "full"
    circular.save()
    (table,) = services.live_tables(circular)
    assert [list(row) for row in table.rows] == expected_rows(period, "full")


def test_docx_and_xlsx_hold_the_same_table(circular, period):
    expected = expected_rows(period)
    (grid,) = Document(io.BytesIO(services.circular_docx(circular))).tables
    assert [[cell.text for cell in row.cells] for row in grid.rows] == [HEADINGS, *expected]
    sheet = load_workbook(io.BytesIO(services.circular_xlsx(circular)))["附件1"]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == TITLE
    assert values[1] == HEADINGS
    assert values[2:] == expected


def test_while_the_period_is_open_the_table_says_so(open_period):
    circular = CircularFactory(number=31)
    CircularAttachment.objects.create(
        circular=circular, position=1, period=open_period, form=AttachmentForm.MEASURES
    )
    (table,) = services.live_tables(circular)
    assert table.note.startswith("报送中 · 截至 ")
    assert table.note.endswith("已审核 0 / 28 个单位")
    assert {row[2] for row in table.rows} == {"未报"}
    text = "".join(
        page.extract_text() for page in open_pdf(services.render_circular_pdf(circular)).pages
    )
    assert "已审核 0 / 28 个单位" in text


def test_an_issued_table_prints_what_it_froze_after_the_measures_change(
    circular, period, administrator_user, reviewer, units
):
    services.issue(circular, administrator_user)
    circular.refresh_from_db()
    assert circular.frozen_tables["format"] == 3
    assert circular.frozen_tables["tables"][0]["layout"] == "grid"
    before = services.printed_tables(circular)
    archived = bytes(circular.archived_pdf)

    report = MeasureReport.objects.get(unit=units["驻马店"], period=period)
    transition(report, WorkflowAction.REOPEN, reviewer, comment="基金规模有误")
    assert squeeze(expected_rows(period)) != squeeze(pdf_rows(archived)[1:])  # the data moved

    circular.refresh_from_db()
    assert services.printed_tables(circular) == before
    assert services.circular_pdf(circular) == archived
    assert pdf_rows(services.render_circular_pdf(circular)) == pdf_rows(archived)
