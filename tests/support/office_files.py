"""Tables made the ways offices make them (#22): Excel-style workbooks written with openpyxl
(blank rows, hidden rows, cells styled with zh-CN's built-in date formats, formulas cached
as Excel caches them), CSV from several programs, legacy XLS. Each generator returns bytes."""

import io

from openpyxl import Workbook


def workbook(rows, hidden=(), number_formats=None, formulas=None):
    """An XLSX whose first sheet holds ``rows`` from row 1 (None: a blank row Excel leaves
    out of the file); ``hidden``: row numbers hidden; ``number_formats``: {cell: numFmtId}
    (a built-in format, as Chinese Excel stores 2021年3月1日: no <numFmt> entry)."""
    book = Workbook()
    sheet = book.active
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row or (), start=1):
            if value is not None:
                sheet.cell(number, column, value)
    for number in hidden:
        sheet.row_dimensions[number].hidden = True
    buffer = io.BytesIO()
    book.save(buffer)
    content = buffer.getvalue()
    if number_formats or formulas:
        content = _patch_cells(content, number_formats or {}, formulas or {})
    return content


def _patch_cells(content, number_formats, formulas):
    """Style cells with built-in number formats by id, and turn cells into formulas with a
    cached value, by rewriting the parts (openpyxl writes neither as Excel does)."""
    import re
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(content))
    parts = {name: source.read(name) for name in source.namelist()}
    styles = parts["xl/styles.xml"].decode()
    ids = sorted(set(number_formats.values()))
    match = re.search(r'<cellXfs count="(\d+)">(.*?)</cellXfs>', styles, re.S)
    base = int(match.group(1))
    extra = "".join(
        f'<xf numFmtId="{i}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        for i in ids
    )
    styles = styles.replace(
        match.group(0), f'<cellXfs count="{base + len(ids)}">{match.group(2)}{extra}</cellXfs>'
    )
    parts["xl/styles.xml"] = styles.encode()
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    for reference, number_format in number_formats.items():
        style = base + ids.index(number_format)
        sheet = re.sub(rf'<c r="{reference}"( s="\d+")?', f'<c r="{reference}" s="{style}"', sheet)
    for reference, (formula, cached) in formulas.items():
        sheet = re.sub(
            rf'<c r="{reference}"([^>]*)><v>[^<]*</v></c>',
            rf'<c r="{reference}"\1><f>{formula}</f><v>{cached}</v></c>',
            sheet,
        )
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return buffer.getvalue()


def workbook_of_sheets(sheets, active=0, hidden=()):
    """An XLSX of several sheets: ``sheets`` is [(name, rows)], ``active`` the index of the
    sheet shown when saved, ``hidden`` the names of hidden sheets."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets:
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        if name in hidden:
            sheet.sheet_state = "hidden"
    book.active = active
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def legacy_xls(cells):
    """An Excel 97 workbook (xlwt) holding ``cells``: {(row, column): value}, 0-based."""
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Sheet1")
    for (row, column), value in cells.items():
        sheet.write(row, column, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def legacy_workbook_of_sheets(sheets):
    """An XLS of several sheets, the first shown."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    for name, rows in sheets:
        sheet = book.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                sheet.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


TRANSITIONAL = {
    b"http://schemas.openxmlformats.org/spreadsheetml/2006/main":
        b"http://purl.oclc.org/ooxml/spreadsheetml/main",
    b"http://schemas.openxmlformats.org/officeDocument/2006/relationships":
        b"http://purl.oclc.org/ooxml/officeDocument/relationships",
}  # fmt: skip


def strict(content):
    """The workbook as Excel's "Strict Open XML 电子表格" saves it: the same parts, with the
    Strict namespaces (and relationship types) in every part."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            if name != "[Content_Types].xml":
                for old, new in TRANSITIONAL.items():
                    data = data.replace(old, new)
            target.writestr(name, data)
    return buffer.getvalue()


def unicode_text(rows, bom=True):
    """Excel's "Unicode 文本": UTF-16 (little-endian), tab-separated, CRLF."""
    text = "\r\n".join("\t".join(str(cell) for cell in row) for row in rows) + "\r\n"
    return (b"\xff\xfe" if bom else b"") + text.encode("utf-16-le")
