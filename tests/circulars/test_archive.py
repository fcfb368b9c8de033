"""An issued circular's tables are stored with their format, and every stored format still reads.

``fixtures/archive_v1.json`` is the archive of the demo's 豫知〔2021〕8号 as it was stored
before formats were numbered (a bare list of tables): never regenerate it.
"""

import hashlib
import importlib
import io
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from circulars import services
from circulars.models import Circular, CircularState
from lib.printed import (
    ArchiveFormatError,
    PrintedGrid,
    PrintedTable,
    archive_tables,
    tables_from_archive,
)
from reporting.models import IPKind
from tests.support.factories import CircularFactory, ReportingPeriodFactory, add_figures
from tests.support.pdf import open_pdf

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parent / "fixtures" / "archive_v1.json"
ZHENGZHOU_PATENT = ["7", "郑州市", "19060", "28", "148"]
ZHENGZHOU_TRADEMARK = ["9", "郑州市", "46", "1", "3"]


def bare_list():
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def issued_circular(frozen_tables, user):
    circular = CircularFactory(
        number=8,
        state=CircularState.ISSUED,
        issued_at=timezone.now(),
        issued_by=user,
        frozen_tables=frozen_tables,
    )
    # The archived PDF, printed from the archive (issuing prints it from the same tables).
    document = services.render_circular_pdf(circular)
    circular.archived_pdf = document
    circular.archived_sha256 = hashlib.sha256(document).hexdigest()
    circular.save()
    return circular


@pytest.fixture(params=["bare list", "format 1"])
def issued(request, administrator_user):
    tables = bare_list()
    stored = tables if request.param == "bare list" else {"format": 1, "tables": tables}
    return issued_circular(stored, administrator_user)


def test_the_fixture_is_the_demo_circulars_two_tables():
    tables = tables_from_archive(bare_list())
    assert [table.title for table in tables] == [
        "2020年河南省专利质押融资统计表",
        "2020年河南省商标质押融资统计表",
    ]
    assert [table.total for table in tables] == [("298611.56", 249, 1684), ("55807.53", 13, 363)]


def test_a_bare_list_and_format_1_read_the_same():
    tables = bare_list()
    assert tables_from_archive(tables) == tables_from_archive({"format": 1, "tables": tables})
    stored = json.loads(json.dumps(archive_tables(tables_from_archive(tables))))
    # Format 3 writes format 1's rows alike, each table saying it is ranked.
    assert stored == {"format": 3, "tables": [{**table, "layout": "ranked"} for table in tables]}


@pytest.mark.parametrize(
    ("archive", "found"),
    [({"format": 4, "tables": []}, "4"), ({"tables": []}, "None"), ("tables", "'str'")],
)
def test_an_unknown_format_is_refused_with_a_clear_error(archive, found):
    with pytest.raises(ArchiveFormatError) as error:
        tables_from_archive(archive)
    assert str(error.value) == (
        f"archived tables in format {found}: this version of the portal reads formats 1, 2, 3 "
        "(or a bare list of tables, from before formats were numbered)"
    )


def test_an_issued_circular_in_an_unknown_format_is_not_printed(client, administrator_user):
    circular = issued_circular(bare_list(), administrator_user)
    Circular.objects.filter(pk=circular.pk).update(frozen_tables={"format": 4, "tables": []})
    client.force_login(administrator_user)
    with pytest.raises(ArchiveFormatError):
        client.get(f"/circulars/{circular.pk}/file.xlsx")


def test_the_archived_pdf_downloads(client, reviewer, issued):
    client.force_login(reviewer)
    response = client.get(f"/circulars/{issued.pk}/file.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == bytes(issued.archived_pdf)
    rows = [
        row for page in open_pdf(response.content).pages for t in page.extract_tables() for row in t
    ]
    assert ZHENGZHOU_PATENT in rows and ZHENGZHOU_TRADEMARK in rows


def test_the_archived_tables_download_as_docx(client, reviewer, issued):
    client.force_login(reviewer)
    response = client.get(f"/circulars/{issued.pk}/file.docx")
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    patent, trademark = Document(io.BytesIO(response.content)).tables
    assert ZHENGZHOU_PATENT in [[cell.text for cell in row.cells] for row in patent.rows]
    assert ZHENGZHOU_TRADEMARK in [[cell.text for cell in row.cells] for row in trademark.rows]


def test_the_archived_tables_download_as_xlsx(client, reviewer, issued):
    client.force_login(reviewer)
    response = client.get(f"/circulars/{issued.pk}/file.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["附件1", "附件2"]
    rows = {
        name: {row[1]: row for row in workbook[name].iter_rows(values_only=True)}
        for name in workbook.sheetnames
    }
    assert rows["附件1"]["郑州市"] == (7, "郑州市", 19060, 28, 148)
    assert rows["附件2"]["郑州市"] == (9, "郑州市", 46, 1, 3)
    assert rows["附件1"]["合计"][2:] == (298611.56, 249, 1684)


def test_the_data_migration_wraps_bare_lists_and_back(administrator_user):
    migration = importlib.import_module("circulars.migrations.0003_archive_format")
    circular = issued_circular(bare_list(), administrator_user)
    draft = CircularFactory(number=9)
    updated_at = Circular.objects.get(pk=circular.pk).updated_at

    migration.wrap_bare_lists(apps, None)
    stored = Circular.objects.get(pk=circular.pk)
    assert stored.frozen_tables == {"format": 1, "tables": bare_list()}
    assert stored.updated_at == updated_at
    assert Circular.objects.get(pk=draft.pk).frozen_tables is None
    migration.wrap_bare_lists(apps, None)  # twice is once
    assert Circular.objects.get(pk=circular.pk).frozen_tables["format"] == 1

    migration.unwrap_format_1(apps, None)
    assert Circular.objects.get(pk=circular.pk).frozen_tables == bare_list()


def test_issuing_stores_format_3_with_its_unranked_rows(administrator_user, units):
    period = ReportingPeriodFactory(year=2020)
    add_figures(units["郑州"], period, IPKind.PATENT, "19060", 28, 148)
    circular = CircularFactory(number=10, attachments=[(period, IPKind.PATENT)])
    services.issue(circular, administrator_user)
    circular.refresh_from_db()
    assert circular.frozen_tables["format"] == 3
    assert circular.frozen_tables["tables"][0]["layout"] == "ranked"
    (table,) = tables_from_archive(circular.frozen_tables)
    assert isinstance(table, PrintedTable)
    assert table.rows[0].unit == "郑州" and table.rows[0].amount == "19060"
    assert (table.rows[1].rank, table.rows[1].amount) == ("", "未报")


FIXTURE_V2 = Path(__file__).parent / "fixtures" / "archive_v2.json"


def test_format_2_holds_unranked_rows_and_prints_them_as_words(client, administrator_user):
    """``fixtures/archive_v2.json`` was written by hand in format 2: never regenerate it."""
    stored = json.loads(FIXTURE_V2.read_text(encoding="utf-8"))
    table, chart = tables_from_archive(stored)
    assert [(row.rank, row.amount, row.projects) for row in table.rows] == [
        (1, "18500", 9),
        ("", "未报", "—"),
        ("", "待审", "—"),
    ]
    circular = issued_circular(stored, administrator_user)
    client.force_login(administrator_user)
    sheet = load_workbook(io.BytesIO(client.get(f"/circulars/{circular.pk}/file.xlsx").content))
    cells = [[c.value for c in row] for row in sheet.worksheets[0].iter_rows(min_row=4)]
    assert cells[:3] == [[1, "鹤壁", 18500, 9, 126], [None, "郑州", "未报", "—", "—"],
                         [None, "洛阳", "待审", "—", "—"]]  # fmt: skip
    text = "".join(page.extract_text() for page in open_pdf(bytes(circular.archived_pdf)).pages)
    assert "未报" in text and "待审" in text


FIXTURE_V3 = Path(__file__).parent / "fixtures" / "archive_v3.json"


def test_format_3_says_each_tables_layout_and_reads_a_grid_of_text(administrator_user):
    """``fixtures/archive_v3.json`` was written by hand in format 3: never regenerate it."""
    stored = json.loads(FIXTURE_V3.read_text(encoding="utf-8"))
    ranked, grid = tables_from_archive(stored)
    assert isinstance(ranked, PrintedTable) and isinstance(grid, PrintedGrid)
    assert grid.rows[1][:2] == ("2", "洛阳") and grid.rows[2][2:] == ("无",) * 4
    assert json.loads(json.dumps(archive_tables([ranked, grid]))) == stored  # round trip
    circular = issued_circular(stored, administrator_user)
    rows = [
        row
        for page in open_pdf(bytes(circular.archived_pdf)).pages
        for table in page.extract_tables()
        for row in table
    ]
    assert ["1", "郑州", "未报", "未报", "未报", "未报"] in rows


def test_a_table_of_an_unknown_layout_is_refused():
    with pytest.raises(ArchiveFormatError, match="layout 'pie'"):
        tables_from_archive({"format": 3, "tables": [{"layout": "pie", "title": "?"}]})
