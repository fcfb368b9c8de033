"""Tables as they print: the one form PDF, DOCX and XLSX are written from, and its XLSX layout.

A circular freezes its attachments in this form when it is issued (``archive_tables``), so
the fields here are a stored format: a change to them is a new ``ARCHIVE_FORMAT``, and
``tables_from_archive`` goes on reading every format ever stored.
"""

import io
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from .numbers import escape_formula

TOTAL_LABEL = _("合计")


@dataclass(frozen=True)
class PrintedRow:
    """A row as it prints. A row without approved figures has no rank ("") and says why in
    the amount cell (未报, 待审), with "—" for the counts."""

    rank: int | str
    rank_span: int  # rows the rank cell spans; 0 when a tie's first row already printed it
    unit: str
    amount: str  # as printed: 50000, 37209.56, or 未报
    projects: int | str
    items: int | str


@dataclass(frozen=True)
class PrintedTable:
    """A ranked table as it prints, every cell already written as text or a count."""

    title: str
    headings: tuple
    rows: tuple
    total: tuple  # (amount, projects, items) as printed
    note: str = ""  # the provisional mark, if any
    chart: bool = False  # printed as a bar chart of the amounts instead of the table

    layout = "ranked"  # in the archive since format 3 (not a field: it names the class)

    def as_dict(self):
        return {**asdict(self), "layout": self.layout}

    @classmethod
    def from_dict(cls, data):
        return cls(
            title=data["title"],
            headings=tuple(data["headings"]),
            rows=tuple(PrintedRow(**row) for row in data["rows"]),
            total=tuple(data["total"]),
            note=data.get("note", ""),
            chart=data.get("chart", False),
        )


@dataclass(frozen=True)
class PrintedGrid:
    """A table of text as it prints: a row per unit, each cell written out (the measures of
    every unit: 序号, 地区, then one cell per kind of measure, or 未报, 待审); no rank, no 合计."""

    title: str
    headings: tuple
    rows: tuple  # tuples of str, as many cells as headings
    note: str = ""  # the provisional mark (报送中 …), if any
    chart = False  # never a chart

    layout = "grid"

    def as_dict(self):
        return {**asdict(self), "rows": [list(row) for row in self.rows], "layout": self.layout}

    @classmethod
    def from_dict(cls, data):
        return cls(
            title=data["title"],
            headings=tuple(data["headings"]),
            rows=tuple(tuple(row) for row in data["rows"]),
            note=data.get("note", ""),
        )


LAYOUTS = {table.layout: table for table in (PrintedTable, PrintedGrid)}


# Format 1: {"format": 1, "tables": [PrintedTable.as_dict(), ...]}. Archives written before
# formats were numbered are the bare list of tables, in the same layout.
# Format 2: format 1's layout, whose rows may also be unranked: rank "", the amount a word (未报,
# 待审) and the counts "—" (a unit without approved figures, never printed as 0).
# Format 3: each table says its "layout": "ranked" (format 2's table) or "grid" (a
# ``PrintedGrid``: rows of text cells, no rank, no total). Formats 1 and 2 are all ranked.
ARCHIVE_FORMAT = 3
READABLE_FORMATS = (1, 2, 3)


class ArchiveFormatError(ValueError):
    """Archived tables in a format this version of the portal cannot read."""


def archive_tables(tables):
    """Printed tables as they are stored when a circular is issued."""
    return {"format": ARCHIVE_FORMAT, "tables": [table.as_dict() for table in tables]}


def tables_from_archive(archive):
    """The printed tables of a stored archive, refusing a format it does not know."""
    if isinstance(archive, list):
        tables = archive  # stored before formats were numbered: format 1's layout
    elif isinstance(archive, dict) and archive.get("format") in READABLE_FORMATS:
        tables = archive["tables"]
    else:
        found = archive.get("format") if isinstance(archive, dict) else type(archive).__name__
        raise ArchiveFormatError(
            f"archived tables in format {found!r}: this version of the portal reads formats "
            f"{', '.join(map(str, READABLE_FORMATS))} (or a bare list of tables, from before "
            "formats were numbered)"
        )
    return [_table_of_layout(table) for table in tables]


def _table_of_layout(data):
    """Formats 1 and 2 hold ranked tables only; format 3 names each table's layout."""
    layout = LAYOUTS.get(data.get("layout", PrintedTable.layout))
    if layout is None:
        raise ArchiveFormatError(
            f"archived table in layout {data.get('layout')!r}: this version of the portal reads "
            f"layouts {', '.join(LAYOUTS)}"
        )
    return layout.from_dict(data)


def tables_xlsx(named_tables):
    """Printed tables as an XLSX workbook, one sheet each, in the layout of the attachments.

    Row 1 is the title merged across the five columns, then (for a provisional table)
    its mark, then the headings, a row per unit with each tie's rank merged over its
    rows, and the 合计 row. Amounts are numbers, so Excel can sum them.
    """
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, table in named_tables:
        write_table_sheet(workbook.create_sheet(name[:31]), table)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _number(printed):
    """An amount as Excel should hold it: a number, so it can be summed; 未报 stays text."""
    try:
        return Decimal(printed)
    except ArithmeticError:
        return printed


def write_table_sheet(sheet, table):
    if table.layout == "grid":
        return write_grid_sheet(sheet, table)
    from openpyxl.styles import Alignment, Border, Font, Side

    width = len(table.headings)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)

    sheet.append([escape_formula(table.title)])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(1, 1).font = Font(bold=True, size=16)
    sheet.cell(1, 1).alignment = centre
    sheet.row_dimensions[1].height = 30
    first_body_row = 3
    if table.note:
        sheet.append([table.note])
        sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
        sheet.cell(2, 1).font = Font(bold=True, color="C00000")
        first_body_row = 4
    sheet.append(list(table.headings))
    for cell in sheet[first_body_row - 1]:
        cell.font = Font(bold=True)

    for offset, row in enumerate(table.rows):
        excel_row = first_body_row + offset
        sheet.append(
            [row.rank, escape_formula(row.unit), _number(row.amount), row.projects, row.items]
        )
        if row.rank_span > 1:
            sheet.merge_cells(
                start_row=excel_row,
                start_column=1,
                end_row=excel_row + row.rank_span - 1,
                end_column=1,
            )
    amount, projects, items = table.total
    sheet.append(["", str(TOTAL_LABEL), Decimal(amount), projects, items])

    for row_cells in sheet.iter_rows(
        min_row=first_body_row - 1, max_row=sheet.max_row, max_col=width
    ):
        for cell in row_cells:
            cell.border = border
            cell.alignment = centre
    for letter, column_width in zip("ABCDE", (10, 14, 18, 10, 12), strict=True):
        sheet.column_dimensions[letter].width = column_width
    sheet.print_title_rows = f"{first_body_row - 1}:{first_body_row - 1}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4


# The grid's columns in Excel: narrow for 序号 and 地区, wide for the text of the measures.
GRID_WIDTHS = (6, 10, 40, 28, 18, 28)


def write_grid_sheet(sheet, table):
    """A ``PrintedGrid`` as a sheet: the title merged across, its mark, the headings, a row
    per unit; text wrapped and left-aligned in the wide columns."""
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    width = len(table.headings)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)

    sheet.append([escape_formula(table.title)])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(1, 1).font = Font(bold=True, size=16)
    sheet.cell(1, 1).alignment = centre
    sheet.row_dimensions[1].height = 30
    if table.note:
        sheet.append([table.note])
        sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
        sheet.cell(2, 1).font = Font(bold=True, color="C00000")
    heading_row = sheet.max_row + 1
    sheet.append(list(table.headings))
    for cell in sheet[heading_row]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([escape_formula(cell) for cell in row])
    for row_cells in sheet.iter_rows(min_row=heading_row, max_row=sheet.max_row, max_col=width):
        for column, cell in enumerate(row_cells):
            cell.border = border
            cell.alignment = left if column >= 2 and cell.row > heading_row else centre
    for column, column_width in enumerate(GRID_WIDTHS[:width], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = column_width
    sheet.print_title_rows = f"{heading_row}:{heading_row}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
