"""Tables saved by LibreOffice (``tests/uploads/corpus``), read as a person sees them."""

from decimal import Decimal
from pathlib import Path

import pytest

from contracts.imports import parse_contracts, read_contract_rows
from reporting.imports import parse_figures, read_figure_rows
from reporting.models import IPKind
from tests.support.factories import ReportingPeriodFactory

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).parent / "corpus"
FIGURES_SEEN = [
    (4, "郑州", Decimal("21500.37"), 31, 161),
    (5, "洛阳", Decimal("41020.50"), 31, 240),
    (6, "开封", Decimal("0.00"), 0, 0),
]


def content(name):
    return (CORPUS / name).read_bytes()


@pytest.mark.parametrize("name", ["lo-figures.xlsx", "lo-figures.xls", "lo-unicode-text.txt"])
def test_a_libreoffice_table_of_figures_reads_as_seen_its_total_checked(name):
    period = ReportingPeriodFactory(year=2031)
    preview = parse_figures(read_figure_rows(content(name), name), period, IPKind.PATENT)
    assert preview.errors == []
    assert [
        (row.line, row.unit.short_name, row.amount, row.projects, row.items, row.errors)
        for row in preview.rows
    ] == [(*seen, {}) for seen in FIGURES_SEEN]


@pytest.mark.parametrize("name", ["lo-contracts.xlsx", "lo-contracts.xls"])
def test_libreoffice_contracts_read_their_dates_as_typed(name, open_period, units):
    import datetime

    rows = read_contract_rows(content(name), name)
    preview = parse_contracts(rows, open_period, unit=units["郑州"], kind="trademark")
    assert [r.errors for r in preview.rows] == [{}, {}]
    assert [
        (r.line, r.values["amount"], r.values["effective_on"], r.values["items"])
        for r in preview.rows
    ] == [
        (2, Decimal("37.11"), datetime.date(2021, 3, 5), 2),
        (3, Decimal("22.26"), datetime.date(2021, 6, 1), 2),
    ]


@pytest.mark.parametrize(
    "name", ["lo-notes-sheet-hidden-row.xlsx", "lo-notes-sheet-hidden-row.xls"]
)
def test_a_libreoffice_workbook_with_a_notes_sheet_reads_the_table_sheet(name):
    rows = read_figure_rows(content(name), name)
    assert (rows.sheet, rows.sheet_count) == ("专利", 2)
    assert [(row.number, row[0], row[4]) for row in rows[2:]] == [
        (3, "郑州", "2021-03-01"),
        (4, "洛阳", "2021-03-02"),
        (5, "开封", "2021-03-03"),
    ]
    assert [row.hidden for row in rows[2:]] == [False, False, True]
