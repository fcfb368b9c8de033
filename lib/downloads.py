"""Files the portal hands out: the download response and the simple tables every app exports."""

import io
from decimal import Decimal

from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from .numbers import escape_formula

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Without a BOM, Chinese Excel opens UTF-8 as mojibake.
UTF8_BOM = "\ufeff"
# What ``?_export=`` may ask for, on every page that exports.
EXPORT_FORMATS = ("csv", "xlsx")


def attachment_response(content, content_type, filename):
    """A download saved under ``filename`` (Chinese names survive: RFC 6266 encoding)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def unknown_export_format():
    """The answer to an export in a format the portal does not write: a 400, never a guess."""
    return HttpResponseBadRequest(
        _("未知的导出格式：只能导出 csv 或 xlsx。"), content_type="text/plain; charset=utf-8"
    )


def spreadsheet_cell(value):
    """A cell as a spreadsheet gets it: numbers stay numbers, nothing stays empty, text is
    escaped where it starts like a formula."""
    if value is None or isinstance(value, int | float | Decimal):
        return value
    return escape_formula(str(value))


def escape_dataset(dataset):
    """Escape, in place, every cell of a tablib dataset that starts like a formula."""
    for index, row in enumerate(dataset):
        dataset[index] = tuple(escape_formula(value) for value in row)


def plain_table_response(title, headings, rows, export_format, notes=()):
    """A simple table as a CSV (with BOM) or XLSX download, formula cells escaped.

    ``notes`` (such as 报送中 · 截至 … 已审核 5 / 28 个单位) follow the rows, one per line.

    Any other ``export_format`` is a 400: an unknown format is refused, not defaulted.
    """
    if export_format not in EXPORT_FORMATS:
        return unknown_export_format()
    headings = [spreadsheet_cell(heading) for heading in headings]
    rows = [[spreadsheet_cell(cell) for cell in row] for row in rows]
    rows += [[spreadsheet_cell(str(note))] for note in notes]
    if export_format == "csv":
        import csv

        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headings)
        writer.writerows(rows)
        content, content_type = UTF8_BOM + buffer.getvalue(), CSV
    else:
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.append(headings)
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        content, content_type = buffer.getvalue(), XLSX
    return attachment_response(content, content_type, f"{title}.{export_format}")
