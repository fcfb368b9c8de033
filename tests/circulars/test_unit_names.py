"""Units are named as the notice names them: short (三门峡, 济源) by default, as 附件1 of
豫知〔2021〕8号 prints them; full (三门峡市, 济源示范区) when a circular asks for it. One style
within a table, and the drafted text names them as the tables do."""

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from circulars import services
from circulars.drafting import draft_situation
from circulars.models import Circular, UnitNames
from reporting.exports import printed_ranking
from reporting.models import IPKind
from reporting.queries import rank_units
from tests.support import golden, seed
from tests.support.circulars import form_data
from tests.support.factories import ReportingPeriodFactory, add_figures
from tests.support.pdf import open_pdf
from workflow.models import ReportState

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, administrator_user):
    client.force_login(administrator_user)
    return client


def fill_down(rows):
    """The rows with each tie's rank repeated and the 合计 row's rank empty, as in ``seed``."""
    filled, previous = [], ""
    for row in rows:
        rank = row[0] or (previous if row[1] != "合计" else "")
        previous = rank
        filled.append([rank, *row[1:]])
    return filled


def test_the_notices_trademark_table_mixes_two_styles_and_the_portal_prints_one(units):
    by_name = {unit.name: unit for unit in units.values()} | units
    printed = seed.TRADEMARK_2020_AS_PRINTED[:-1]
    assert [row[1] for row in printed if row[1] in units] == ["驻马店", "济源"]
    for as_printed, short, full in zip(
        seed.TRADEMARK_2020_AS_PRINTED,
        seed.TRADEMARK_2020_SHORT,
        golden.TRADEMARK_2020,
        strict=True,
    ):
        assert as_printed[:1] + as_printed[2:] == short[:1] + short[2:] == full[:1] + full[2:]
        if as_printed[1] != "合计":
            unit = by_name[as_printed[1]]
            assert (short[1], full[1]) == (unit.short_name, unit.name)
    assert [
        [row[0], by_name[row[1]].name if row[1] in by_name else row[1], *row[2:]]
        for row in seed.PATENT_2020
    ] == golden.PATENT_2020, "附件1 is the same table, named short"


def test_a_new_circular_names_units_short(admin_client, demo_2020):
    page = admin_client.get("/circulars/new/").content.decode()
    assert '<option value="short" selected>简称（三门峡、济源）</option>' in page
    assert '<option value="full">全称（三门峡市、济源示范区）</option>' in page
    assert "专利质押金额居前的是三门峡、洛阳、驻马店" in page, "the drafted text too"
    assert Circular._meta.get_field("unit_names").default == UnitNames.SHORT


def test_a_circular_set_to_full_names_prints_them_in_every_format(admin_client, circular):
    response = admin_client.post(
        f"/circulars/{circular.pk}/edit/",
        form_data(
            year="2021",
            number="8",
            unit_names="full",
            revision=circular.revision,
            **{
                "attachments-TOTAL_FORMS": "2",
                "attachments-INITIAL_FORMS": "2",
                **{
                    f"attachments-{n}-{field}": value
                    for n, attachment in enumerate(circular.attachments.all())
                    for field, value in (
                        ("id", attachment.pk),
                        ("position", attachment.position),
                        ("period", attachment.period_id),
                        ("kind", attachment.kind),
                        ("form", attachment.form),
                    )
                },
            },
        ),
    )
    assert response.status_code == 302
    circular.refresh_from_db()
    assert circular.unit_names == UnitNames.FULL
    expected = [golden.PATENT_2020, golden.TRADEMARK_2020]

    document = Document(io.BytesIO(admin_client.get(f"/circulars/{circular.pk}/file.docx").content))
    for table, rows in zip(document.tables, expected, strict=True):
        body = [[cell.text for cell in row.cells] for row in table.rows][1:]
        assert fill_down([row if row[1] != "合计" else ["", *row[1:]] for row in body]) == rows

    workbook = load_workbook(
        io.BytesIO(admin_client.get(f"/circulars/{circular.pk}/file.xlsx").content)
    )
    for sheet, rows in zip(workbook.worksheets, expected, strict=True):
        names = [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)]
        assert names == [row[1] for row in rows]

    pdf = open_pdf(admin_client.get(f"/circulars/{circular.pk}/file.pdf").content)
    printed = [row for page in pdf.pages for table in page.extract_tables() for row in table]
    assert {row[1] for row in printed} >= {"三门峡市", "济源示范区", "南阳市"}
    assert not {row[1] for row in printed} & {"三门峡", "济源", "南阳"}


def test_redrafting_names_units_as_the_circular_does(admin_client, circular):
    circular.unit_names = UnitNames.FULL
    circular.save()
    admin_client.post(f"/circulars/{circular.pk}/redraft/")
    circular.refresh_from_db()
    assert (
        "专利质押金额居前的是三门峡市、洛阳市、驻马店市；商标质押金额居前的是南阳市、洛阳市、驻马店市；"
        "开封市、平顶山市、安阳市、焦作市、许昌市、漯河市、三门峡市、信阳市、济源示范区等9个地市"
        "商标质押项目、金额、件数均为零。"
    ) in circular.situation.splitlines()


def test_the_drafted_text_names_units_short_by_default(demo_2020):
    assert (
        "专利质押金额居前的是三门峡、洛阳、驻马店；商标质押金额居前的是南阳、洛阳、驻马店；"
        "开封、平顶山、安阳、焦作、许昌、漯河、三门峡、信阳、济源等9个地市"
        "商标质押项目、金额、件数均为零。"
    ) in draft_situation(demo_2020).splitlines()


@pytest.mark.parametrize("names", ["", "medium", None])
def test_an_unknown_style_is_refused(demo_2020, names):
    with pytest.raises(ValueError, match="names must be"):
        printed_ranking(rank_units(demo_2020, IPKind.PATENT), names=names)
    with pytest.raises(ValueError, match="names must be"):
        draft_situation(demo_2020, names=names)


def test_an_unknown_style_in_the_form_is_refused_and_nothing_saved(admin_client, demo_2020):
    count = Circular.objects.count()
    response = admin_client.post(
        "/circulars/new/",
        form_data(unit_names="medium", **{"attachments-0-period": demo_2020.pk}),
    )
    assert response.status_code == 400
    assert "选择一个有效的选项。 medium 不在可用的选项中。" in response.content.decode()
    assert Circular.objects.count() == count


def test_a_table_uses_one_style_for_every_row_ranked_or_not(units):
    period = ReportingPeriodFactory(year=2019)
    add_figures(units["济源"], period, IPKind.PATENT, "10", 1, 1)
    add_figures(units["三门峡"], period, IPKind.PATENT, "5", 1, 1, state=ReportState.SUBMITTED)
    ranking = rank_units(period, IPKind.PATENT)
    short = printed_ranking(ranking, names="short")
    full = printed_ranking(ranking, names="full")
    assert [row.unit for row in short.rows] == [r.unit.short_name for r in ranking.rows]
    assert [row.unit for row in full.rows] == [r.unit.name for r in ranking.rows]
    assert (short.rows[0].unit, short.rows[0].amount) == ("济源", "10")
    assert {row.unit: row.amount for row in short.rows}["三门峡"] == "待审"
    assert {row.unit: row.amount for row in full.rows}["三门峡市"] == "待审"
    assert len(short.rows) == 18 and not any(
        row.unit.endswith(("市", "示范区")) for row in short.rows
    )


def test_the_ranked_tables_own_exports_keep_full_names(viewer_client, units):
    """The table on screen and its CSV and XLSX exports are the data, not a notice's attachment:
    they name the units in full, as the screen does."""
    period = ReportingPeriodFactory(year=2019)
    add_figures(units["济源"], period, IPKind.PATENT, "10", 1, 1)
    assert "<td >济源示范区</td>" in viewer_client.get("/reports/2019/patent/").content.decode()
    csv = viewer_client.get("/reports/2019/patent/?_export=csv").content.decode("utf-8-sig")
    assert csv.splitlines()[1] == "1,济源示范区,10,1,1"
    response = viewer_client.get("/reports/2019/patent/?_export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["B3"].value == "济源示范区"
    assert printed_ranking(rank_units(period, IPKind.PATENT)).rows[0].unit == "济源示范区"


def test_the_standalone_attachment_pdf_names_units_short(viewer_client, demo_2020):
    pdf = open_pdf(viewer_client.get("/reports/2020/patent.pdf").content)
    rows = pdf.pages[0].extract_tables()[0]
    assert rows[1:-1] == seed.PATENT_2020[:-1]
    assert rows[-1][2:] == seed.PATENT_2020[-1][2:]


def test_a_frozen_archive_keeps_its_names_whatever_the_circular_says(administrator_user, circular):
    services.issue(circular, administrator_user)
    Circular.objects.filter(pk=circular.pk).update(unit_names=UnitNames.FULL)
    issued = Circular.objects.get(pk=circular.pk)
    patent, trademark = services.printed_tables(issued)
    assert [row.unit for row in patent.rows] == [row[1] for row in seed.PATENT_2020[:-1]]
    assert [row.unit for row in trademark.rows] == [
        row[1] for row in seed.TRADEMARK_2020_SHORT[:-1]
    ]
