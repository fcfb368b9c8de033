"""An uploaded XLSX, checked part by part and repacked before a reader expands it.

An XLSX is a zip of XML parts. What a reader spends on it is set by those parts, not by the
size of the upload: 229 KB of zip can hold millions of shared strings, and a 289 KB sheet can
hold 160 rows of 16,384 cells each. ``checked_xlsx`` finds the parts a table is read from (the
workbook, its first worksheet, the shared strings and the styles) the way the format defines
them, streams each within a budget, stops at the first limit passed, and returns a new, minimal
XLSX made of those parts alone. The reader (openpyxl) gets only that: it cannot be sent to a
part that was not checked, however the original names or lists its parts.

It also refuses what would be read wrongly: a formula without a cached value (a reader sees an
empty cell), an error value (``#REF!``) and a reference to another workbook. The caller sets the
budget from what the file is for (a table of figures, a list of contracts).
"""

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from posixpath import dirname, join, normpath
from xml.sax.saxutils import quoteattr

from django.utils.translation import gettext as _
from lxml import etree

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
VALUE = f"{MAIN}v"
FORMULA = f"{MAIN}f"
CELL = f"{MAIN}c"
ROW = f"{MAIN}row"
SHEET_TAGS = (CELL, ROW, f"{MAIN}dimension")
RELATIONSHIPS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
EXTERNAL_LINK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"
# A formula naming another workbook, as the file stores it: [1]Sheet1!A1, '[1]Sheet 1'!A1,
# [1]!Name. A table's structured reference (表1[金额], 表1[[#This Row],[2020]]) is no link.
EXTERNAL_REFERENCE = re.compile(r"(?:^|[^\w\].\[\"])'?\[\d+\][^\[\]!]*!")
CELL_REFERENCE = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$")
MB = 1024 * 1024


class UnreadableSpreadsheet(ValueError):
    """The file cannot be read safely or truthfully; the message says why and what to do."""


@dataclass(frozen=True)
class Budget:
    """What one upload may make a reader do, for the first worksheet."""

    rows: int  # the highest row number (empty rows cost little, but a reader yields each)
    cells: int  # cells listed in the sheet, empty styled ones included
    columns: int  # the columns a table has; a row may list more cells (styled empty ones)
    cells_per_row: int = 1024
    inflated_mb: int = 100
    parts: int = 2000
    other_part_mb: int = 8
    # Elements of the workbook and styles parts (sheets, number formats, cell formats...).
    elements: int = 200_000

    @property
    def strings(self):
        return max(self.cells // 2, 1000)

    @property
    def shared_strings_mb(self):
        return max(self.strings * 128 // MB, 4)

    @property
    def sheet_mb(self):
        return max(self.cells * 128 // MB, 4)


def _broken():
    return UnreadableSpreadsheet(_("文件已损坏，无法作为 XLSX 打开。"))


def checked_xlsx(content, budget):
    """The XLSX ``content`` reduced to its first worksheet, after checking it against ``budget``.

    Returns the bytes of a new XLSX (workbook, that sheet, its shared strings and styles) and
    the sheet's name. Raises ``UnreadableSpreadsheet`` with a message for the user.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zlib.error, ValueError, EOFError) as error:
        raise _broken() from error
    if len(infos) > budget.parts:
        raise UnreadableSpreadsheet(
            _(
                "XLSX 文件包含的部件过多，远超报表所需，拒绝处理。"
                "请把需要导入的表格复制到新建的工作簿（或模板）中，另存为 XLSX 后再上传。"
            )
        )
    sizes = {}
    for info in infos:
        if info.filename in sizes:  # two parts of one name: which one is meant is unknowable
            raise _broken()
        sizes[info.filename] = info.file_size
    if sum(sizes.values()) > budget.inflated_mb * MB:
        raise UnreadableSpreadsheet(
            _(
                "XLSX 文件解压后过大，远超报表所需，拒绝处理。"
                "请把需要导入的表格复制到新建的工作簿（或模板）中，另存为 XLSX 后再上传。"
            )
        )
    package = _Package(archive, sizes, budget)
    try:
        return package.repacked()
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError) as error:
        # A damaged, encrypted or oddly compressed part.
        raise _broken() from error


class _Package:
    def __init__(self, archive, sizes, budget):
        self.archive = archive
        self.sizes = sizes
        self.budget = budget

    def read(self, part, limit_mb):
        """A part's bytes, refused beyond ``limit_mb`` (zipfile stops at the declared size)."""
        if self.sizes[part] > limit_mb * MB:
            raise _too_big(part, limit_mb)
        return self.archive.read(part)

    def stream(self, part, limit_mb):
        """A part to stream through, refused once more than ``limit_mb`` has come out of it.

        Counting what comes out rather than believing the declared size lets the count of
        cells speak first: "row 1 has 16,384 cells" says more than "the sheet is too big".
        """
        return _Limited(self.archive.open(part), limit_mb * MB, part)

    def relations(self, source):
        """{id: (type, part)} of ``source``'s relationships (the package's for "")."""
        folder = dirname(source)
        rels = join(folder, "_rels", source.rsplit("/", 1)[-1] + ".rels")
        found = {}
        if rels not in self.sizes:
            return found
        tag = f"{PACKAGE_RELATIONSHIPS}Relationship"
        data = self.read(rels, self.budget.other_part_mb)
        for count, (_event, element) in enumerate(_elements(data, tags=tag), start=1):
            if count > self.budget.parts:
                raise _broken()
            relation = element.get("Id")
            if relation in found:  # one id, two meanings: refuse rather than guess
                raise _broken()
            target = element.get("Target", "")
            if element.get("TargetMode") == "External":
                part = None
            elif target.startswith("/"):
                part = normpath(target[1:])
            else:
                part = normpath(join(folder, target))
            found[relation] = (element.get("Type", "").rsplit("/", 1)[-1], part)
        return found

    def only(self, relations, kind):
        parts = [part for relation, part in relations.values() if relation == kind]
        if len(parts) > 1:
            raise _broken()
        if parts and parts[0] not in self.sizes:
            raise _broken()
        return parts[0] if parts else None

    def repacked(self):
        if "[Content_Types].xml" not in self.sizes:
            raise UnreadableSpreadsheet(_("无法识别的文件格式：请上传 CSV、XLSX 或 XLS 文件。"))
        self.check_content_types()
        workbook = self.only(self.relations(""), "officeDocument")
        if workbook is None:
            raise UnreadableSpreadsheet(_("无法识别的文件格式：请上传 CSV、XLSX 或 XLS 文件。"))
        relations = self.relations(workbook)
        if any(kind == "externalLink" for kind, _part in relations.values()):
            raise _external_links()
        name, sheet, date1904 = self.first_worksheet(workbook, relations)
        parts = {"xl/worksheets/sheet1.xml": self.checked_sheet(name, sheet)}
        strings = self.only(relations, "sharedStrings")
        if strings is not None:
            parts["xl/sharedStrings.xml"] = self.checked_strings(strings)
        styles = self.only(relations, "styles")
        if styles is not None:
            parts["xl/styles.xml"] = self.checked_styles(styles)
        return _minimal_xlsx(name, date1904, parts), name

    def check_content_types(self):
        data = self.read("[Content_Types].xml", self.budget.other_part_mb)
        tag = f"{CONTENT_TYPES}Override"
        for count, (_event, element) in enumerate(_elements(data, tags=tag), start=1):
            if count > self.budget.parts:
                raise _broken()
            if element.get("ContentType") == EXTERNAL_LINK_TYPE:
                raise _external_links()

    def first_worksheet(self, workbook, relations):
        """The first sheet, in the workbook's order, that is a worksheet (not a chart sheet)."""
        data = self.read(workbook, self.budget.other_part_mb)
        sheets, date1904 = [], False
        for count, (_event, element) in enumerate(_elements(data), start=1):
            if count > self.budget.elements:
                raise UnreadableSpreadsheet(
                    _(
                        "XLSX 文件的工作簿过于复杂，拒绝处理。"
                        "请把需要导入的表格复制到新建的工作簿（或模板）中，另存为 XLSX 后再上传。"
                    )
                )
            if element.tag == f"{MAIN}sheet":
                sheets.append((element.get("name", ""), element.get(f"{RELATIONSHIPS}id")))
            elif element.tag == f"{MAIN}workbookPr":
                date1904 = element.get("date1904", "").lower() in {"1", "true"}
        for name, relation in sheets:
            kind, part = relations.get(relation, (None, None))
            if kind == "worksheet":
                if part not in self.sizes:
                    raise _broken()
                return name, part, date1904
        raise UnreadableSpreadsheet(_("XLSX 文件中没有工作表。"))

    def checked_strings(self, part):
        data = self.read(part, self.budget.shared_strings_mb)
        count = 0
        tags = (f"{MAIN}sst", f"{MAIN}si")
        for event, element in _elements(data, tags=tags, events=("start", "end")):
            if event == "end" and element.tag == f"{MAIN}si":
                count += 1
                too_many = count > self.budget.strings
            elif event == "start" and element.tag == f"{MAIN}sst":
                declared = element.get("uniqueCount", "")  # believed when it says too many
                too_many = declared.isdigit() and int(declared) > self.budget.strings
            else:
                too_many = False
            if too_many:
                raise UnreadableSpreadsheet(
                    _(
                        "XLSX 文件含有超过 {limit} 个不同的文字内容，远超报表所需，拒绝处理。"
                        "请把需要导入的表格复制到新建的工作簿（或模板）中，另存为 XLSX 后再上传。"
                    ).format(limit=self.budget.strings)
                )
        return data

    def checked_styles(self, part):
        data = self.read(part, self.budget.other_part_mb)
        for count, _element in enumerate(_elements(data), start=1):
            if count > self.budget.elements:
                raise UnreadableSpreadsheet(
                    _(
                        "文件内容过于复杂（{part}），远超报表所需，拒绝处理。"
                        "请把需要导入的表格复制到新建的工作簿（或模板）中，另存为 XLSX 后再上传。"
                    ).format(part=part)
                )
        return data

    def checked_sheet(self, name, part):
        """Count rows and cells as they stream past; refuse what a reader would misread."""
        with self.stream(part, self.budget.sheet_mb) as stream:
            _check_rows(_elements(stream, tags=SHEET_TAGS), name, self.budget)
        return self.read(part, self.budget.sheet_mb)


class _Limited:
    """A part's stream that refuses to give out more than ``limit`` bytes."""

    def __init__(self, stream, limit, part):
        self.stream, self.limit, self.part, self.given = stream, limit, part, 0

    def read(self, size=-1):
        data = self.stream.read(size)
        self.given += len(data)
        if self.given > self.limit:
            raise _too_big(self.part, self.limit // MB)
        return data

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stream.close()


def _check_rows(elements, name, budget):
    rows = cells = in_row = 0
    for _event, element in elements:
        tag = element.tag
        if tag == CELL:
            cells += 1
            in_row += 1
            reference = element.get("r")
            if reference is not None:
                # A reader pads a row up to its last cell (a lone cell in column XFD costs
                # 16,384), and believes the cell's row number.
                match = CELL_REFERENCE.match(reference)
                if not match:
                    raise _broken()
                if _column_number(match.group(1)) > budget.cells_per_row:
                    in_row = budget.cells_per_row + 1
                if int(match.group(2)) > budget.rows:
                    raise _too_long(budget)
            if in_row > budget.cells_per_row:
                _too_wide(name, budget, reference, rows)
            if cells > budget.cells:
                raise UnreadableSpreadsheet(
                    _(
                        "工作表“{sheet}”的单元格超过 {limit} 个，远超报表所需，拒绝处理。"
                        "请把需要导入的表格复制到新建的工作簿（或模板）中，另存为 XLSX 后再上传。"
                    ).format(sheet=name, limit=budget.cells)
                )
            _check_cell(element, name)
        elif tag == ROW:
            rows += 1
            in_row = 0
            # A reader yields the empty rows before a numbered one: row 1,048,576 costs as
            # much as a full sheet.
            number = element.get("r")
            if number is not None:
                if not number.isdigit() or len(number) > 7:
                    raise _broken()
                rows = max(rows, int(number))
            if rows > budget.rows:
                raise _too_long(budget)
        else:
            _check_dimension(element.get("ref", ""), name, budget)


def _too_big(part, limit_mb):
    return UnreadableSpreadsheet(
        _(
            "文件内容解压后超过 {limit} MB（{part}），远超报表所需，拒绝处理。"
            "请把需要导入的表格复制到新建的工作簿（或模板）中，另存为 XLSX 后再上传。"
        ).format(limit=limit_mb, part=part)
    )


def _elements(source, tags=None, events=("end",)):
    """The elements (those named in ``tags``, or all) of an XML part as they end, pruned.

    Entities are never resolved and nothing is fetched; a part that declares a DTD at all is
    refused. Memory stays flat: what has been looked at is dropped.
    """
    parsed = etree.iterparse(
        io.BytesIO(source) if isinstance(source, bytes) else source,
        events=events,
        tag=tags,
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
    )
    checked = False
    try:
        for event, element in parsed:
            if not checked:
                _refuse_dtd(element)
                checked = True
            yield event, element
            if event == "end":
                element.clear(keep_tail=False)
                while element.getprevious() is not None:
                    del element.getparent()[0]
    except etree.XMLSyntaxError as error:
        raise _broken() from error
    if not checked and parsed.root is not None:  # nothing matched: look all the same
        _refuse_dtd(parsed.root)


def _refuse_dtd(element):
    if element.getroottree().docinfo.internalDTD is not None:
        raise UnreadableSpreadsheet(_("XLSX 文件含有不允许的 XML 声明，拒绝处理。"))


def _minimal_xlsx(name, date1904, parts):
    """A workbook of one sheet, made of checked parts only (stored: they are in memory anyway)."""
    spreadsheet = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    types = {
        "xl/workbook.xml": f"{spreadsheet}.sheet.main+xml",
        "xl/worksheets/sheet1.xml": f"{spreadsheet}.worksheet+xml",
        "xl/sharedStrings.xml": f"{spreadsheet}.sharedStrings+xml",
        "xl/styles.xml": f"{spreadsheet}.styles+xml",
    }
    relation = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    workbook_relations = [("worksheet", "worksheets/sheet1.xml")] + [
        (kind, part.removeprefix("xl/"))
        for kind, part in (("sharedStrings", "xl/sharedStrings.xml"), ("styles", "xl/styles.xml"))
        if part in parts
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as package:
        package.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + "".join(
                f'<Override PartName="/{part}" ContentType="{kind}"/>'
                for part, kind in types.items()
                if part in parts or part == "xl/workbook.xml"
            )
            + "</Types>",
        )
        package.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS[1:-1]}">'
            f'<Relationship Id="rId1" Type="{relation}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        package.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<workbook xmlns="{MAIN[1:-1]}" xmlns:r="{relation}">'
            + ('<workbookPr date1904="1"/>' if date1904 else "")
            + f'<sheets><sheet name={quoteattr(name)} sheetId="1" r:id="rId1"/></sheets>'
            "</workbook>",
        )
        package.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS[1:-1]}">'
            + "".join(
                f'<Relationship Id="rId{n}" Type="{relation}/{kind}" Target="{target}"/>'
                for n, (kind, target) in enumerate(workbook_relations, start=1)
            )
            + "</Relationships>",
        )
        for part, data in parts.items():
            package.writestr(part, data)
    return buffer.getvalue()


def _external_links():
    return UnreadableSpreadsheet(
        _(
            "该工作簿链接了其他文件（外部链接），上传后无法取得链接的数值。"
            "请在 Excel 中“数据 → 编辑链接 → 断开链接”后再上传。"
        )
    )


def _too_long(budget):
    return UnreadableSpreadsheet(_("文件超过 {limit} 行。").format(limit=budget.rows))


def _too_wide(sheet, budget, reference, rows):
    match = CELL_REFERENCE.match(reference or "")
    raise UnreadableSpreadsheet(
        _(
            "工作表“{sheet}”第 {row} 行有超过 {limit} 个单元格，"
            "远超报表所需（最多 {columns} 列），拒绝处理。"
            "请删除多余的列，或把需要导入的表格复制到新建的工作簿（或模板）中，另存为 XLSX 后再上传。"
        ).format(
            sheet=sheet,
            row=match.group(2) if match else rows + 1,
            limit=budget.cells_per_row,
            columns=budget.columns,
        )
    )


def _check_dimension(ref, sheet, budget):
    last = ref.split(":")[-1].upper().replace("$", "")
    match = CELL_REFERENCE.match(last)
    if not match:
        return
    columns = _column_number(match.group(1))
    rows = int(match.group(2))
    if columns > budget.cells_per_row or rows > budget.rows:
        raise UnreadableSpreadsheet(
            _(
                "工作表“{sheet}”的范围是 {ref}（{rows} 行 × {columns} 列），"
                "超过上限（{row_limit} 行 × {column_limit} 列），拒绝处理。"
                "请把需要导入的表格复制到新建的工作簿（或模板）中，另存为 XLSX 后再上传。"
            ).format(
                sheet=sheet,
                ref=ref,
                rows=rows,
                columns=columns,
                row_limit=budget.rows,
                column_limit=budget.columns,
            )
        )


def _column_number(letters):
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def cell_place(sheet, cell):
    """Where a cell is, as the refusals name it."""
    return _("工作表“{sheet}”单元格 {cell}").format(sheet=sheet, cell=cell)


def cell_error(sheet, cell, error):
    return UnreadableSpreadsheet(
        _("{where} 的值是错误 {error}，请修正该单元格后再上传。").format(
            where=cell_place(sheet, cell), error=error
        )
    )


def _check_cell(element, sheet):
    kind = element.get("t")
    if kind != "e" and (len(element) == 0 or (len(element) == 1 and element[0].tag == VALUE)):
        return  # nearly every cell: a value, or nothing
    formula = element.find(FORMULA)
    value = element.find(VALUE)
    reference = element.get("r", "")
    if kind == "e":
        raise cell_error(sheet, reference, value.text if value is not None else "#N/A")
    if formula is None:
        return
    if formula.text and EXTERNAL_REFERENCE.search(formula.text):
        raise UnreadableSpreadsheet(
            _(
                "{where} 的公式引用了其他文件（={formula}），上传后无法取得其数值。"
                "请将公式转换为数值后再上传。"
            ).format(where=cell_place(sheet, reference), formula=formula.text)
        )
    if value is None or not (value.text or "").strip():
        if kind == "str" and value is not None:
            return  # a formula whose result is an empty text: its value is known
        raise UnreadableSpreadsheet(
            _(
                "{where} 是公式，但文件中没有它的计算结果（用程序生成的文件常见）。"
                "请在 Excel 中打开并保存，或将公式转换为数值后再上传。"
            ).format(where=cell_place(sheet, reference))
        )
