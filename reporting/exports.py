"""Exports of the ranked tables: CSV for machines, XLSX in the printed layout."""

import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django_tables2.export import TableExport

from .numbers import escape_formula, format_amount
from .tables import TOTAL_LABEL, RankedUnitsTable

UTF8_BOM = "\ufeff"


class RankedTableExport(TableExport):
    """django-tables2's export, with what Chinese Excel users need.

    CSV starts with a BOM (without it Excel opens UTF-8 as mojibake) and every
    tied row carries its shared rank; XLSX is laid out like the printed
    attachment, the shared rank being one merged cell. File names are Chinese.
    """

    FORMATS = {
        TableExport.CSV: TableExport.FORMATS[TableExport.CSV],
        TableExport.XLSX: TableExport.FORMATS[TableExport.XLSX],
    }

    def __init__(self, export_format, table, **kwargs):
        self.table = table
        super().__init__(export_format, table, **kwargs)

    @classmethod
    def is_valid_format(cls, export_format):
        return export_format in cls.FORMATS

    def export(self):
        if self.format == self.XLSX:
            return ranking_xlsx(self.table.ranking)
        for i, row in enumerate(self.dataset):
            self.dataset[i] = tuple(escape_formula(value) for value in row)
        note = self.table.ranking.provisional_note
        if note:
            self.dataset.append([str(note)] + [""] * (self.dataset.width - 1))
        return UTF8_BOM + self.dataset.export(self.format)

    def response(self, filename=None):
        response = HttpResponse(self.export(), content_type=self.content_type())
        if filename is not None:
            response["Content-Disposition"] = content_disposition_header(True, filename)
        return response


def ranking_xlsx(ranking):
    """The ranked table as an XLSX workbook in the layout of the printed attachment.

    Row 1 is the title merged across the five columns, row 2 the headings, then a
    row per unit with each tie's rank merged over its rows, then the 合计 row.
    Amounts are numbers, so Excel can sum them.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    table = RankedUnitsTable(ranking)
    headings = [str(column.header) for column in table.columns]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(ranking.period.slug)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)

    sheet.append([escape_formula(str(ranking.title))])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headings))
    sheet.cell(1, 1).font = Font(bold=True, size=16)
    sheet.cell(1, 1).alignment = centre
    sheet.row_dimensions[1].height = 30
    first_body_row = 3
    if ranking.provisional:
        sheet.append([str(ranking.provisional_note)])
        sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(headings))
        sheet.cell(2, 1).font = Font(bold=True, color="C00000")
        first_body_row = 4
    sheet.append(headings)
    for cell in sheet[first_body_row - 1]:
        cell.font = Font(bold=True)

    for offset, row in enumerate(ranking.rows):
        excel_row = first_body_row + offset
        sheet.append(
            [
                row.rank,
                escape_formula(row.unit.name),
                _number(row.amount),
                row.projects,
                row.items,
            ]
        )
        if row.starts_tie and row.tie_size > 1:
            sheet.merge_cells(
                start_row=excel_row,
                start_column=1,
                end_row=excel_row + row.tie_size - 1,
                end_column=1,
            )
    sheet.append(["", str(TOTAL_LABEL), _number(ranking.amount), ranking.projects, ranking.items])

    for row_cells in sheet.iter_rows(
        min_row=first_body_row - 1, max_row=sheet.max_row, max_col=len(headings)
    ):
        for cell in row_cells:
            cell.border = border
            cell.alignment = centre
    for letter, width in zip("ABCDE", (10, 14, 18, 10, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.print_title_rows = f"{first_body_row - 1}:{first_body_row - 1}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _number(amount):
    """An amount as the printed number: 50000, 37209.56 (no trailing zeros)."""
    return Decimal(format_amount(amount))
