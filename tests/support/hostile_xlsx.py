"""XLSX files written part by part, as a hostile or careless program would write them.

openpyxl refuses to write most of these (no cached values, lying dimensions), so the parts are
written by hand: a workbook, its relationships and one sheet, plus whatever a test adds.
"""

import io
import zipfile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
LINK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"


def column_letters(number):
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def cell(reference, value):
    """A cell as XML: numbers as they are, text inline, or a raw ``<c>`` string as it is."""
    if isinstance(value, str) and value.startswith("<c"):
        return value
    if isinstance(value, (int, float)) or (isinstance(value, str) and _is_number(value)):
        return f'<c r="{reference}"><v>{value}</v></c>'
    return f'<c r="{reference}" t="inlineStr"><is><t>{value}</t></is></c>'


def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


def sheet_xml(rows, dimension=None):
    body = []
    for number, row in enumerate(rows, start=1):
        cells = "".join(
            cell(f"{column_letters(index)}{number}", value)
            for index, value in enumerate(row, start=1)
            if value is not None
        )
        body.append(f'<row r="{number}">{cells}</row>')
    dimension_xml = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{dimension_xml}'
        f"<sheetData>{''.join(body)}</sheetData></worksheet>"
    )


def build(sheet, shared_strings=None, sheet_name="表1", extra_parts=None, extra_types=()):
    """The bytes of an XLSX whose first sheet is ``sheet`` (XML text or bytes)."""
    overrides = [
        ("/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
        ("/xl/worksheets/sheet1.xml", SHEET_TYPE),
        *extra_types,
    ]  # fmt: skip
    if shared_strings is not None:
        overrides.append(("/xl/sharedStrings.xml", STRINGS_TYPE))
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides)
        + "</Types>"
    )
    relations = [(f"{RELATIONSHIPS}/worksheet", "worksheets/sheet1.xml")]
    if shared_strings is not None:
        relations.append((f"{RELATIONSHIPS}/sharedStrings", "sharedStrings.xml"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}">'
            f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" '
            f'xmlns:r="{RELATIONSHIPS}"><sheets><sheet name="{sheet_name}" sheetId="1" '
            'r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}">'
            + "".join(
                f'<Relationship Id="rId{n}" Type="{kind}" Target="{target}"/>'
                for n, (kind, target) in enumerate(relations, start=1)
            )
            + "</Relationships>",
        )
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        if shared_strings is not None:
            archive.writestr("xl/sharedStrings.xml", shared_strings)
        for name, data in (extra_parts or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def many_shared_strings(count=5_500_000, declare=True):
    """The 229 KB file of the finding: 5.5 million shared strings, 93.5 MB once inflated."""
    declared = f' count="{count}" uniqueCount="{count}"' if declare else ""
    strings = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}"{declared}>'.encode()
        + b"<si><t>1</t></si>" * count
        + b"</sst>"
    )
    return build(sheet_xml([["地市"]]), shared_strings=strings)


def very_wide_rows(rows=160, columns=16_384):
    """The 289 KB file of the finding: 160 rows of 16,384 cells each."""
    # Cells without a reference, as the specification allows: the reader counts them.
    row_cells = "<c><v>1</v></c>" * columns
    body = "".join(f'<row r="{r}">{row_cells}</row>' for r in range(1, rows + 1))
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'
        f"<sheetData>{body}</sheetData></worksheet>"
    )
    return build(sheet.encode())


def package(parts):
    """The bytes of a zip of exactly these parts, in this order (names as given)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def parts_of(content):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def workbook_xml(*sheets, date1904=False):
    """``sheets``: (name, relationship id) pairs, in the workbook's order."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
        + ('<workbookPr date1904="1"/>' if date1904 else "")
        + "<sheets>"
        + "".join(
            f'<sheet name="{name}" sheetId="{n}" r:id="{rid}"/>'
            for n, (name, rid) in enumerate(sheets, start=1)
        )
        + "</sheets></workbook>"
    )


def relations_xml(*relations):
    """``relations``: (id, type's last word, target) triples."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}">'
        + "".join(
            f'<Relationship Id="{rid}" Type="{RELATIONSHIPS}/{kind}" Target="{target}"/>'
            for rid, kind, target in relations
        )
        + "</Relationships>"
    )


def encrypted(content, member):
    """The zip with ``member`` flagged as encrypted, as a password-protected entry is."""
    data = bytearray(content)
    name = member.encode()
    for signature, flag_offset, name_offset in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            if data[start + name_offset : start + name_offset + len(name)] == name:
                data[start + flag_offset] |= 1
            start += 4
    return bytes(data)
