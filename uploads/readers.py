"""Reading uploaded tables as they are: CSV (UTF-8, UTF-8 with BOM or GB18030/GBK, detected),
XLSX or legacy XLS, by content, never by name.

``read_rows`` turns the bytes into rows of text, refusing hostile files quickly: every import
of the portal (figures, contracts, measures) reads its files here, within the limits it asks for.
"""

import csv
import datetime
import io
import math
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from lib.rows import SheetRow, Table

MAX_COLUMNS = 50
# A table of figures has tens of rows and a few columns. The row limit is the highest row
# number (a bordered template may run further than its data); the cells are what costs.
MAX_ROWS = 5000
MAX_CELLS = 20_000
MAX_LINE = 20_000  # characters in one CSV line


class ImportFileError(ValueError):
    """The file as a whole cannot be read; nothing is saved."""


# ── reading ─────────────────────────────────────────────────────────────────────────


def row_number(row, fallback):
    """The row's number in the file (``fallback`` for rows made by hand, as tests make them)."""
    return getattr(row, "number", None) or fallback


# Visible sheets looked at for a table: a workbook of forms has a few, never dozens.
MAX_SHEETS = 10


def row_place(line, hidden=False, sheet=""):
    """How a message names a row: 第 7 行, 第 7 行（隐藏行）, 工作表“专利”第 7 行 (the sheet named
    when the workbook has several)."""
    if sheet:
        if hidden:
            return _("工作表“{sheet}”第 {row} 行（隐藏行）").format(sheet=sheet, row=line)
        return _("工作表“{sheet}”第 {row} 行").format(sheet=sheet, row=line)
    if hidden:
        return _("第 {row} 行（隐藏行）").format(row=line)
    return _("第 {row} 行").format(row=line)


def sheet_named(rows):
    """The name of the sheet ``rows`` were read from, when the workbook has several, else ""."""
    return getattr(rows, "sheet", "") if getattr(rows, "sheet_count", 1) > 1 else ""


def read_rows(content, filename="", max_rows=None, max_cells=None, table=None):
    """The file's rows as lists of strings (a ``Table`` of ``SheetRow``). Format by content,
    not by name.

    ``max_rows`` and ``max_cells`` bound the work a file can cause (by default those of a table
    of figures); an XLSX is checked against them before it is read. A workbook's visible sheets
    are read the active one first, then the others in order (hidden ones never): ``table``, a
    test of rows, picks the one sheet that holds the table (two refuse the file, naming both);
    without it, or if none does, the first is read.
    """
    max_rows = max_rows or MAX_ROWS
    max_cells = max_cells or MAX_CELLS
    limit = settings.IMPORT_MAX_BYTES
    if len(content) > limit:
        raise ImportFileError(
            _("文件太大（{size} MB），上限为 {limit} MB。").format(
                size=f"{len(content) / 1048576:.1f}", limit=f"{limit / 1048576:.0f}"
            )
        )
    if not content.strip():
        raise ImportFileError(_("文件是空的。"))
    if content.startswith(b"PK\x03\x04"):
        sheets, count = _read_xlsx(content, max_rows, max_cells)
    elif content.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        sheets, count = _read_xls(content, max_rows, max_cells)
    else:
        sheets, count = iter([("", _read_csv(content, max_rows))]), 1
    name, rows = _choose(sheets, table)
    if not rows:
        raise ImportFileError(_("文件中没有数据。"))
    return Table(rows, name, count)


def _cleaned(rows):
    # Blank rows are dropped; each row keeps its number in the file: nothing renumbers.
    rows = [SheetRow([_cell_text(value) for value in row], row.number, row.hidden) for row in rows]
    return [row for row in rows if any(row)]


# The sheet of examples in the portal's own templates, which says it is never imported.
EXAMPLE_SHEETS = {"示例", "Example"}


def _choose(sheets, table):
    """(name, rows) of the sheet that holds the table."""
    first = None
    holding = []
    for position, (name, rows) in enumerate(sheets):
        if name in EXAMPLE_SHEETS and first is not None:
            continue
        rows = _cleaned(rows)
        if first is None:
            first = (name, rows)
        if table is None:
            break
        if rows and table(rows):
            holding.append((name, rows))
        if position + 1 >= MAX_SHEETS:
            break
    if len(holding) > 1:
        raise ImportFileError(
            _(
                "工作表“{first}”和“{second}”都有表格，无法确定导入哪一个：请删除其中一个，或只保留需要导入的工作表后再上传。"
            ).format(first=holding[0][0], second=holding[1][0])
        )
    return holding[0] if holding else first


# A float this close (relative) to a value with two decimals is that value: Excel computes
# =1234.4+0.1 as 1234.5000000000002, and shows 1234.5.
FLOAT_NOISE = 1e-9


def _cell_text(value):
    """A cell's text as Excel shows it: numbers without float noise, dates as 2021-03-01."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, float) and math.isfinite(value):
        rounded = round(value, 2)
        if rounded != value and abs(rounded - value) <= FLOAT_NOISE * max(1.0, abs(value)):
            value = rounded
        value = Decimal(repr(value))
        if value == value.to_integral():
            value = value.quantize(Decimal(1))
    return str(value).strip()


def _utf16(content):
    """The encoding of a UTF-16 text (Excel's "Unicode 文本", WPS's too): by its byte-order
    mark, or by the zero bytes of ASCII characters (tabs, digits, line ends) on one side."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    head = content[:4096]
    if len(head) >= 4:
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if odd > len(head) // 8 and even == 0:
            return "utf-16-le"
        if even > len(head) // 8 and odd == 0:
            return "utf-16-be"
    return None


def _read_csv(content, max_rows):
    encoding = _utf16(content)
    if encoding is not None:
        try:
            text = content.decode(encoding).lstrip("\ufeff")
        except UnicodeDecodeError as error:
            raise ImportFileError(_("无法识别文件的字符编码。")) from error
        return _csv_rows(text, max_rows)
    if b"\x00" in content[:4096]:
        raise ImportFileError(_("无法识别的文件格式：请上传 CSV、XLSX 或 XLS 文件。"))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte sequence
        raise ImportFileError(_("无法识别文件的字符编码。"))
    return _csv_rows(text, max_rows)


def _csv_rows(text, max_rows):
    if any(ch in text[:4096] for ch in "\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f"):
        raise ImportFileError(_("无法识别的文件格式：请上传 CSV、XLSX 或 XLS 文件。"))
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        columns = max(line.count(","), line.count("\t")) + 1
        if columns > MAX_COLUMNS:
            raise ImportFileError(
                _("第 {row} 行有 {count} 列，统计表最多 {limit} 列。").format(
                    row=number, count=columns, limit=MAX_COLUMNS
                )
            )
        if len(line) > MAX_LINE:
            raise ImportFileError(
                _("第 {row} 行过长（{length} 个字符），不像统计表。").format(
                    row=number, length=len(line)
                )
            )
        if number > max_rows:
            raise ImportFileError(_("文件超过 {limit} 行。").format(limit=max_rows))
    dialect = csv.excel_tab if text.count("\t") > text.count(",") else csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    line = 1
    for row in reader:
        rows.append(SheetRow(row, line))  # a record's first line (a quoted cell may span lines)
        line = reader.line_num + 1
    return rows


def _read_xlsx(content, max_rows, max_cells):
    from lib.xlsx import Budget, read_xlsx_sheets, sheet_count

    budget = Budget(rows=max_rows, cells=max_cells, columns=MAX_COLUMNS)
    return _refusing(read_xlsx_sheets(content, budget)), sheet_count(content)


def _refusing(sheets):
    """The sheets, a refusal of the reader turned into the import's."""
    from lib.xlsx import UnreadableSpreadsheet

    try:
        yield from sheets
    except UnreadableSpreadsheet as error:
        raise ImportFileError(str(error)) from error


# BIFF8 records that hold cells: row (2 bytes) and column (2 bytes) first.
BIFF_CELLS = {0x0006, 0x00FD, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E, 0x00BD, 0x00BE}
BIFF_MULTIPLE = {0x00BD: 6, 0x00BE: 2}  # MULRK, MULBLANK: cells of this size after the head
BIFF_SST = 0x00FC


def _check_xls_budget(content, max_rows, max_cells):
    """Refuse a legacy XLS past the budgets from its records alone, before xlrd reads it: xlrd
    spends seconds on a large file and, for one cell far out, memory for the whole grid."""
    import struct

    import xlrd.compdoc

    try:
        stream = xlrd.compdoc.CompDoc(content, logfile=io.StringIO()).get_named_stream("Workbook")
    except Exception:
        return  # not a BIFF8 workbook xlrd would find: xlrd says what is wrong
    if not stream:
        return
    cells, position, end = 0, 0, len(stream)
    while position + 4 <= end:
        kind, length = struct.unpack_from("<HH", stream, position)
        position += 4
        if position + length > end:
            return  # a record cut short: xlrd says the file is damaged
        if kind in BIFF_CELLS and length >= 4:
            row = struct.unpack_from("<H", stream, position)[0]
            if row + 1 > max_rows:
                raise ImportFileError(_("文件超过 {limit} 行。").format(limit=max_rows))
            size = BIFF_MULTIPLE.get(kind)
            cells += max((length - 6) // size, 1) if size else 1
            if cells > max_cells:
                raise ImportFileError(
                    _(
                        "XLS 文件的单元格超过 {limit} 个，远超报表所需，拒绝处理。"
                        "请把需要导入的表格复制到新建的工作簿（或模板）中，另存为 XLSX 后再上传。"
                    ).format(limit=max_cells)
                )
        elif kind == BIFF_SST and length >= 8:
            unique = struct.unpack_from("<I", stream, position + 4)[0]
            if unique > max(max_cells // 2, 1000):
                raise ImportFileError(
                    _("XLS 文件含有超过 {limit} 个不同的文字内容，远超报表所需，拒绝处理。").format(
                        limit=max(max_cells // 2, 1000)
                    )
                )
        position += length


def _read_xls(content, max_rows, max_cells):
    import xlrd

    _check_xls_budget(content, max_rows, max_cells)
    try:
        # Rows as long as their own cells (not padded to the widest): memory follows the cells.
        # Formatting too: which rows are hidden (bounded by the records' scan above).
        book = xlrd.open_workbook(
            file_contents=content,
            on_demand=True,
            ragged_rows=True,
            formatting_info=True,
            logfile=io.StringIO(),  # its warnings about a damaged file are not the log's
        )
        sheets = [book.sheet_by_index(index) for index in range(book.nsheets)]
    except Exception as error:  # xlrd raises XLRDError and struct errors on a broken file
        raise ImportFileError(_("文件已损坏，无法作为 XLS 打开。")) from error
    visible = [sheet for sheet in sheets if sheet.visibility == 0]
    if not visible:
        raise ImportFileError(_("XLS 文件中没有可见的工作表。"))
    # The sheet shown when the file was saved first, then the others in the workbook's order.
    visible.sort(key=lambda sheet: not sheet.sheet_visible)
    return (_xls_sheet(book, sheet, max_rows) for sheet in visible), len(visible)


def _xls_sheet(book, sheet, max_rows):
    import xlrd

    from lib.xlsx import cell_error

    if sheet.nrows > max_rows:
        raise ImportFileError(_("文件超过 {limit} 行。").format(limit=max_rows))
    rows = []
    for number in range(sheet.nrows):
        types = sheet.row_types(number, 0, MAX_COLUMNS)
        if xlrd.XL_CELL_ERROR in types:
            column = list(types).index(xlrd.XL_CELL_ERROR)
            error = xlrd.error_text_from_code.get(sheet.cell_value(number, column), "#N/A")
            raise ImportFileError(str(cell_error(sheet.name, xlrd.cellname(number, column), error)))
        values = sheet.row_values(number, 0, MAX_COLUMNS)
        for column, kind in enumerate(types):
            if kind == xlrd.XL_CELL_DATE:  # a number styled as a date: the date Excel shows
                try:
                    values[column] = xlrd.xldate.xldate_as_datetime(values[column], book.datemode)
                except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                    pass  # left as the number: the column's parser says it is no date
        info = sheet.rowinfo_map.get(number)
        rows.append(SheetRow(values, number + 1, hidden=bool(info is not None and info.hidden)))
    return sheet.name, rows
