"""The charts read as drawn: no label over another, none cut at the picture's edges, no scale the
data does not have. The SVG is read back as a browser or the PDF would lay it out, estimating each
text's box the way ``charts`` does when it makes room for one."""

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations

import pytest

from analysis import charts

SVG = "{http://www.w3.org/2000/svg}"
# A CJK font's em box runs 0.88 of the size above the baseline and 0.12 below it (Noto Sans CJK
# and FandolHei alike): a text's box is that tall, whatever its characters.
ASCENT, DESCENT = 0.88, 0.12


@dataclass
class Label:
    text: str
    left: float
    right: float
    top: float
    bottom: float

    def overlaps(self, other):
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )


def _labels(chart):
    root = ET.fromstring(chart.svg)
    default_size = float(root.get("font-size"))
    labels = []
    for text in root.iter(f"{SVG}text"):
        x, y = float(text.get("x")), float(text.get("y"))
        size = float(text.get("font-size", default_size))
        width = charts._text_width(text.text, size)
        start = {"start": x, "middle": x - width / 2, "end": x - width}[
            text.get("text-anchor", "start")
        ]
        labels.append(Label(text.text, start, start + width, y - ASCENT * size, y + DESCENT * size))
    return labels


def _size(chart):
    root = ET.fromstring(chart.svg)
    return float(root.get("width")), float(root.get("height"))


def _overlapping(chart):
    return [(a.text, b.text) for a, b in combinations(_labels(chart), 2) if a.overlaps(b)]


def _outside(chart):
    width, height = _size(chart)
    return [
        label.text
        for label in _labels(chart)
        if label.left < 0 or label.right > width or label.top < 0 or label.bottom > height
    ]


# The dashboard's trend as the demo draws it: 2020 alone (published), then 2021 being reported
# (local); the first point is the largest, so its label sits beside the axis' maximum.
DEMO_2020 = [("专利", [Decimal("298611.56")]), ("商标", [Decimal("55807.53")])]
DEMO_2021 = [
    ("专利", [Decimal("298611.56"), Decimal("18500.00")]),
    ("商标", [Decimal("55807.53"), Decimal("950.00")]),
]
# A maximum wider than the axis' usual margin, at a first year with a long label.
LARGE_FIRST = [("专利", [Decimal("1234567.89"), Decimal("1000"), Decimal("20")])]


@pytest.mark.parametrize(
    "x_labels, series",
    [
        (["2020"], DEMO_2020),
        (["2020", "2021（报送中）"], DEMO_2021),
        (["2020（报送中）", "2021", "2022"], LARGE_FIRST),
    ],
    ids=["demo-2020", "demo-2021", "large-first"],
)
def test_the_axis_maximum_is_not_drawn_over_the_first_points_label(x_labels, series):
    chart = charts.line_chart("全省质押融资金额", x_labels, series)
    assert _overlapping(chart) == []


def test_a_line_charts_labels_stay_inside_the_picture_when_its_maximum_is_large():
    chart = charts.line_chart("洛阳市专利质押金额", ["2020（报送中）", "2021", "2022"], LARGE_FIRST)
    assert _outside(chart) == []


def test_a_bar_charts_long_first_label_and_large_maximum_stay_inside_the_picture():
    chart = charts.bar_chart(
        "各地市专利质押金额",
        ["济源产城融合示范区", "洛阳"],
        [Decimal("12345678.90"), Decimal("37209.56")],
    )
    assert _outside(chart) == []
    assert _overlapping(chart) == []


def _numbers(chart, x_labels, series, unit="万元"):
    """The texts drawn as numbers: the scale's and the points' (not title, years, legend, unit)."""
    words = {chart.title, unit, *map(str, x_labels), *(name for name, _points in series)}
    return [label.text for label in _labels(chart) if label.text not in words]


@pytest.mark.parametrize(
    "x_labels, series",
    [
        (["2019", "2020", "2021（报送中）"], [("商标", [Decimal("0.00"), 0, Decimal("0")])]),
        (["2020"], [("专利", [Decimal("0")]), ("商标", [Decimal("0.00")])]),
        (["2020", "2021"], [("商标", [None, Decimal("0")])]),
    ],
    ids=["years", "one-year", "with-a-gap"],
)
def test_an_all_zero_series_draws_on_an_axis_of_zero_alone(x_labels, series):
    chart = charts.line_chart("开封市商标质押金额", x_labels, series)
    numbers = _numbers(chart, x_labels, series)
    assert "1" not in numbers
    assert set(numbers) == {"0"}
    # Every point on the axis line, none above it.
    root = ET.fromstring(chart.svg)
    axis_y = {line.get("y1") for line in root.iter(f"{SVG}line")}
    assert {float(dot.get("cy")) for dot in root.iter(f"{SVG}circle")} == {float(y) for y in axis_y}
    assert _overlapping(chart) == []


def test_a_line_charts_scale_tops_at_its_largest_value_even_below_one():
    series = [("商标", [Decimal("0.25"), Decimal("0.5")])]
    chart = charts.line_chart("郑州市商标质押金额", ["2020", "2021"], series)
    numbers = _numbers(chart, ["2020", "2021"], series)
    assert "1" not in numbers
    assert set(numbers) == {"0", "0.25", "0.5"}


def _bar_widths(chart):
    return [float(rect.get("width")) for rect in ET.fromstring(chart.svg).iter(f"{SVG}rect")]


def test_bars_below_one_are_as_long_as_the_same_proportions_above_one():
    labels = ["郑州", "开封"]
    small = charts.bar_chart("商标", labels, [Decimal("0.5"), Decimal("0.25")])
    large = charts.bar_chart("商标", labels, [Decimal("50"), Decimal("25")])
    assert _bar_widths(small) == _bar_widths(large)


def test_an_all_zero_bar_chart_draws_empty_bars_and_no_scale():
    labels = ["开封", "平顶山", "安阳"]
    chart = charts.bar_chart("2020年各地市商标质押金额", labels, [Decimal("0.00"), 0, 0])
    assert _bar_widths(chart) == [0, 0, 0]
    words = {chart.title, "万元", *labels}
    assert {label.text for label in _labels(chart) if label.text not in words} == {"0"}
