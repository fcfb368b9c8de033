"""An XLSX looked over before any library expands it.

An XLSX is a zip of XML parts. What a reader spends on it is set by those parts, not by the
size of the upload: 229 KB of zip can hold millions of shared strings, and a 289 KB sheet can
hold 160 rows of 16,384 cells each. ``inspect_xlsx`` reads only the parts a reader loads (the
workbook, the styles, the shared strings and the first worksheet), as a stream and without
keeping them, and stops at the first limit passed, so a hostile file costs at most one budget's
worth of parsing. It also refuses what would be read wrongly: a formula without a cached value
(a reader sees an empty cell), an error value (``#REF!``) and a reference to another workbook.

The caller sets the budget from what the file is for (a table of figures, a list of contracts).
"""

import re
import zipfile
import zlib
from dataclasses import dataclass
from posixpath import dirname, join, normpath

from django.utils.translation import gettext as _
from lxml import etree

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
VALUE = f"{MAIN}v"
FORMULA = f"{MAIN}f"
RELATIONSHIPS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
WORKBOOK_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
}
SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)
STYLES_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
EXTERNAL_LINK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"
WORKSHEET_RELATION = "/worksheet"
# A formula that names another workbook: [1]Sheet1!A1, '[1]Sheet 1'!A1, [Book.xlsx]Sheet1!A1.
EXTERNAL_REFERENCE = re.compile(r"\[[^\]]+\][^!\[\]]*!")
CELL_REFERENCE = re.compile(r"^([A-Z]{1,3})([0-9]+)$")
MB = 1024 * 1024


class UnreadableSpreadsheet(ValueError):
    """The file cannot be read safely or truthfully; the message says why and what to do."""


@dataclass(frozen=True)
class Budget:
    """What one upload may make a reader do. Rows and columns are those of the first sheet."""

    rows: int
    columns: int
    # Cells a row may list, empty ones included: a styled row can list more than it fills.
    cells_per_row: int = 1024
    shared_strings: int | None = None  # default: one per cell of the budget
    shared_strings_mb: int = 16
    sheet_mb: int = 64
    other_part_mb: int = 8
    inflated_mb: int = 100
    parts: int = 2000
    # Elements of the workbook and styles parts (sheets, number formats, cell formats...).
    elements: int = 200_000

    @property
    def cells(self):
        return self.rows * self.columns

    @property
    def strings(self):
        return self.shared_strings if self.shared_strings is not None else self.cells


@dataclass(frozen=True)
class FirstSheet:
    name: str
    part: str


def inspect_xlsx(archive, budget):
    """Refuse the XLSX in ``archive`` (a ``zipfile.ZipFile``) unless reading it stays in ``budget``.

    Returns the first worksheet (its name and part), the one a reader takes.
    """
    infos = archive.infolist()
    if len(infos) > budget.parts:
        raise UnreadableSpreadsheet(
            _(
                "XLSX 文件包含的部件过多，远超报表所需，拒绝处理。请把需要导入的表格复制到新建的工作簿（或模板）中，另存为 XLSX 后再上传。"
            )
        )
    sizes = {info.filename: info.file_size for info in infos}
    if sum(sizes.values()) > budget.inflated_mb * MB:
        raise UnreadableSpreadsheet(
            _(
                "XLSX 文件解压后过大，远超报表所需，拒绝处理。请把需要导入的表格复制到新建的工作簿（或模板）中，另存为 XLSX 后再上传。"
            )
        )
    if "[Content_Types].xml" not in sizes:
        raise UnreadableSpreadsheet(_("无法识别的文件格式：请上传 CSV、XLSX 或 XLS 文件。"))
    types = _content_types(archive, sizes, budget)
    workbook = next((part for part, kind in types.items() if kind in WORKBOOK_TYPES), None)
    if workbook is None or workbook not in sizes:
        raise UnreadableSpreadsheet(_("无法识别的文件格式：请上传 CSV、XLSX 或 XLS 文件。"))
    external = any(kind == EXTERNAL_LINK_TYPE for kind in types.values())
    for part, kind in types.items():
        if kind == SHARED_STRINGS_TYPE and part in sizes:
            _check_shared_strings(archive, part, sizes[part], budget)
        elif kind == STYLES_TYPE and part in sizes:
            _count_elements(archive, part, sizes[part], budget)
    sheet = _first_sheet(archive, workbook, sizes, budget)
    _check_sheet(archive, sheet, sizes[sheet.part], budget)
    if external:
        raise UnreadableSpreadsheet(
            _(
                "该工作簿链接了其他文件（外部链接），上传后无法取得链接的数值。"
                "请在 Excel 中“数据 → 编辑链接 → 断开链接”后再上传。"
            )
        )
    return sheet


# ── parts ────────────────────────────────────────────────────────────────────────────


def _elements(archive, part, size, limit_mb, tags=None, events=("end",)):
    """The part's elements (those named in ``tags``, or all) as they end, streamed and pruned.

    The declared size bounds the work: zipfile stops at it and then checks the CRC. Entities are
    never resolved and nothing is fetched; a part that declares a DTD at all is refused.
    """
    if size > limit_mb * MB:
        raise UnreadableSpreadsheet(
            _(
                "文件内容解压后超过 {limit} MB（{part}），远超报表所需，拒绝处理。"
                "请把需要导入的表格复制到新建的工作簿（或模板）中，另存为 XLSX 后再上传。"
            ).format(part=part, limit=limit_mb)
        )
    try:
        with archive.open(part) as stream:
            parsed = etree.iterparse(
                stream,
                events=events,
                tag=tags,
                resolve_entities=False,
                load_dtd=False,
                no_network=True,
                huge_tree=False,
            )
            checked = False
            for event, element in parsed:
                if not checked:
                    if element.getroottree().docinfo.internalDTD is not None:
                        raise UnreadableSpreadsheet(_("XLSX 文件含有不允许的 XML 声明，拒绝处理。"))
                    checked = True
                yield event, element
                if event == "end":  # what has been looked at goes: memory stays flat
                    element.clear(keep_tail=False)
                    while element.getprevious() is not None:
                        del element.getparent()[0]
    except (etree.XMLSyntaxError, zipfile.BadZipFile, zlib.error, EOFError, KeyError) as error:
        raise UnreadableSpreadsheet(_("文件已损坏，无法作为 XLSX 打开。")) from error


def _content_types(archive, sizes, budget):
    types = {}
    for _event, element in _elements(
        archive,
        "[Content_Types].xml",
        sizes["[Content_Types].xml"],
        budget.other_part_mb,
        tags=f"{CONTENT_TYPES}Override",
    ):
        types[element.get("PartName", "").lstrip("/")] = element.get("ContentType", "")
        if len(types) > budget.parts:
            raise UnreadableSpreadsheet(
                _(
                    "XLSX 文件包含的部件过多，远超报表所需，拒绝处理。请把需要导入的表格复制到新建的工作簿（或模板）中，另存为 XLSX 后再上传。"
                )
            )
    return types


def _count_elements(archive, part, size, budget):
    for count, _element in enumerate(_elements(archive, part, size, budget.other_part_mb), 1):
        if count > budget.elements:
            raise UnreadableSpreadsheet(
                _(
                    "文件内容过于复杂（{part}），远超报表所需，拒绝处理。"
                    "请把需要导入的表格复制到新建的工作簿（或模板）中，另存为 XLSX 后再上传。"
                ).format(part=part)
            )


def _check_shared_strings(archive, part, size, budget):
    count = 0
    for event, element in _elements(
        archive,
        part,
        size,
        budget.shared_strings_mb,
        tags=(f"{MAIN}sst", f"{MAIN}si"),
        events=("start", "end"),
    ):
        if event == "end" and element.tag == f"{MAIN}si":
            count += 1
            too_many = count > budget.strings
        elif event == "start" and element.tag == f"{MAIN}sst":
            declared = element.get("uniqueCount", "")  # believed when it says too many
            too_many = declared.isdigit() and int(declared) > budget.strings
        else:
            too_many = False
        if too_many:
            raise UnreadableSpreadsheet(
                _(
                    "XLSX 文件含有超过 {limit} 个不同的文字内容，远超报表所需，拒绝处理。"
                    "请把需要导入的表格复制到新建的工作簿（或模板）中，另存为 XLSX 后再上传。"
                ).format(limit=budget.strings)
            )


def _first_sheet(archive, workbook, sizes, budget):
    """The first worksheet in the workbook's order (chart sheets are not worksheets)."""
    sheets = []
    for count, (_event, element) in enumerate(
        _elements(archive, workbook, sizes[workbook], budget.other_part_mb), start=1
    ):
        if count > budget.elements:
            raise UnreadableSpreadsheet(
                _(
                    "XLSX 文件的工作簿过于复杂，拒绝处理。请把需要导入的表格复制到新建的工作簿（或模板）中，另存为 XLSX 后再上传。"
                )
            )
        if element.tag == f"{MAIN}sheet":
            sheets.append((element.get("name", ""), element.get(f"{RELATIONSHIPS}id")))
    folder = dirname(workbook)
    relations_part = join(folder, "_rels", workbook.rsplit("/", 1)[-1] + ".rels")
    targets = {}
    if relations_part in sizes:
        for _event, element in _elements(
            archive,
            relations_part,
            sizes[relations_part],
            budget.other_part_mb,
            tags=f"{PACKAGE_RELATIONSHIPS}Relationship",
        ):
            if element.get("Type", "").endswith(WORKSHEET_RELATION):
                target = element.get("Target", "")
                target = target.lstrip("/") if target.startswith("/") else join(folder, target)
                targets[element.get("Id")] = normpath(target)
    for name, relation in sheets:
        if relation in targets and targets[relation] in sizes:
            return FirstSheet(name=name, part=targets[relation])
    raise UnreadableSpreadsheet(_("XLSX 文件中没有工作表。"))


def _check_sheet(archive, sheet, size, budget):
    """Count rows and cells as they stream past; refuse what a reader would misread."""
    rows = cells = in_row = 0
    last = ""
    cell, row = f"{MAIN}c", f"{MAIN}row"
    for _event, element in _elements(
        archive, sheet.part, size, budget.sheet_mb, tags=(cell, row, f"{MAIN}dimension")
    ):
        tag = element.tag
        if tag == cell:
            cells += 1
            in_row += 1
            last = element.get("r") or last
            if in_row > budget.cells_per_row:
                _too_wide(sheet, budget, last, rows)
            if cells > budget.cells:
                raise UnreadableSpreadsheet(
                    _(
                        "工作表“{sheet}”的单元格超过 {limit} 个，远超报表所需，拒绝处理。"
                        "请把需要导入的表格复制到新建的工作簿（或模板）中，另存为 XLSX 后再上传。"
                    ).format(sheet=sheet.name, limit=budget.cells)
                )
            _check_cell(element, sheet)
        elif tag == row:
            rows += 1
            # A reader pads a row up to its last cell: a lone cell in column XFD costs 16,384.
            match = CELL_REFERENCE.match(last)
            if match and _column_number(match.group(1)) > budget.cells_per_row:
                _too_wide(sheet, budget, last, rows)
            in_row, last = 0, ""
            # A reader yields the empty rows before a numbered one: row 1,048,576 costs as much.
            number = element.get("r", "")
            if number.isdigit():
                rows = max(rows, int(number))
            if rows > budget.rows:
                raise UnreadableSpreadsheet(_("文件超过 {limit} 行。").format(limit=budget.rows))
        else:
            _check_dimension(element.get("ref", ""), sheet, budget)


def _too_wide(sheet, budget, reference, rows):
    match = CELL_REFERENCE.match(reference)
    raise UnreadableSpreadsheet(
        _(
            "工作表“{sheet}”第 {row} 行有超过 {limit} 个单元格，"
            "远超报表所需（最多 {columns} 列），拒绝处理。请删除多余的列，或把需要导入的表格复制到新建的工作簿（或模板）中，另存为 XLSX 后再上传。"
        ).format(
            sheet=sheet.name,
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
                "超过上限（{row_limit} 行 × {column_limit} 列），拒绝处理。请把需要导入的表格复制到新建的工作簿（或模板）中，另存为 XLSX 后再上传。"
            ).format(
                sheet=sheet.name,
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


def _check_cell(element, sheet):
    kind = element.get("t")
    if kind != "e" and (len(element) == 0 or (len(element) == 1 and element[0].tag == VALUE)):
        return  # nearly every cell: a value, or nothing
    formula = element.find(FORMULA)
    value = element.find(VALUE)

    def where():
        return _("工作表“{sheet}”单元格 {cell}").format(sheet=sheet.name, cell=element.get("r", ""))

    if kind == "e":
        raise UnreadableSpreadsheet(
            _("{where} 的值是错误 {error}，请修正该单元格后再上传。").format(
                where=where(), error=value.text if value is not None else "#N/A"
            )
        )
    if formula is None:
        return
    if formula.text and EXTERNAL_REFERENCE.search(formula.text):
        raise UnreadableSpreadsheet(
            _(
                "{where} 的公式引用了其他文件（={formula}），上传后无法取得其数值。"
                "请将公式转换为数值后再上传。"
            ).format(where=where(), formula=formula.text)
        )
    if value is None or not (value.text or "").strip():
        if kind == "str" and value is not None:
            return  # a formula whose result is an empty text: its value is known
        raise UnreadableSpreadsheet(
            _(
                "{where} 是公式，但文件中没有它的计算结果（用程序生成的文件常见）。"
                "请在 Excel 中打开并保存，或将公式转换为数值后再上传。"
            ).format(where=where())
        )
