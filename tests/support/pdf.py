"""Reading a PDF back with pdfplumber, in the terms of GB/T 9704-2012."""

import io
import re
import statistics
from dataclasses import dataclass

import pdfplumber

MM = 72 / 25.4
PAGE_NUMBER = re.compile(r"^[—―]\s?\d+\s?[—―]$")
CJK = re.compile(r"[\u4e00-\u9fff]")


def mm(points):
    return points / MM


@dataclass
class Line:
    page: int  # 1-based
    text: str
    chars: list

    @property
    def x0(self):
        return min(c["x0"] for c in self.chars)

    @property
    def x1(self):
        return max(c["x1"] for c in self.chars)

    @property
    def top(self):
        return min(c["top"] for c in self.chars)

    @property
    def bottom(self):
        return max(c["bottom"] for c in self.chars)

    @property
    def size(self):
        return statistics.mode(round(c["size"], 1) for c in self.chars)

    @property
    def fonts(self):
        return {c["fontname"] for c in self.chars}


def open_pdf(data):
    return pdfplumber.open(io.BytesIO(data))


def lines(page, number):
    """Group a page's characters into lines by their bottom edge."""
    chars = sorted(page.chars, key=lambda c: (round(c["bottom"]), c["x0"]))
    groups = []
    for char in chars:
        if char["text"].isspace():
            continue
        if groups and abs(groups[-1][-1]["bottom"] - char["bottom"]) <= 0.2 * char["size"]:
            groups[-1].append(char)
        else:
            groups.append([char])
    result = []
    for group in groups:
        group.sort(key=lambda c: c["x0"])
        result.append(Line(number, "".join(c["text"] for c in group), group))
    return result


def all_lines(pdf):
    return [line for n, page in enumerate(pdf.pages, start=1) for line in lines(page, n)]


def page_number_line(page, number):
    candidates = [
        line for line in lines(page, number) if PAGE_NUMBER.match(line.text.replace(" ", " "))
    ]
    return candidates[-1] if candidates else None


def body_lines(page, number):
    return [line for line in lines(page, number) if not PAGE_NUMBER.match(line.text)]


def is_red(char):
    color = char.get("non_stroking_color")
    if not color or len(color) != 3:
        return False
    r, g, b = color
    return r >= 0.6 and g <= 0.45 and b <= 0.45


# The grid of GB/T 9704-2012: 22 lines in the 225 mm of the 版心, 28 characters in its 156 mm.
TEXT_TOP = 37 * MM
TEXT_BOTTOM = 262 * MM
TEXT_LEFT = 28 * MM
PITCH = 225 * MM / 22
CHAR = 156 * MM / 28
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28

# Characters a line may not start with, and characters it may not end with (GB/T 15834 and
# common Chinese typesetting practice): a break next to them moves back by one character.
NO_LINE_START = set("，。、；：？！）》」』】〉”’…—%")
NO_LINE_END = set("（《「『【〈“‘")
# A run of half-width letters, digits and the signs inside numbers is never broken.
HALF_WIDTH_RUN = re.compile(r"^[0-9A-Za-z.%,+\-]+")


def slot(line):
    """The grid line (0 … 21) a text line stands on, from the middle of its glyph boxes."""
    return int(((line.top + line.bottom) / 2 - TEXT_TOP) // PITCH)


def reach_in_chars(chars):
    """How far characters reach from the left edge of the 版心, in 字. Measured on the glyph
    boxes: half-width digits are narrower than ½ 字, so counting characters would overstate."""
    return (max(c["x1"] for c in chars) - TEXT_LEFT) / CHAR


def span_in_chars(chars):
    """The width of a run of characters, in 字."""
    return (max(c["x1"] for c in chars) - min(c["x0"] for c in chars)) / CHAR


def first_unbreakable(text):
    """The start of a line that could not have been split from it: a number, or a character
    with the punctuation that may not start a line after it (or an opening bracket with the
    character it opens)."""
    run = HALF_WIDTH_RUN.match(text)
    if run:
        unit = run.group()
    elif text[0] in NO_LINE_END and len(text) > 1:
        unit = text[:2]
    else:
        unit = text[:1]
    rest = text[len(unit) :]
    while rest and rest[0] in NO_LINE_START:
        unit, rest = unit + rest[0], rest[1:]
    return unit


def is_blank(page):
    return not (page.chars or page.rects or page.lines or page.curves or page.images)
