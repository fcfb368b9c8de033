"""The printed circular, parsed back and measured against GB/T 9704-2012."""

import re
import statistics

import pytest

from circulars import services
from circulars.pdf import render_html
from tests.support import golden, seed
from tests.support.pdf import (
    CJK,
    PAGE_NUMBER,
    body_lines,
    is_red,
    lines,
    mm,
    open_pdf,
    page_number_line,
)

pytestmark = pytest.mark.django_db

PITCH_MIN, PITCH_MAX = 28.83, 29.09  # pt: 22 lines in 225 ± 1 mm
SIMPLIFIED_FONTS = re.compile(r"\+(FandolFang|FandolHei|FandolKai|FandolSong|FandolSong-Bold)$")


@pytest.fixture(scope="module")
def pdf(circular_pdf):
    """The circular's PDF parsed once for the module."""
    return open_pdf(circular_pdf)


def attachment_pages(pdf):
    return [
        n
        for n, page in enumerate(pdf.pages, 1)
        if lines(page, n) and re.match(r"^附件\d$", lines(page, n)[0].text)
    ]


def test_every_page_is_a4(pdf):
    for page in pdf.pages:
        assert abs(mm(page.width) - 210) <= 1 and abs(mm(page.height) - 297) <= 1


def test_the_text_block_has_the_standard_margins(pdf):
    for n in range(1, attachment_pages(pdf)[0]):
        text = body_lines(pdf.pages[n - 1], n)
        assert abs(mm(min(line.x0 for line in text)) - 28) <= 1, f"left edge of page {n}"
        assert mm(max(line.x1 for line in text)) <= 184 + 1, f"right edge of page {n}"
        assert mm(max(line.bottom for line in text)) <= 263, f"bottom of page {n}"
    full = body_lines(pdf.pages[1], 2)
    assert 36.0 <= mm(full[0].top) <= 42.6, "the first line sits in the first slot of the 版心"
    assert mm(full[-1].bottom) >= 262 - (28.95 - 16) / 72 * 25.4 - 1, (
        "a full page reaches the last slot"
    )
    assert abs(mm(max(line.x1 for line in full)) - 184) <= 1, "full lines fill the 版心"


def test_a_full_page_holds_22_lines_of_28_characters(pdf):
    text = body_lines(pdf.pages[1], 2)
    assert len(text) == 22
    baselines = [line.bottom for line in text]
    pitch = statistics.mode(round(b - a, 2) for a, b in zip(baselines, baselines[1:], strict=False))
    assert PITCH_MIN <= pitch <= PITCH_MAX
    wrapped = [
        line for line, after in zip(text, text[1:], strict=False) if abs(mm(after.x0) - 28) < 0.5
    ]

    def width_in_chars(line):
        indent = (line.x0 - 28 * 72 / 25.4) / 15.79
        full = sum(1 for c in line.chars if ord(c["text"]) > 0x2E7F)
        half = len(line.chars) - full
        return indent + full + half / 2

    good = [line for line in wrapped if abs(width_in_chars(line) - 28) <= 0.5]
    assert len(good) >= 0.8 * len(wrapped), [line.text for line in wrapped if line not in good]


def test_the_body_is_16pt_fangsong(pdf):
    sizes = [round(c["size"], 1) for c in pdf.pages[1].chars if CJK.match(c["text"])]
    assert abs(statistics.mode(sizes) - 16) <= 0.3
    body = [c for c in pdf.pages[1].chars if CJK.match(c["text"]) and round(c["size"]) == 16]
    assert statistics.mode(c["fontname"].split("+")[-1] for c in body) == "FandolFang"


def test_the_organ_mark_is_red_centred_72mm_from_the_top(pdf, circular):
    red = [c for c in pdf.pages[0].chars if is_red(c) and c["size"] >= 18]
    assert "".join(c["text"] for c in red) == "河南省知识产权局文件"
    assert abs(mm(min(c["top"] for c in red)) - 72) <= 2
    centre = (min(c["x0"] for c in red) + max(c["x1"] for c in red)) / 2
    assert abs(mm(centre) - 106) <= 2


def test_the_document_number_and_the_red_rule_under_it(pdf):
    first = lines(pdf.pages[0], 1)
    number = next(line for line in first if re.match(r"^\S*〔\d{4}〕[1-9]\d*号$", line.text))
    assert number.text == "豫知〔2021〕8号"
    assert abs(mm((number.x0 + number.x1) / 2) - 106) <= 2
    rules = [
        r
        for r in pdf.pages[0].rects
        if r["non_stroking_color"]
        and is_red({"non_stroking_color": r["non_stroking_color"]})
        and mm(r["width"]) >= 100
    ]
    assert len(rules) == 1
    rule = rules[0]
    assert abs(mm(rule["width"]) - 156) <= 1 and abs(mm(rule["x0"]) - 28) <= 1
    assert abs(mm(rule["top"] - number.bottom) - 4) <= 1.5
    assert mm(rule["height"]) <= 3


def test_the_title_is_22pt_xiaobiaosong_centred_under_the_rule(pdf):
    first = lines(pdf.pages[0], 1)
    title = [line for line in first if line.size == 22.0]
    assert [line.text for line in title] == [
        "河南省知识产权局",
        "关于进一步加强知识产权质押融资工作的通知",
    ]
    for line in title:
        assert abs(mm((line.x0 + line.x1) / 2) - 106) <= 2
        assert line.fonts == {next(iter(line.fonts))} and line.fonts.pop().endswith(
            "FandolSong-Bold"
        )
    rule = next(r for r in pdf.pages[0].rects if mm(r["width"]) >= 100)
    assert 1.5 <= (title[0].top - rule["bottom"]) / 28.95 <= 3


def test_headings_use_hei_and_kai_the_rest_fangsong(pdf):
    all_pages = [line for n, page in enumerate(pdf.pages, 1) for line in lines(page, n)]
    first_level = next(line for line in all_pages if line.text.startswith("一、"))
    heading_chars = first_level.chars[: len("一、把质押融资摆在优化营商环境的重要位置。")]
    assert {c["fontname"].split("+")[-1] for c in heading_chars} == {"FandolHei"}
    assert first_level.chars[-1]["fontname"].endswith("FandolFang")
    second_level = next(line for line in all_pages if line.text.startswith("（一）"))
    assert second_level.chars[0]["fontname"].endswith("FandolKai")
    third = next(line for line in all_pages if line.text.startswith("1.开展"))
    assert third.chars[3]["fontname"].endswith("FandolFang")


def test_page_numbers_sit_7mm_under_the_text_block_at_the_outer_side(pdf):
    numbered = [n for n in range(1, len(pdf.pages) + 1) if page_number_line(pdf.pages[n - 1], n)]
    # The 版记 page follows an odd page (附件2): it is numbered too. Only a blank page before it
    # would leave both unnumbered.
    assert numbered == list(range(1, len(pdf.pages) + 1))
    for n in numbered:
        line = page_number_line(pdf.pages[n - 1], n)
        assert re.sub(r"\D", "", line.text) == str(n)
        dashes = [c for c in line.chars if c["text"] in "—―"]
        assert abs(mm(sum((c["top"] + c["bottom"]) / 2 for c in dashes) / len(dashes)) - 269) <= 2
        assert abs(line.size - 14) <= 0.5
        assert all(
            "FandolSong" in c["fontname"] and "Bold" not in c["fontname"] for c in line.chars
        )
        if n % 2:
            assert abs(mm(line.x1) - 179.1) <= 2
        else:
            assert abs(mm(line.x0) - 32.9) <= 2


def test_the_attachment_list_and_the_date(pdf, circular):
    text = [line for n, page in enumerate(pdf.pages, 1) for line in lines(page, n)]
    entry = next(line for line in text if line.text.startswith("附件："))
    assert entry.text == "附件：1.2020年河南省专利质押融资统计表"
    assert abs((entry.x0 - 28 * 72 / 25.4) / 15.79 - 2) <= 0.3
    second = text[text.index(entry) + 1]
    assert second.text == "2.2020年河南省商标质押融资统计表"
    assert abs(second.x0 - entry.chars[3]["x0"]) <= 1, "later entries align after 附件："
    date = next(line for line in text if re.match(r"^\d{4}年[1-9]\d?月[1-9]\d?日$", line.text))
    assert date.text == "2021年3月5日"
    assert 0.5 <= (184 * 72 / 25.4 - date.x1) / 15.79 <= 4.6
    everything = "".join(line.text for line in text)
    assert not re.search(r"\d{4}年0\d月|月0\d日", everything)
    assert not re.search(r"[\uff10-\uff19]", everything), "no full-width digits"


@pytest.mark.parametrize(
    ("index", "expected"), [(0, seed.PATENT_2020), (1, seed.TRADEMARK_2020_SHORT)]
)
def test_each_attachment_prints_its_table_exactly(pdf, index, expected):
    number = attachment_pages(pdf)[index]
    page = pdf.pages[number - 1]
    label, title = lines(page, number)[:2]
    assert label.text == f"附件{index + 1}"
    assert abs(mm(label.x0) - 28) <= 1 and 36.0 <= mm(label.top) <= 42.6
    assert abs(label.size - 16) <= 0.5 and label.fonts.pop().endswith("FandolHei")
    assert title.text == f"2020年河南省{'专利' if index == 0 else '商标'}质押融资统计表"
    headings = golden.PATENT_HEADINGS if index == 0 else golden.TRADEMARK_HEADINGS
    table = page.extract_tables()[0]
    assert [cell.replace("\n", "") for cell in table[0]] == headings
    body = table[1:]
    filled, previous = [], None
    for row in body:
        rank = row[0] if row[0] not in (None, "") else None
        if rank is None and row[1] != "合计" and previous is not None:
            rank = previous
        previous = rank
        filled.append([rank or "", *row[1:]])
    filled[-1] = ["", "合计", *body[-1][2:]]
    assert filled == expected
    box = page.find_tables()[0].bbox
    assert mm(box[0]) >= 28 - 0.5 and mm(box[2]) <= 184 + 0.5


def test_the_attachment_titles_are_centred_on_the_third_line(pdf, circular):
    titles = ["2020年河南省专利质押融资统计表", "2020年河南省商标质押融资统计表"]
    for number, expected in zip(attachment_pages(pdf), titles, strict=True):
        label, title = lines(pdf.pages[number - 1], number)[:2]
        assert title.text == expected
        assert 1.5 <= (title.top - label.top) / 28.95 <= 2.6
        assert abs(mm((title.x0 + title.x1) / 2) - 106) <= 2
        assert abs(title.size - 22) <= 0.5


def test_the_colophon_closes_the_last_page(pdf, circular):
    last = pdf.pages[-1]
    text = [line.text for line in body_lines(last, len(pdf.pages))]
    assert text == [
        "抄送：国家知识产权局知识产权运用促进司。",
        "河南省知识产权局办公室2021年3月5日印发",
    ]
    rules = sorted(
        [(r["top"], r["height"]) for r in last.rects if mm(r["width"]) >= 150]
        + [
            (line["top"], line["linewidth"])
            for line in last.lines
            if mm(line["x1"] - line["x0"]) >= 150
        ]
    )
    thickness = [round(mm(t), 2) for _top, t in rules]
    assert thickness == [0.35, 0.25, 0.35]
    assert abs(mm(rules[-1][0] + rules[-1][1]) - 262) <= 1
    assert len(pdf.pages) % 2 == 0, "the 版记 is on an even page"


def test_every_font_is_embedded_and_simplified_chinese(pdf):
    for page in pdf.pages:
        for char in page.chars:
            assert SIMPLIFIED_FONTS.search(char["fontname"]), char
    from pdfminer.pdftypes import resolve1

    for page in pdf.pages:
        fonts = resolve1(page.page_obj.resources.get("Font", {}))
        for ref in fonts.values():
            font = resolve1(ref)
            descendants = font.get("DescendantFonts")
            target = resolve1(resolve1(descendants)[0]) if descendants else font
            descriptor = resolve1(target["FontDescriptor"])
            assert any(key in descriptor for key in ("FontFile", "FontFile2", "FontFile3")), font


def test_user_text_is_printed_as_text_never_as_markup(demo_2020):
    from tests.support.factories import CircularFactory

    circular = CircularFactory(
        number=99,
        title="<b>粗体</b>",
        body='<img src="file:///etc/passwd">\n<script>alert(1)</script>',
        attachments=[],
    )
    html = render_html(circular, [], circular.paragraphs())
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html
    assert "<script>" not in html
    text = "".join(
        line.text for line in lines(open_pdf(services.render_circular_pdf(circular)).pages[0], 1)
    )
    assert "<b>粗体</b>" in text


def test_the_page_number_pattern_matches_the_standard_only():
    assert PAGE_NUMBER.match("— 1 —") and PAGE_NUMBER.match("―12―")
    assert not PAGE_NUMBER.match("- 1 -") and not PAGE_NUMBER.match("－1－")
