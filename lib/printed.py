"""Tables as they print: the one form PDF, DOCX and XLSX are written from, and its XLSX layout.

A circular freezes its attachments in this form when it is issued (``PrintedTable.as_dict``),
so the fields here are a stored format: change them only with a new archive format.
"""

import io
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from .numbers import escape_formula

TOTAL_LABEL = _("合计")


@dataclass(frozen=True)
class PrintedRow:
    rank: int
    rank_span: int  # rows the rank cell spans; 0 when a tie's first row already printed it
    unit: str
    amount: str  # as printed: 50000, 37209.56
    projects: int
    items: int


@dataclass(frozen=True)
class PrintedTable:
    """A ranked table as it prints, every cell already written as text or a count."""

    title: str
    headings: tuple
    rows: tuple
    total: tuple  # (amount, projects, items) as printed
    note: str = ""  # the provisional mark, if any
    chart: bool = False  # printed as a bar chart of the amounts instead of the table

    def as_dict(self):
        return asdict(self)

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


def write_table_sheet(sheet, table):
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
            [row.rank, escape_formula(row.unit), Decimal(row.amount), row.projects, row.items]
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
