"""Files the portal hands out: the download response and the simple tables every app exports."""

import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from .numbers import escape_formula

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Without a BOM, Chinese Excel opens UTF-8 as mojibake.
UTF8_BOM = "\ufeff"


def attachment_response(content, content_type, filename):
    """A download saved under ``filename`` (Chinese names survive: RFC 6266 encoding)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def plain_table_response(title, headings, rows, export_format):
    """A simple table as a CSV (with BOM) or XLSX download, formula cells escaped."""
    import csv

    if export_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headings)
        writer.writerows([[escape_formula(str(cell)) for cell in row] for row in rows])
        content, content_type = UTF8_BOM + buffer.getvalue(), CSV
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
