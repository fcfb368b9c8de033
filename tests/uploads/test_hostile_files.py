"""Files that would cost the portal more than a real table costs, or be read wrongly.

Each is refused within a bound on what a worker spends, with a message that names the sheet
and the cell where there is one, and nothing is saved. The time bounds here are loose on purpose
(shared machines are noisy): they catch a reader that expands a file, not a slow second. The
figures are measured by bench/hostile_uploads.py against gunicorn.
"""

import re
import time
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contracts.imports import MAX_CONTRACTS, read_contract_rows
from reporting.models import PledgeFigures
from tests.support import golden, hostile_xlsx
from tests.support.hostile_xlsx import build, sheet_xml
from uploads.models import PendingImport
from uploads.readers import ImportFileError, read_rows

# The old reader took 15 to 50 s on these files; the new one refuses them in well under 0.1 s.
SECONDS = 10
FIGURES = [golden.PATENT_HEADINGS, ["1", "郑州市", "100", "2", "3"]]


def refused(content, max_rows=None):
    """The message, the seconds and the peak of Python memory (MB) it took to refuse."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ImportFileError) as error:
            read_rows(content, "x.xlsx", max_rows=max_rows)
    finally:
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
    return str(error.value), seconds, peak


@pytest.fixture(scope="module")
def many_strings():
    return hostile_xlsx.many_shared_strings()


@pytest.fixture(scope="module")
def wide_rows():
    return hostile_xlsx.very_wide_rows()


def test_the_finding_files_are_as_small_as_reported(many_strings, wide_rows):
    assert len(many_strings) < 300 * 1024 and len(wide_rows) < 400 * 1024


@pytest.mark.parametrize("max_rows", [None, MAX_CONTRACTS])
def test_five_million_shared_strings_are_refused_before_they_are_read(many_strings, max_rows):
    message, seconds, peak = refused(many_strings, max_rows)
    assert re.match(r"文件内容解压后超过 \d+ MB（xl/sharedStrings.xml），远超报表所需", message)
    assert seconds < SECONDS and peak < 50


def test_shared_strings_are_counted_when_the_file_does_not_declare_them():
    strings = (
        f'<sst xmlns="{hostile_xlsx.MAIN}">'.encode() + b"<si><t>1</t></si>" * 20_000 + b"</sst>"
    )
    message, seconds, _peak = refused(build(sheet_xml(FIGURES), shared_strings=strings))
    assert message == (
        "XLSX 文件含有超过 10000 个不同的文字内容，远超报表所需，拒绝处理。"
        "请把需要导入的表格复制到新建的工作簿（或模板）中，另存为 XLSX 后再上传。"
    )


def test_a_declared_count_of_shared_strings_is_believed_when_it_is_too_many():
    strings = f'<sst xmlns="{hostile_xlsx.MAIN}" uniqueCount="9000000"><si><t>1</t></si></sst>'
    message, _seconds, _peak = refused(build(sheet_xml(FIGURES), shared_strings=strings))
    assert message.startswith("XLSX 文件含有超过 10000 个不同的文字内容")


@pytest.mark.parametrize("max_rows", [None, MAX_CONTRACTS])
def test_rows_of_16384_cells_are_refused_at_the_first_row(wide_rows, max_rows):
    message, seconds, peak = refused(wide_rows, max_rows)
    assert message == (
        "工作表“表1”第 1 行有超过 1024 个单元格（每行上限 1024 个），远超报表所需（只读取前 50 列），"
        "拒绝处理。"
        "请删除多余的列，或把需要导入的表格复制到新建的工作簿（或模板）中，另存为 XLSX 后再上传。"
    )
    assert seconds < SECONDS and peak < 50


def test_a_lone_cell_in_the_last_column_is_refused():
    sheet = sheet_xml([*FIGURES, ['<c r="XFD3"><v>1</v></c>']])
    message, _seconds, _peak = refused(build(sheet))
    assert message.startswith("工作表“表1”第 3 行有超过 1024 个单元格")


def test_a_row_numbered_far_below_the_table_is_refused():
    sheet = sheet_xml(FIGURES).replace('<row r="2">', '<row r="1048576">')
    message, _seconds, _peak = refused(build(sheet))
    assert message == "文件超过 5000 行。"


def test_a_declared_dimension_beyond_the_limits_is_refused():
    message, _seconds, _peak = refused(build(sheet_xml(FIGURES, dimension="A1:XFD160")))
    assert message == (
        "工作表“表1”的范围是 A1:XFD160（160 行 × 16384 列），"
        "超过上限（5000 行 × 1024 列），拒绝处理。请把需要导入的表格复制到新建的工作簿（或模板）中，另存为 XLSX 后再上传。"
    )


def test_a_declared_dimension_wider_than_the_columns_read_is_no_refusal():
    """A sheet may span more columns than the reader reads (a template's borders, notes off to
    the right): only a range past the limit it quotes is refused."""
    rows = read_quickly(build(sheet_xml(FIGURES, dimension="A1:BZ160")))
    assert rows[0][:2] == FIGURES[0][:2]


def test_too_many_cells_in_all_are_refused():
    rows = [[1] * 60 for _ in range(1800)]
    message, _seconds, _peak = refused(build(sheet_xml(rows)), max_rows=2000)
    assert message == (
        "工作表“表1”的单元格超过 20000 个，远超报表所需，拒绝处理。请把需要导入的表格复制到新建的工作簿（或模板）中，另存为 XLSX 后再上传。"
    )


def test_a_formula_without_a_cached_value_is_refused_naming_the_cell():
    rows = [golden.PATENT_HEADINGS, ["1", "郑州市", '<c r="C2"><f>100+23</f></c>', "2", "3"]]
    message, _seconds, _peak = refused(build(sheet_xml(rows)))
    assert message == (
        "工作表“表1”单元格 C2 是公式，但文件中没有它的计算结果（用程序生成的文件常见）。"
        "请在 Excel 中打开并保存，或将公式转换为数值后再上传。"
    )


def test_a_formula_with_its_cached_value_reads_the_value():
    rows = [golden.PATENT_HEADINGS, ["1", "郑州市", '<c r="C2"><f>100+23</f><v>123</v></c>', 2, 3]]
    assert read_rows(build(sheet_xml(rows)), "x.xlsx")[1] == ["1", "郑州市", "123", "2", "3"]


def test_a_cell_error_is_refused_naming_the_cell():
    rows = [golden.PATENT_HEADINGS, ["1", "郑州市", '<c r="C2" t="e"><f>A1/0</f><v>#REF!</v></c>']]
    message, _seconds, _peak = refused(build(sheet_xml(rows), sheet_name="专利"))
    assert message == "工作表“专利”单元格 C2 的值是错误 #REF!，请修正该单元格后再上传。"


def test_a_formula_that_reads_another_workbook_is_refused_even_with_a_value():
    rows = [golden.PATENT_HEADINGS, ["1", "郑州市", '<c r="C2"><f>[1]Sheet1!A1</f><v>5</v></c>']]
    message, _seconds, _peak = refused(build(sheet_xml(rows)))
    assert message == (
        "工作表“表1”单元格 C2 的公式引用了其他文件（=[1]Sheet1!A1），上传后无法取得其数值。"
        "请将公式转换为数值后再上传。"
    )


def test_a_workbook_with_external_links_is_refused():
    content = build(
        sheet_xml(FIGURES),
        extra_parts={"xl/externalLinks/externalLink1.xml": "<externalLink/>"},
        extra_types=[("/xl/externalLinks/externalLink1.xml", hostile_xlsx.LINK_TYPE)],
    )
    message, _seconds, _peak = refused(content)
    assert message.startswith("该工作簿链接了其他文件（外部链接）")


def test_a_part_that_declares_entities_is_refused():
    sheet = sheet_xml(FIGURES).replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]>',
    )
    message, _seconds, _peak = refused(build(sheet))
    assert message == "XLSX 文件含有不允许的 XML 声明，拒绝处理。"


def test_a_hand_written_but_honest_file_is_read():
    assert read_rows(build(sheet_xml(FIGURES)), "x.xlsx") == [
        golden.PATENT_HEADINGS,
        ["1", "郑州市", "100", "2", "3"],
    ]


def test_a_real_contracts_sized_file_passes_the_checks():
    rows = [["序号", "出质人", "金额"]] + [[n, f"企业{n}", n] for n in range(1, 20_001)]
    started = time.perf_counter()
    assert len(read_contract_rows(build(sheet_xml(rows)), "x.xlsx")) == 20_001
    assert time.perf_counter() - started < 30  # generous: a bound, not a benchmark


# ── through the upload page ──


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["many_strings", "wide_rows", "formula"])
def test_a_hostile_upload_saves_nothing(client, zhengzhou_submitter, open_period, request, name):
    if name == "formula":
        rows = [golden.PATENT_HEADINGS, ["1", "郑州市", '<c r="C2"><f>100+23</f></c>', 2, 3]]
        content = build(sheet_xml(rows))
    else:
        content = request.getfixturevalue(name)
    client.force_login(zhengzhou_submitter)
    response = client.post(
        "/imports/",
        {
            "file": SimpleUploadedFile("表.xlsx", content),
            "period": open_period.pk,
            "kind": "patent",
        },
    )
    assert response.status_code == 400
    assert "拒绝处理" in response.content.decode() or "计算结果" in response.content.decode()
    assert not PendingImport.objects.exists() and not PledgeFigures.objects.exists()


def test_a_dtd_in_a_part_where_nothing_is_counted_is_refused_too():
    strings = (
        '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">]>'
        f'<sst xmlns="{hostile_xlsx.MAIN}"><x>&a;</x></sst>'
    )
    message, _seconds, _peak = refused(build(sheet_xml(FIGURES), shared_strings=strings))
    assert message == "XLSX 文件含有不允许的 XML 声明，拒绝处理。"


def test_an_error_cell_in_a_legacy_xls_is_refused_naming_the_cell():
    import io

    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("专利")
    for column, heading in enumerate(golden.PATENT_HEADINGS):
        sheet.write(0, column, heading)
    sheet.write(1, 1, "郑州市")
    sheet.row(1).set_cell_error(2, "#REF!")
    buffer = io.BytesIO()
    book.save(buffer)
    message, _seconds, _peak = refused(buffer.getvalue())
    assert message == "工作表“专利”单元格 C2 的值是错误 #REF!，请修正该单元格后再上传。"


def test_the_command_refuses_a_hostile_file_quickly(tmp_path, wide_rows):
    from django.core.management import CommandError, call_command

    path = tmp_path / "wide.xlsx"
    path.write_bytes(wide_rows)
    started = time.perf_counter()
    with pytest.raises(CommandError, match="第 1 行有超过 1024 个单元格"):
        call_command("import_pledges", str(path), "--period", "2019", "--kind", "patent")
    assert time.perf_counter() - started < SECONDS


# ── what is checked is what is read (each trick below got past the first version) ──

DECOY = sheet_xml(FIGURES)
DECOY_ROWS = [golden.PATENT_HEADINGS, ["1", "郑州市", "100", "2", "3"]]


def with_parts(wide_rows, **changes):
    """The wide-rows file with some parts replaced or added (None removes one)."""
    parts = hostile_xlsx.parts_of(wide_rows)
    for name, data in changes.items():
        name = name.replace("__", "/").replace("_DOT_", ".")
        if data is None:
            parts.pop(name, None)
        else:
            parts[name] = data
    return hostile_xlsx.package(parts)


def read_quickly(content, **limits):
    started = time.perf_counter()
    try:
        return read_rows(content, "x.xlsx", **limits)
    finally:
        assert time.perf_counter() - started < SECONDS


def test_a_sheet_named_with_two_leading_slashes_is_the_one_checked(wide_rows):
    parts = hostile_xlsx.parts_of(wide_rows)
    content = hostile_xlsx.package(
        {
            **parts,
            "/xl/worksheets/sheet1.xml": parts["xl/worksheets/sheet1.xml"],
            "xl/worksheets/sheet1.xml": DECOY,
            "xl/_rels/workbook.xml.rels": hostile_xlsx.relations_xml(
                ("rId1", "worksheet", "//xl/worksheets/sheet1.xml")
            ),
        }
    )
    with pytest.raises(ImportFileError, match="第 1 行有超过 1024 个单元格"):
        read_quickly(content)


def test_a_first_sheet_that_is_no_worksheet_is_passed_over_and_never_read(wide_rows):
    parts = hostile_xlsx.parts_of(wide_rows)
    content = hostile_xlsx.package(
        {
            **parts,
            "xl/worksheets/decoy.xml": DECOY,
            "xl/workbook.xml": hostile_xlsx.workbook_xml(("表1", "rId1"), ("表1", "rId2")),
            "xl/_rels/workbook.xml.rels": hostile_xlsx.relations_xml(
                ("rId1", "chartsheet", "worksheets/sheet1.xml"),
                ("rId2", "worksheet", "worksheets/decoy.xml"),
            ),
        }
    )
    assert read_quickly(content) == DECOY_ROWS


def test_one_relationship_id_with_two_targets_is_refused(wide_rows):
    parts = hostile_xlsx.parts_of(wide_rows)
    content = hostile_xlsx.package(
        {
            **parts,
            "xl/worksheets/decoy.xml": DECOY,
            "xl/_rels/workbook.xml.rels": hostile_xlsx.relations_xml(
                ("rId1", "worksheet", "worksheets/decoy.xml"),
                ("rId1", "chartsheet", "worksheets/sheet1.xml"),
            ),
        }
    )
    with pytest.raises(ImportFileError, match="文件已损坏"):
        read_quickly(content)


def test_parts_that_are_not_related_to_the_workbook_are_never_read(wide_rows):
    huge_styles = (
        f'<styleSheet xmlns="{hostile_xlsx.MAIN}"><cellXfs>'
        + "<xf numFmtId='0'/>" * 300_000
        + "</cellXfs></styleSheet>"
    )
    custom = "<Properties>" + "<property name='x'>1</property>" * 200_000 + "</Properties>"
    strings = f'<sst xmlns="{hostile_xlsx.MAIN}">' + "<si><t>1</t></si>" * 1_000_000 + "</sst>"
    content = hostile_xlsx.package(
        {
            **hostile_xlsx.parts_of(build(DECOY)),
            "xl/styles.xml": huge_styles,
            "docProps/custom.xml": custom,
            "xl/sharedStrings.xml": strings,  # listed nowhere
            "xl/worksheets/sheet2.xml": hostile_xlsx.parts_of(wide_rows)[
                "xl/worksheets/sheet1.xml"
            ],
        }
    )
    assert read_quickly(content) == DECOY_ROWS


def test_styles_the_workbook_uses_are_checked(wide_rows):
    huge_styles = (
        f'<styleSheet xmlns="{hostile_xlsx.MAIN}"><cellXfs>'
        + "<xf numFmtId='0'/>" * 300_000
        + "</cellXfs></styleSheet>"
    )
    content = hostile_xlsx.package(
        {
            **hostile_xlsx.parts_of(build(DECOY)),
            "xl/styles.xml": huge_styles,
            "xl/_rels/workbook.xml.rels": hostile_xlsx.relations_xml(
                ("rId1", "worksheet", "worksheets/sheet1.xml"), ("rId2", "styles", "styles.xml")
            ),
        }
    )
    with pytest.raises(ImportFileError, match=r"文件内容过于复杂（xl/styles.xml）"):
        read_quickly(content)


@pytest.mark.parametrize(
    "row", ['<row r="1e8"><c r="A1"><v>1</v></c></row>', '<row r="abc"></row>']
)
def test_a_row_number_that_is_not_a_number_is_refused(row):
    sheet = sheet_xml(FIGURES).replace("<sheetData>", f"<sheetData>{row}")
    with pytest.raises(ImportFileError, match="文件已损坏"):
        read_quickly(build(sheet))


@pytest.mark.parametrize("reference", ["$A$1", "A0x", "A99999999"])
def test_a_cell_reference_a_reader_would_choke_on_is_refused(reference):
    sheet = sheet_xml([*FIGURES, [f'<c r="{reference}"><v>1</v></c>']])
    with pytest.raises(ImportFileError, match="文件已损坏|文件超过"):
        read_quickly(build(sheet))


@pytest.mark.parametrize("cell", ['<c r="C2"><v>abc</v></c>', '<c r="C2" t="s"><v>99</v></c>'])
def test_a_value_the_reader_cannot_make_sense_of_is_a_damaged_file(cell):
    rows = [golden.PATENT_HEADINGS, ["1", "郑州市", cell, 2, 3]]
    with pytest.raises(ImportFileError, match="文件已损坏"):
        read_quickly(build(sheet_xml(rows)))


def test_an_encrypted_part_is_a_damaged_file():
    content = hostile_xlsx.encrypted(build(DECOY), "xl/worksheets/sheet1.xml")
    with pytest.raises(ImportFileError, match="文件已损坏"):
        read_quickly(content)


def test_contracts_are_bounded_by_their_cells_not_only_their_rows(monkeypatch):
    """A contracts file may cost what 400,000 cells cost (``MAX_CONTRACT_CELLS``), and no more.
    The bound is tried at a hundredth of its size: the reader's budget works the same at any
    size, and reading 400,000 cells would take this test seconds for nothing more."""
    from contracts import imports
    from lib import xlsx

    assert imports.MAX_CONTRACT_CELLS == 400_000
    monkeypatch.setattr(imports, "MAX_CONTRACT_CELLS", 4_000)
    read = []
    end_cell = xlsx._SheetReader.end_cell

    def counted(reader, element):
        read.append(1)
        return end_cell(reader, element)

    monkeypatch.setattr(xlsx._SheetReader, "end_cell", counted)
    rows = [[n] * 50 for n in range(1, 121)]  # far fewer rows than the limit, 6,000 cells
    with pytest.raises(ImportFileError, match="的单元格超过 4000 个"):
        read_contract_rows(build(sheet_xml(rows)), "x.xlsx")
    # The reader stops at the first cell past the limit (counted, not timed: a shared
    # machine's seconds vary).
    assert len(read) == 4_001


# ── what Excel writes is read ──


def test_shared_and_array_formulas_with_their_values_are_read():
    rows = [
        golden.PATENT_HEADINGS,
        ["1", "郑州市", '<c r="C2"><f t="shared" ref="C2:C3" si="0">D2*50</f><v>100</v></c>', 2, 3],
        ["2", "洛阳市", '<c r="C3"><f t="shared" si="0"/><v>150</v></c>', 3, 4],
        ["3", "开封市", '<c r="C4"><f t="array" ref="C4">SUM(D2:D3)</f><v>5</v></c>', 1, 1],
        ["4", "新乡市", '<c r="C5" t="str"><f>""</f><v></v></c>', 0, 0],
    ]
    assert [row[2] for row in read_quickly(build(sheet_xml(rows)))] == [
        golden.PATENT_HEADINGS[2],
        "100",
        "150",
        "5",
        "",
    ]


@pytest.mark.parametrize(
    "formula", ["表1[@金额]*汇总!B2", "SUM(表1[金额])+Sheet2!A1", '"[注]"&amp;说明!A1',
                "表1[[#This Row],[2020]]+汇总!A1"],
)  # fmt: skip
def test_references_within_the_workbook_are_no_external_links(formula):
    rows = [
        golden.PATENT_HEADINGS,
        ["1", "郑州市", f'<c r="C2"><f>{formula}</f><v>7</v></c>', 2, 3],
    ]
    assert read_quickly(build(sheet_xml(rows)))[1][2] == "7"


@pytest.mark.parametrize("formula", ["'[1]Sheet 1'!A1", "[1]!收入", "SUM([2]表1!A1:A3)"])
def test_references_to_another_workbook_are_refused(formula):
    rows = [
        golden.PATENT_HEADINGS,
        ["1", "郑州市", f'<c r="C2"><f>{formula}</f><v>7</v></c>', 2, 3],
    ]
    with pytest.raises(ImportFileError, match="的公式引用了其他文件"):
        read_quickly(build(sheet_xml(rows)))


def test_a_1904_workbook_keeps_its_dates():
    import datetime
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.epoch = datetime.datetime(1904, 1, 1)
    workbook.active.append(["日期"])
    workbook.active.append([datetime.date(2020, 6, 30)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read_quickly(buffer.getvalue())[1] == ["2020-06-30"]


# ── a second look: what a general reader would have parsed before the first value ──


def bounded(content, seconds=SECONDS, megabytes=60, **limits):
    """read_rows' answer (rows or the refusal), checked to stay within time and memory."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        answer = read_rows(content, "x.xlsx", **limits)
    except ImportFileError as error:
        answer = str(error)
    finally:
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
    assert elapsed < seconds and peak < megabytes, (elapsed, peak)
    return answer


HEAD = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{hostile_xlsx.MAIN}">'


@pytest.mark.parametrize(
    "sheet",
    [
        HEAD + '<sheetData><row r="1">' + "<x/>" * 1_000_000 + "</row></sheetData></worksheet>",
        HEAD + "<sheetData/>" + "<x/>" * 1_000_000 + "</worksheet>",
        HEAD + "<sheetData/><dataValidations>"
        + '<dataValidation type="list" sqref="A1"><formula1>"a,b"</formula1></dataValidation>' * 50_000
        + "</dataValidations></worksheet>",
        HEAD + '<sheetData><row r="1"><c r="A1" t="inlineStr"><is>'
        + "<r><rPr><b/></rPr><t>x</t></r>" * 100_000
        + "</is></c></row></sheetData></worksheet>",
    ],
    ids=["non-cells-in-a-row", "elements-after-the-data", "validations", "rich-inline-text"],
)  # fmt: skip
def test_elements_that_are_no_cells_count_against_the_budget(sheet):
    # Refused as too complex, or (within the budget) passed over; a cell's text beyond what
    # Excel allows in a cell is refused as such.
    assert bounded(build(sheet)).startswith(
        (
            "文件内容过于复杂（xl/worksheets/sheet1.xml）",
            "文件中没有数据。",
            "文件中有一个单元格的文字超过 32,767 个字符",
        )
    )


def test_cells_of_another_namespace_are_not_read_and_cannot_slip_an_error_in():
    rows = [
        *FIGURES,
        ['<q:c xmlns:q="urn:x" r="A3" t="e"><v>#REF!</v></q:c>',
         '<q:c xmlns:q="urn:x" r="B3"><f>[1]Sheet1!A1</f><v>7</v></q:c>'],
    ]  # fmt: skip
    assert bounded(build(sheet_xml(rows))) == DECOY_ROWS


def styles(body):
    return f'<styleSheet xmlns="{hostile_xlsx.MAIN}">{body}</styleSheet>'


def with_styles(style_part, sheet=DECOY):
    return hostile_xlsx.package(
        {
            **hostile_xlsx.parts_of(build(sheet)),
            "xl/styles.xml": style_part,
            "xl/_rels/workbook.xml.rels": hostile_xlsx.relations_xml(
                ("rId1", "worksheet", "worksheets/sheet1.xml"), ("rId2", "styles", "styles.xml")
            ),
        }
    )


def test_a_number_format_longer_than_excel_writes_is_refused_before_it_is_looked_at():
    part = styles(
        '<numFmts><numFmt numFmtId="164" formatCode="' + "[" * 300_000 + '"/></numFmts>'
        '<cellXfs><xf numFmtId="164"/></cellXfs>'
    )
    assert bounded(with_styles(part)).startswith("文件内容过于复杂（xl/styles.xml）")


def test_a_shared_string_of_countless_runs_is_refused():
    strings = (
        f'<sst xmlns="{hostile_xlsx.MAIN}"><si>'
        + "<r><rPr><b/><i/><sz val='9'/></rPr><t>x</t></r>" * 80_000
        + "</si></sst>"
    )
    sheet = sheet_xml([['<c r="A1" t="s"><v>0</v></c>']])
    assert bounded(build(sheet, shared_strings=strings)).startswith(
        "文件内容过于复杂（xl/sharedStrings.xml）"
    )


def test_a_value_that_is_no_number_is_a_damaged_file():
    rows = [golden.PATENT_HEADINGS, ["1", "郑州市", '<c r="C2"><v>nan</v></c>', 2, 3]]
    assert bounded(build(sheet_xml(rows))) == "文件已损坏，无法作为 XLSX 打开。"


@pytest.mark.parametrize("value", ["1e999", "-1E400"])
def test_a_number_that_is_no_finite_number_is_refused_as_out_of_range(value):
    rows = [golden.PATENT_HEADINGS, ["1", "郑州市", f'<c r="C2"><v>{value}</v></c>', 2, 3]]
    assert bounded(build(sheet_xml(rows))) == (
        f"工作表“表1”单元格 C2 的数值 {value} 超出了 Excel 能表示的范围（约 ±1.8E+308），"
        "请改为实际数值后再上传。"
    )


def damaged_zip(change):
    data = bytearray(build(DECOY))
    change(data)
    return bytes(data)


def _version_needed_99(data):
    data[data.find(b"PK\x01\x02") + 6] = 99


def _directory_offset_beyond(data):
    end = data.rfind(b"PK\x05\x06")
    offset = int.from_bytes(data[end + 16 : end + 20], "little")
    data[end + 16 : end + 20] = (offset + 5000).to_bytes(4, "little")


def _name_not_utf8(data):
    start = data.find(b"PK\x03\x04")
    data[start + 7] |= 8  # the name is said to be UTF-8
    data[start + 30] = 0xFF


@pytest.mark.parametrize("change", [_version_needed_99, _directory_offset_beyond, _name_not_utf8])
def test_a_zip_damaged_in_its_headers_is_a_damaged_file_not_a_server_error(change):
    answer = bounded(damaged_zip(change))
    assert answer == "文件已损坏，无法作为 XLSX 打开。"


def test_a_readers_values_rich_text_booleans_dates_and_durations():
    strings = (
        f'<sst xmlns="{hostile_xlsx.MAIN}" uniqueCount="1"><si><r><t>郑州</t></r><r><rPr><b/></rPr>'
        "<t>市</t></r><rPh sb='0' eb='1'><t>zheng</t></rPh></si></sst>"
    )
    part = styles(
        '<numFmts><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>'
        '<numFmt numFmtId="165" formatCode="[h]:mm:ss"/></numFmts>'
        '<cellXfs><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="10"/></cellXfs>'
    )
    sheet = sheet_xml([[
        '<c r="A1" t="s"><v>0</v></c>',
        '<c r="B1" t="inlineStr"><is><r><t>洛</t></r><r><t>阳</t></r></is></c>',
        '<c r="C1" t="b"><v>1</v></c>',
        '<c r="D1" s="1"><v>44012</v></c>',
        '<c r="E1" s="2"><v>1.5</v></c>',
        '<c r="F1" s="3"><v>0.125</v></c>',
        '<c r="G1" t="d"><v>2020-06-30T00:00:00</v></c>',
        '<c r="H1"><v>18500</v></c>',
    ]])  # fmt: skip
    content = hostile_xlsx.package(
        {
            **hostile_xlsx.parts_of(build(sheet, shared_strings=strings)),
            "xl/styles.xml": part,
            "xl/_rels/workbook.xml.rels": hostile_xlsx.relations_xml(
                ("rId1", "worksheet", "worksheets/sheet1.xml"),
                ("rId2", "sharedStrings", "sharedStrings.xml"),
                ("rId3", "styles", "styles.xml"),
            ),
        }
    )
    assert bounded(content) == [[
        "郑州市", "洛阳", "True", "2020-06-30", "1 day, 12:00:00", "0.125",
        "2020-06-30", "18500",
    ]]  # fmt: skip


def test_what_openpyxl_writes_reads_the_same_through_the_portals_reader():
    import datetime
    import io

    from openpyxl import Workbook, load_workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["地市", "金额（万元）", "日期", "是否", "比例"])
    sheet.append(["郑州市", 19060.5, datetime.date(2021, 3, 31), True, 0.25])
    sheet.append(["洛阳市", 12, datetime.datetime(2021, 1, 4, 9, 30), False, None])
    sheet["E2"].number_format = "0.00%"
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = buffer.getvalue()
    theirs = [
        [reporting_text(v) for v in row]
        for row in load_workbook(
            io.BytesIO(content), read_only=True, data_only=True
        ).active.iter_rows(values_only=True)
    ]
    assert bounded(content) == [[cell for cell in row] for row in theirs]


def reporting_text(value):
    from uploads.readers import _cell_text

    return _cell_text(value)
