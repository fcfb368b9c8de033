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
