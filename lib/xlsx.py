"""An uploaded XLSX, read within a budget by a reader that looks at every element itself.

An XLSX is a zip of XML parts. What a reader spends on it is set by those parts, not by the
size of the upload: 229 KB of zip can hold millions of shared strings, a 289 KB sheet 160 rows
of 16,384 cells each, 2 KB of styles a number format that sends a regular expression into hours.
A general reader (openpyxl) parses whatever a part holds, rows of non-cells, validations, rich
text of a million runs, before the caller sees a value. So the table is read here, in one pass
over the parts it needs (the workbook, its first worksheet, the shared strings, the number
formats of the styles), found the way the format defines them. Every element is counted against
a budget and dropped once seen; the pass stops at the first limit passed, with a message that
says what to do. Values are made as openpyxl makes them (its date helpers are used on number
formats no longer than Excel allows).

It also refuses what would be read wrongly: a formula without a cached value (a reader sees an
empty cell), an error value (``#REF!``) and a reference to another workbook. The caller sets the
budget from what the file is for (a table of figures, a list of contracts).
"""

import io
import math
import re
import zipfile
from dataclasses import dataclass
from posixpath import dirname, join, normpath

from django.utils.translation import gettext as _
from lxml import etree
from openpyxl.utils.cell import column_index_from_string

from lib.rows import SheetRow

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
CELL, ROW, VALUE, FORMULA = f"{MAIN}c", f"{MAIN}row", f"{MAIN}v", f"{MAIN}f"
TEXT, RUN, PHONETIC, INLINE = f"{MAIN}t", f"{MAIN}r", f"{MAIN}rPh", f"{MAIN}is"
RELATIONSHIPS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
# Excel's "Strict Open XML" saves: the same parts under ISO/IEC 29500 Strict's namespaces.
STRICT_MAIN = "{http://purl.oclc.org/ooxml/spreadsheetml/main}"
STRICT_RELATIONSHIPS = "{http://purl.oclc.org/ooxml/officeDocument/relationships}"
PACKAGE_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
EXTERNAL_LINK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"
# A formula naming another workbook, as the file stores it: [1]Sheet1!A1, '[1]Sheet 1'!A1,
# [1]!Name. A table's structured reference (表1[金额], 表1[[#This Row],[2020]]) is no link.
EXTERNAL_REFERENCE = re.compile(r"(?:^|[^\w\].\[\"])'?\[\d+\][^\[\]!]*!")
CELL_REFERENCE = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$")
MB = 1024 * 1024
# Excel's own limits: characters in a cell, in a number format, and cell formats in a workbook.
CELL_CHARACTERS = 32_767
FORMAT_CHARACTERS = 255
CELL_FORMATS = 65_000
SMALL_PART_MB = 1  # content types and relationships
# Built-in number formats whose codes ECMA-376 leaves to the locale (27–36, 50–58): in zh-CN,
# dates and times such as yyyy"年"m"月"d"日" and m"月"d"日", written as an id alone, with no
# <numFmt> entry. (openpyxl knows the others, 14–22 and 45–47.)
EAST_ASIAN_DATE_FORMATS = frozenset([*range(27, 37), *range(50, 59)])


class UnreadableSpreadsheet(ValueError):
    """The file cannot be read safely or truthfully; the message says why and what to do."""


@dataclass(frozen=True)
class Budget:
    """What one upload may make the reader do, for the first worksheet."""

    rows: int  # the highest row number
    cells: int  # cells listed in the sheet, empty styled ones included
    columns: int  # the columns read; a row may list more cells (styled empty ones), not read
    cells_per_row: int = 1024
    inflated_mb: int = 100
    parts: int = 2000
    styles_mb: int = 8

    @property
    def strings(self):
        return max(self.cells // 2, 1000)

    @property
    def shared_strings_mb(self):
        return max(self.strings * 128 // MB, 4)

    @property
    def sheet_mb(self):
        return max(self.cells * 128 // MB, 4)

    @property
    def elements(self):
        """XML elements one part may hold: a cell with its value and formula is three."""
        return self.cells * 4 + 100_000


def _broken():
    return UnreadableSpreadsheet(_("文件已损坏，无法作为 XLSX 打开。"))


def _copy_advice(problem):
    # The advice's translation starts with a space where its language needs one.
    return UnreadableSpreadsheet(
        problem + _("请把需要导入的表格复制到新建的工作簿（或模板）中，另存为 XLSX 后再上传。")
    )


def read_xlsx(content, budget):
    """The active worksheet's rows (``SheetRow``: values ``budget.columns`` wide, with the row's
    number and whether it is hidden) and its name.

    Raises ``UnreadableSpreadsheet`` with a message for the user: never anything else.
    """
    for name, rows in read_xlsx_sheets(content, budget):
        return rows, name
    raise UnreadableSpreadsheet(_("XLSX 文件中没有可见的工作表。"))  # pragma: no cover


def sheet_count(content):
    """How many visible worksheets the workbook has (1 when that cannot be told: the reading
    itself then says what is wrong)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        sizes = {info.filename: info.file_size for info in archive.infolist()}
        package = _Package(archive, sizes, Budget(rows=1, cells=1, columns=1))
        workbook = package.only(package.relations(""), "officeDocument")
        return len(package.worksheets(workbook, package.relations(workbook))[0])
    except Exception:
        return 1


def read_xlsx_sheets(content, budget):
    """Each visible worksheet as (name, rows), the active one first, read as it is asked for.

    Raises ``UnreadableSpreadsheet`` with a message for the user: never anything else.
    """
    try:
        yield from _read(content, budget)
    except UnreadableSpreadsheet:
        raise
    except Exception as error:  # a damaged, encrypted or oddly made zip or part
        raise _broken() from error


def _read(content, budget):
    archive = zipfile.ZipFile(io.BytesIO(content))
    infos = archive.infolist()
    if len(infos) > budget.parts:
        raise _copy_advice(_("XLSX 文件包含的部件过多，远超报表所需，拒绝处理。"))
    sizes = {}
    for info in infos:
        if info.filename in sizes:  # two parts of one name: which one is meant is unknowable
            raise _broken()
        sizes[info.filename] = info.file_size
    if sum(sizes.values()) > budget.inflated_mb * MB:
        raise _copy_advice(_("XLSX 文件解压后过大，远超报表所需，拒绝处理。"))
    return _Package(archive, sizes, budget).sheets()


class _Package:
    def __init__(self, archive, sizes, budget):
        self.archive = archive
        self.sizes = sizes
        self.budget = budget

    def elements(self, part, limit_mb, limit_elements, tags=None, believe_size=True):
        """The part's elements as they end, within ``limit_mb`` and ``limit_elements``.

        The declared size refuses a part at once; a sheet is streamed up to the limit instead,
        so that the count of cells speaks first ("row 1 has 16,384 cells" says more).
        """
        if believe_size and self.sizes[part] > limit_mb * MB:
            raise _too_big(part, limit_mb)
        with self.archive.open(part) as stream:
            yield from _elements(_Limited(stream, limit_mb * MB, part), limit_elements, part, tags)

    def relations(self, source):
        """{id: (type, part)} of ``source``'s relationships (the package's for "")."""
        folder = dirname(source)
        rels = join(folder, "_rels", source.rsplit("/", 1)[-1] + ".rels")
        found = {}
        if rels not in self.sizes:
            return found
        tag = f"{PACKAGE_RELATIONSHIPS}Relationship"
        for element in self.elements(rels, SMALL_PART_MB, self.budget.parts * 2, tag):
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
        if len(parts) > 1 or (parts and parts[0] not in self.sizes):
            raise _broken()
        return parts[0] if parts else None

    def sheets(self):
        """The visible worksheets as (name, rows), the active one first, then the others in the
        workbook's order; hidden sheets are never read. Lazily: a caller that wants the first
        reads only the first. The shared strings and number formats are read once."""
        if "[Content_Types].xml" not in self.sizes:
            raise UnreadableSpreadsheet(_("无法识别的文件格式：请上传 CSV、XLSX 或 XLS 文件。"))
        tag = f"{CONTENT_TYPES}Override"
        for element in self.elements(
            "[Content_Types].xml", SMALL_PART_MB, self.budget.parts * 2, tag
        ):
            if element.get("ContentType") == EXTERNAL_LINK_TYPE:
                raise _external_links()
        workbook = self.only(self.relations(""), "officeDocument")
        if workbook is None:
            raise UnreadableSpreadsheet(_("无法识别的文件格式：请上传 CSV、XLSX 或 XLS 文件。"))
        relations = self.relations(workbook)
        if any(kind == "externalLink" for kind, _part in relations.values()):
            raise _external_links()
        worksheets, date1904 = self.worksheets(workbook, relations)
        strings = self.only(relations, "sharedStrings")
        styles = self.only(relations, "styles")
        strings = self.shared_strings(strings) if strings else []
        formats = self.number_formats(styles) if styles else []
        for name, sheet in worksheets:
            reader = _SheetReader(name, self.budget, strings, formats, date1904)
            for element in self.elements(
                sheet, self.budget.sheet_mb, self.budget.elements, believe_size=False
            ):
                reader.take(element)
            # Every row as wide as the widest, as a reader pads them (columns are found by
            # heading).
            width = max((len(row) for row in reader.rows), default=0)
            for row in reader.rows:
                row.extend([None] * (width - len(row)))
            yield name, reader.rows

    def worksheets(self, workbook, relations):
        """The visible worksheets (not chart sheets) as (name, part), the active one first, and
        whether the workbook counts days from 1904."""
        sheets, date1904, active = [], False, 0
        for element in self.elements(workbook, SMALL_PART_MB * 8, 200_000):
            if element.tag == f"{MAIN}sheet":
                sheets.append(
                    (
                        element.get("name", "")[:31],
                        element.get(f"{RELATIONSHIPS}id"),
                        element.get("state", "visible"),
                    )
                )
            elif element.tag == f"{MAIN}workbookPr":
                date1904 = element.get("date1904", "").lower() in {"1", "true"}
            elif element.tag == f"{MAIN}workbookView" and element.get("activeTab", "").isdigit():
                active = int(element.get("activeTab"))
        found = []
        for position, (name, relation, state) in enumerate(sheets):
            kind, part = relations.get(relation, (None, None))
            if kind != "worksheet" or state in ("hidden", "veryHidden"):
                continue
            if part not in self.sizes:
                raise _broken()
            found.append((position == active, len(found), name, part))
        if not found:
            raise UnreadableSpreadsheet(_("XLSX 文件中没有可见的工作表。"))
        found.sort(key=lambda sheet: (not sheet[0], sheet[1]))
        return [(name, part) for _active, _order, name, part in found], date1904

    def shared_strings(self, part):
        """The strings: each the text of its runs, phonetic guides left out, as Excel shows it."""
        budget = self.budget
        strings, pieces, length = [], [], 0
        limit = budget.strings * 8 + 1000
        for element in self.elements(part, budget.shared_strings_mb, limit):
            tag = element.tag
            if tag == TEXT:
                if element.getparent().tag != PHONETIC:
                    pieces.append(element.text or "")
                    length += len(pieces[-1])
                    if length > CELL_CHARACTERS:
                        raise _too_long_text(length)
            elif tag == f"{MAIN}si":
                if not strings:  # the declared count is believed when it says too many
                    declared = element.getparent().get("uniqueCount", "")
                    if declared.isdigit() and int(declared) > budget.strings:
                        raise _too_many_strings(budget)
                strings.append("".join(pieces))
                pieces, length = [], 0
                if len(strings) > budget.strings:
                    raise _too_many_strings(budget)
        return strings

    def number_formats(self, part):
        """For each cell format (by index), "date", "timedelta" or None, from its number format."""
        from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format

        custom, formats = {}, []
        too_complex = _copy_advice(
            _("文件内容过于复杂（{part}），远超报表所需，拒绝处理。").format(part=part)
        )
        for element in self.elements(part, self.budget.styles_mb, CELL_FORMATS * 4 + 100_000):
            if element.tag == f"{MAIN}numFmt":
                code = element.get("formatCode", "")
                if len(code) > FORMAT_CHARACTERS or len(custom) >= CELL_FORMATS:
                    raise too_complex  # Excel writes neither; a long one is slow to look at
                custom[element.get("numFmtId")] = code
            elif element.tag == f"{MAIN}xf" and element.getparent().tag == f"{MAIN}cellXfs":
                formats.append(element.get("numFmtId", "0"))
                if len(formats) > CELL_FORMATS:
                    raise too_complex
        kinds = {}  # by number format: many cell formats share a few
        for number in set(formats):
            code = custom.get(number)
            if code is None and number.isdigit() and int(number) in EAST_ASIAN_DATE_FORMATS:
                kinds[number] = "date"  # 2021年3月1日 as Chinese Excel and WPS store it
                continue
            if code is None and number.isdigit():
                code = BUILTIN_FORMATS.get(int(number))
            if code and is_timedelta_format(code):
                kinds[number] = "timedelta"
            elif code and is_date_format(code):
                kinds[number] = "date"
            else:
                kinds[number] = None
        return [kinds[number] for number in formats]


class _SheetReader:
    """Takes the sheet's elements as they come and keeps the rows' values, nothing else."""

    def __init__(self, name, budget, strings, formats, date1904):
        self.name, self.budget = name, budget
        self.strings, self.formats = strings, formats
        from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH

        self.epoch = MAC_EPOCH if date1904 else WINDOWS_EPOCH
        self.rows, self.row = [], []
        self.row_number = self.cells = self.column = 0
        self.cell = None  # the cell being read: its value, formula and text so far

    def take(self, element):
        tag = element.tag
        if tag == CELL:
            self.end_cell(element)
        elif tag == ROW:
            self.end_row(element)
        elif tag == f"{MAIN}dimension":
            _check_dimension(element.get("ref", ""), self.name, self.budget)
        elif tag in (VALUE, FORMULA, TEXT) and element.getparent().tag in (CELL, INLINE, RUN):
            cell = self.cell or self.new_cell()
            if tag == VALUE:
                cell["value"] = element.text or ""
            elif tag == FORMULA:
                cell["formula"] = element.text or ""
            else:  # the text of an inline string, phonetic guides (rPh) left out
                cell["text"].append(element.text or "")
                cell["length"] += len(cell["text"][-1])
                if cell["length"] > CELL_CHARACTERS:
                    raise _too_long_text(cell["length"])

    def new_cell(self):
        self.cell = {"value": None, "formula": None, "text": [], "length": 0}
        return self.cell

    def end_row(self, element):
        self.row_number += 1
        number = element.get("r")
        if number is not None:
            if not number.isdigit() or len(number) > 7:
                raise _broken()
            self.row_number = max(self.row_number, int(number))
        if self.row_number > self.budget.rows:
            raise _too_long(self.budget)
        hidden = element.get("hidden", "").lower() in {"1", "true"}
        self.rows.append(SheetRow(self.row, self.row_number, hidden))
        self.row, self.column = [], 0

    def end_cell(self, element):
        budget, cell, self.cell = self.budget, self.cell, None
        self.cells += 1
        if self.cells > budget.cells:
            raise _copy_advice(
                _("工作表“{sheet}”的单元格超过 {limit} 个，远超报表所需，拒绝处理。").format(
                    sheet=self.name, limit=budget.cells
                )
            )
        reference = element.get("r")
        if reference is None:
            self.column += 1
        else:
            match = CELL_REFERENCE.match(reference)
            if not match:
                raise _broken()
            self.column = column_index_from_string(match.group(1))
        if self.column > budget.cells_per_row:
            _too_wide(self.name, budget, reference, self.row_number)
        value = self.value(element, cell or self.new_cell(), reference or "")
        self.cell = None
        if self.column <= budget.columns and value is not None:
            self.row.extend([None] * (self.column - len(self.row)))
            self.row[self.column - 1] = value

    def value(self, element, cell, reference):
        """The cell's value as openpyxl (data only) gives it; refused where it would mislead."""
        kind, raw, formula = element.get("t", "n"), cell["value"], cell["formula"]
        if kind == "e":
            raise cell_error(self.name, reference, raw or "#N/A")
        if formula is not None:
            if EXTERNAL_REFERENCE.search(formula):
                raise UnreadableSpreadsheet(
                    _(
                        "{where} 的公式引用了其他文件（={formula}），上传后无法取得其数值。"
                        "请将公式转换为数值后再上传。"
                    ).format(where=cell_place(self.name, reference), formula=formula[:100])
                )
            if not (raw or "").strip() and not (kind == "str" and raw is not None):
                raise UnreadableSpreadsheet(
                    _(
                        "{where} 是公式，但文件中没有它的计算结果（用程序生成的文件常见）。"
                        "请在 Excel 中打开并保存，或将公式转换为数值后再上传。"
                    ).format(where=cell_place(self.name, reference))
                )
        if kind == "inlineStr":
            return "".join(cell["text"])
        if raw is None:
            return None
        if kind == "s":
            return self.strings[int(raw)]  # a damaged index is a damaged file
        if kind == "str":
            return raw
        if kind == "b":
            return raw.strip() in {"1", "true"}
        if kind == "d":
            from openpyxl.utils.datetime import from_ISO8601

            return from_ISO8601(raw)
        if not raw.strip():
            return None
        number = float(raw) if any(c in raw for c in ".eE") else int(raw)
        if isinstance(number, float) and not math.isfinite(number):
            raise UnreadableSpreadsheet(
                _(
                    "{where} 的数值 {value} 超出了 Excel 能表示的范围（约 ±1.8E+308），"
                    "请改为实际数值后再上传。"
                ).format(where=cell_place(self.name, reference), value=raw.strip()[:30])
            )
        style = element.get("s")
        form = (
            self.formats[int(style)]
            if style and style.isdigit() and int(style) < len(self.formats)
            else None
        )
        if form is not None:
            from openpyxl.utils.datetime import from_excel

            return from_excel(number, self.epoch, timedelta=form == "timedelta")
        return number


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


def _elements(source, limit, part, tags=None):
    """An XML part's elements (those named in ``tags``, or all) as they end.

    Every element counts against ``limit`` and is dropped once seen: memory stays flat,
    whatever the part holds. Entities are never resolved and nothing is fetched; a part that
    declares a DTD at all is refused.
    """
    wanted = None if tags is None else ({tags} if isinstance(tags, str) else set(tags))
    parsed = etree.iterparse(
        source,
        events=("end",),
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
    )
    count, strict = 0, False
    for _event, element in parsed:
        if count == 0 and element.getroottree().docinfo.internalDTD is not None:
            raise UnreadableSpreadsheet(_("XLSX 文件含有不允许的 XML 声明，拒绝处理。"))
        count += 1
        if count > limit:
            raise _copy_advice(
                _("文件内容过于复杂（{part}），远超报表所需，拒绝处理。").format(part=part)
            )
        if strict or element.tag.startswith(STRICT_MAIN):
            strict = True
            if element.tag.startswith(STRICT_MAIN):
                _as_transitional(element)
            # Its parent has begun but not ended: the reader asks a cell's value (a format's
            # place) for its parent's name before that parent's own end comes.
            parent = element.getparent()
            if parent is not None and parent.tag.startswith(STRICT_MAIN):
                parent.tag = MAIN + parent.tag[len(STRICT_MAIN) :]
        if wanted is None or element.tag in wanted:
            yield element
        element.clear(keep_tail=False)
        while element.getprevious() is not None:
            del element.getparent()[0]


def _as_transitional(element):
    """A Strict Open XML element ("Strict Open XML 电子表格") under the Transitional names the
    reader looks for: the same elements, in other namespaces."""
    element.tag = MAIN + element.tag[len(STRICT_MAIN) :]
    for key in [key for key in element.attrib if key.startswith(STRICT_RELATIONSHIPS)]:
        element.attrib[RELATIONSHIPS + key[len(STRICT_RELATIONSHIPS) :]] = element.attrib.pop(key)


def _too_big(part, limit_mb):
    return _copy_advice(
        _("文件内容解压后超过 {limit} MB（{part}），远超报表所需，拒绝处理。").format(
            limit=limit_mb, part=part
        )
    )


def _too_many_strings(budget):
    return _copy_advice(
        _("XLSX 文件含有超过 {limit} 个不同的文字内容，远超报表所需，拒绝处理。").format(
            limit=budget.strings
        )
    )


def _too_long_text(length):
    return UnreadableSpreadsheet(
        _(
            "文件中有一个单元格的文字超过 {limit} 个字符（Excel 单元格的上限），"
            "不像统计表的内容，拒绝处理。请删去过长的文字后再上传。"
        ).format(limit=f"{CELL_CHARACTERS:,}")
    )


def _external_links():
    return UnreadableSpreadsheet(
        _(
            "该工作簿链接了其他文件（外部链接），上传后无法取得链接的数值。"
            "请在 Excel 中“数据 → 编辑链接 → 断开链接”后再上传。"
        )
    )


def _too_long(budget):
    return UnreadableSpreadsheet(_("文件超过 {limit} 行。").format(limit=budget.rows))


def _too_wide(sheet, budget, reference, row):
    match = CELL_REFERENCE.match(reference or "")
    raise UnreadableSpreadsheet(
        _(
            "工作表“{sheet}”第 {row} 行有超过 {limit} 个单元格（每行上限 {limit} 个），"
            "远超报表所需（只读取前 {columns} 列），拒绝处理。"
            "请删除多余的列，或把需要导入的表格复制到新建的工作簿（或模板）中，另存为 XLSX 后再上传。"
        ).format(
            sheet=sheet,
            row=match.group(2) if match else row + 1,
            limit=budget.cells_per_row,
            columns=budget.columns,
        )
    )


def _check_dimension(ref, sheet, budget):
    last = ref.split(":")[-1].upper().replace("$", "")
    match = CELL_REFERENCE.match(last)
    if not match:
        return
    columns = column_index_from_string(match.group(1))
    rows = int(match.group(2))
    if columns > budget.cells_per_row or rows > budget.rows:
        raise _copy_advice(
            _(
                "工作表“{sheet}”的范围是 {ref}（{rows} 行 × {columns} 列），"
                "超过上限（{row_limit} 行 × {column_limit} 列），拒绝处理。"
            ).format(
                sheet=sheet,
                ref=ref,
                rows=rows,
                columns=columns,
                row_limit=budget.rows,
                column_limit=budget.cells_per_row,
            )
        )


def cell_place(sheet, cell):
    """Where a cell is, as the refusals name it."""
    return _("工作表“{sheet}”单元格 {cell}").format(sheet=sheet, cell=cell)


def cell_error(sheet, cell, error):
    return UnreadableSpreadsheet(
        _("{where} 的值是错误 {error}，请修正该单元格后再上传。").format(
            where=cell_place(sheet, cell), error=error[:20]
        )
    )
