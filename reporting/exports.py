"""Exports of the ranked tables: CSV for machines, XLSX in the printed layout."""

import io
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django_tables2.export import TableExport

from lib.numbers import escape_formula, format_amount

from .tables import TOTAL_LABEL

UTF8_BOM = "\ufeff"
XLSX = TableExport.FORMATS[TableExport.XLSX]


def attachment_response(content, content_type, filename):
    """A download saved under ``filename`` (Chinese names survive: RFC 6266 encoding)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


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
        if filename is None:
            return HttpResponse(self.export(), content_type=self.content_type())
        return attachment_response(self.export(), self.content_type(), filename)


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
    """A ranked table as it prints: the one form PDF, DOCX and XLSX are written from.

    A circular freezes its attachments in this form when it is issued (``as_dict``).
    """

    title: str
    headings: tuple
    rows: tuple
    total: tuple  # (amount, projects, items) as printed
    note: str = ""  # the provisional mark, if any
    chart: bool = False  # printed as a bar chart of the amounts instead of the table

    @classmethod
    def from_ranking(cls, ranking):
        kind = ranking.kind
        rows = tuple(
            PrintedRow(
                rank=row.rank,
                rank_span=row.tie_size if row.starts_tie else 0,
                unit=row.unit.name,
                amount=format_amount(row.amount),
                projects=row.projects,
                items=row.items,
            )
            for row in ranking.rows
        )
        return cls(
            title=str(ranking.title),
            headings=tuple(
                str(h)
                for h in (
                    _("金额排名"),
                    _("地市"),
                    kind.amount_heading,
                    _("项目数"),
                    kind.items_heading,
                )
            ),
            rows=rows,
            total=(format_amount(ranking.amount), ranking.projects, ranking.items),
            note=str(ranking.provisional_note),
        )

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


def ranking_xlsx(ranking):
    """The ranked table as an XLSX workbook in the layout of the printed attachment."""
    return tables_xlsx([(str(ranking.period.slug), PrintedTable.from_ranking(ranking))])


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


def plain_table_response(title, headings, rows, export_format):
    """A simple table as a CSV (with BOM) or XLSX download, formula cells escaped."""
    import csv

    if export_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headings)
        writer.writerows([[escape_formula(str(cell)) for cell in row] for row in rows])
        content, content_type = UTF8_BOM + buffer.getvalue(), TableExport.FORMATS["csv"]
    else:
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.append([str(h) for h in headings])
        for row in rows:
            sheet.append(
                [
                    cell
                    if cell is None or isinstance(cell, int | float | Decimal)
                    else escape_formula(str(cell))
                    for cell in row
                ]
            )
        buffer = io.BytesIO()
        workbook.save(buffer)
        content, content_type = buffer.getvalue(), XLSX
    return attachment_response(content, content_type, f"{title}.{export_format}")
