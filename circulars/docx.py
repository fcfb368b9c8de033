"""The circular as DOCX (python-docx), for editing in WPS or Word: the content and styles of the PDF.

Fonts are named as offices have them (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312, 宋体); Word or WPS
substitutes where one is missing.
"""

import io

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

FANG = "仿宋_GB2312"
XBS = "方正小标宋简体"
HEI = "黑体"
KAI = "楷体_GB2312"
SONG = "宋体"
RED = RGBColor(0xE6, 0x00, 0x12)
LINE = Pt(28.95)


def _font(run, name, size, bold=False, color=None):
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if color is not None:
        run.font.color.rgb = color


def _paragraph(
    document, text="", *, font=FANG, size=16, align=None, indent_chars=0, bold=False, color=None
):
    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    fmt.space_before = fmt.space_after = Pt(0)
    if align is not None:
        paragraph.alignment = align
    if indent_chars:
        fmt.first_line_indent = Pt(size * indent_chars)
        p_pr = paragraph._element.get_or_add_pPr()
        ind = p_pr.find(qn("w:ind"))
        if ind is None:
            ind = OxmlElement("w:ind")
            p_pr.append(ind)
        ind.set(qn("w:firstLineChars"), str(indent_chars * 100))
    if text:
        _font(paragraph.add_run(text), font, size, bold, color)
    return paragraph


def _border(paragraph, edge, size_eighths, color="000000"):
    p_pr = paragraph._element.get_or_add_pPr()
    borders = p_pr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        p_pr.append(borders)
    line = OxmlElement(f"w:{edge}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size_eighths))
    line.set(qn("w:space"), "1")
    line.set(qn("w:color"), color)
    borders.append(line)


def _page_number(paragraph):
    """ "— n —" with a PAGE field."""
    _font(paragraph.add_run("— "), SONG, 14)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    _font(paragraph.add_run(" —"), SONG, 14)


def _footers(document, section):
    document.settings.odd_and_even_pages_header_footer = True
    odd = section.footer.paragraphs[0]
    odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    odd.paragraph_format.right_indent = Pt(14)
    _page_number(odd)
    even = section.even_page_footer.paragraphs[0]
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    even.paragraph_format.left_indent = Pt(14)
    _page_number(even)
    section.footer_distance = Mm(28) - Pt(14)


def _cell(cell, text, *, font=FANG, align=None):
    cell.text = ""
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if align is None else align
    paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(3)
    _font(paragraph.add_run(str(text)), font, 14)


def _repeat_header(row):
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _grid_table(document, table):
    """A table of text (the measures of every unit): headings in 黑体, then a row per unit,
    序号 and 地区 centred, the measures set left."""
    grid = document.add_table(rows=1, cols=len(table.headings))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, heading in zip(grid.rows[0].cells, table.headings, strict=True):
        _cell(cell, heading, font=HEI)
    _repeat_header(grid.rows[0])
    for row in table.rows:
        for column, (cell, text) in enumerate(zip(grid.add_row().cells, row, strict=True)):
            _cell(cell, text, align=WD_ALIGN_PARAGRAPH.LEFT if column >= 2 else None)
    widths = (0.09, 0.13, 0.28, 0.22, 0.13, 0.15)
    for row in grid.rows:
        for cell, share in zip(row.cells, widths, strict=False):
            cell.width = Mm(156 * share)


def build_docx(circular, tables):
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    normal.font.name = FANG
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FANG)
    _footers(document, section)

    # 版头
    mark = _paragraph(
        document,
        f"{circular.organ}文件",
        font=XBS,
        size=36,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        color=RED,
    )
    mark.paragraph_format.space_before = Mm(35)
    mark.paragraph_format.line_spacing = Pt(36)
    _paragraph(document)
    number = _paragraph(document, circular.document_number, align=WD_ALIGN_PARAGRAPH.CENTER)
    _border(number, "bottom", 12, "E60012")
    _paragraph(document)
    _paragraph(document)

    # 主体
    for line in circular.title.splitlines():
        _paragraph(document, line.strip(), font=XBS, size=22, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document)
    _paragraph(document, f"{circular.addressees}：")
    for level, text in circular.paragraphs():
        paragraph = _paragraph(document, indent_chars=2)
        if level in (1, 2):
            end = text.find("。")
            head, rest = (text, "") if end == -1 else (text[: end + 1], text[end + 1 :])
            _font(paragraph.add_run(head), HEI if level == 1 else KAI, 16)
            if rest:
                _font(paragraph.add_run(rest), FANG, 16)
        else:
            _font(paragraph.add_run(text), FANG, 16)
    if tables:
        _paragraph(document)
        for n, table in enumerate(tables, start=1):
            prefix = "附件：" if n == 1 else "　　　"
            numbered = f"{n}." if len(tables) > 1 else ""
            _paragraph(document, f"{prefix}{numbered}{table.title}", indent_chars=2)
    _paragraph(document)
    signature = _paragraph(document, circular.signatory, align=WD_ALIGN_PARAGRAPH.RIGHT)
    signature.paragraph_format.right_indent = Pt(32)
    date = _paragraph(document, circular.signed_on_text, align=WD_ALIGN_PARAGRAPH.RIGHT)
    date.paragraph_format.right_indent = Pt(32)
    if circular.note:
        _paragraph(document, f"（{circular.note}）", indent_chars=2)

    # 附件
    for n, table in enumerate(tables, start=1):
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        label = "附件" + (str(n) if len(tables) > 1 else "")
        _paragraph(document, label, font=HEI)
        _paragraph(document)
        _paragraph(document, table.title, font=XBS, size=22, align=WD_ALIGN_PARAGRAPH.CENTER)
        if table.note:
            _paragraph(document, table.note, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED)
        if table.layout == "grid":
            _grid_table(document, table)
            continue
        grid = document.add_table(rows=1, cols=len(table.headings))
        grid.style = "Table Grid"
        grid.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, heading in zip(grid.rows[0].cells, table.headings, strict=True):
            _cell(cell, heading, font=HEI)
        header = grid.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        header.append(repeat)
        first = 1
        for row in table.rows:
            cells = grid.add_row().cells
            if row.rank_span:
                _cell(cells[0], row.rank)
            _cell(cells[1], row.unit)
            _cell(cells[2], row.amount, align=WD_ALIGN_PARAGRAPH.RIGHT)
            _cell(cells[3], row.projects, align=WD_ALIGN_PARAGRAPH.RIGHT)
            _cell(cells[4], row.items, align=WD_ALIGN_PARAGRAPH.RIGHT)
        for index, row in enumerate(table.rows, start=first):
            if row.rank_span > 1:
                top = grid.cell(index, 0)
                top.merge(grid.cell(index + row.rank_span - 1, 0))
                _cell(top, row.rank)
        total = grid.add_row().cells
        total[0].merge(total[1])
        _cell(total[0], "合计", font=HEI)
        for cell, value in zip(total[2:], table.total, strict=True):
            _cell(cell, value, font=HEI, align=WD_ALIGN_PARAGRAPH.RIGHT)

    # 版记, on a page of its own
    colophon = document.add_section(WD_SECTION.EVEN_PAGE)
    colophon.footer.is_linked_to_previous = False
    colophon.even_page_footer.is_linked_to_previous = False
    for footer in (colophon.footer, colophon.even_page_footer):
        for paragraph in footer.paragraphs:
            paragraph.text = ""
    if circular.copy_to:
        copy_to = circular.copy_to if circular.copy_to.endswith("。") else circular.copy_to + "。"
        line = _paragraph(document, f"抄送：{copy_to}", size=14)
        _border(line, "top", 8)
        line.paragraph_format.left_indent = Pt(14)
    printed = _paragraph(document, size=14)
    _border(printed, "top", 8 if not circular.copy_to else 6)
    _border(printed, "bottom", 8)
    printed.paragraph_format.left_indent = Pt(14)
    printed.paragraph_format.right_indent = Pt(14)
    _font(printed.add_run(circular.printed_by), FANG, 14)
    _font(printed.add_run("\t" + circular.printed_on_text + "印发"), FANG, 14)
    printed.paragraph_format.tab_stops.add_tab_stop(Mm(156) - Pt(28), alignment=2)  # right

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
