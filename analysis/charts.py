"""Charts as SVG, drawn on the server: the same markup shows in the browser and prints in a PDF.

No JavaScript, nothing fetched. Every text is escaped; every chart has a title and its numbers
in a table beside it (the templates show ``chart.table``).
"""

from dataclasses import dataclass, field
from decimal import Decimal
from html import escape

from django.utils.translation import gettext as _

from lib.numbers import format_amount

FONT = '"Noto Sans CJK SC", "WenQuanYi Zen Hei", "FandolHei", "Microsoft YaHei", sans-serif'
COLOURS = ["#b3121d", "#0b5cad", "#2f7d32", "#8e5c00", "#6b3fa0"]


@dataclass
class Chart:
    title: str
    svg: str
    headings: list
    table: list = field(default_factory=list)  # rows of the numbers drawn


def _number(value):
    return format_amount(value) if isinstance(value, Decimal) else str(value)


def _text_width(text, size=12):
    """About how wide a text sets: Chinese and full-width characters a full em, others half."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.6 for ch in str(text))


def _largest(values):
    """The largest value drawn, which the scale runs up to, and no further.

    Not at least 1, nor rounded up: any other top would be a number the data does not have,
    and would shorten the bars and lower the points below it. When every value is 0 (or there
    is none) it is 0: there is no scale to draw, and everything lies at zero.
    """
    return max((Decimal(v) for v in values if v is not None), default=Decimal(0))


def bar_chart(title, labels, values, unit=None, highlight=None, width=640, font=FONT):
    """Horizontal bars, one per label (long Chinese names read well on the left)."""
    unit = unit or _("万元")
    row = 22
    top = 40
    # Each label ends 6 left of the bars and each value starts 4 right of its bar's end: leave
    # room for the widest of either, so that a long name or a large amount is not cut off.
    left = max(96, int(max(map(_text_width, labels), default=0)) + 10)
    right = max(90, int(max((_text_width(_number(v)) for v in values), default=0)) + 8)
    height = top + row * len(labels) + 16
    largest = _largest(values)
    span = width - left - right
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape(title)}" font-family=\'{font}\' font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="15" font-weight="700">{escape(title)}</text>',
    ]
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + index * row
        length = float(Decimal(value) / largest) * span if largest else 0.0
        colour = COLOURS[0] if label != highlight else COLOURS[1]
        parts.append(
            f'<text x="{left - 6}" y="{y + 14}" text-anchor="end">{escape(str(label))}</text>'
            f'<rect x="{left}" y="{y + 3}" width="{length:.1f}" height="{row - 6}" fill="{colour}"/>'
            f'<text x="{left + length + 4:.1f}" y="{y + 14}">{escape(_number(value))}</text>'
        )
    parts.append(
        f'<line x1="{left}" y1="{top - 2}" x2="{left}" y2="{height - 14}" stroke="#333" stroke-width="1"/>'
    )
    parts.append(
        f'<text x="{width - 4}" y="{height - 2}" text-anchor="end" fill="#555">{escape(unit)}</text>'
    )
    parts.append("</svg>")
    table = [[label, _number(value)] for label, value in zip(labels, values, strict=True)]
    return Chart(title, "".join(parts), ["", unit], table)


def line_chart(title, x_labels, series, unit=None, width=640, height=280, font=FONT):
    """One line per series over the x labels (years)."""
    unit = unit or _("万元")
    top, bottom = 40, 46
    largest = _largest(v for _name, points in series for v in points)
    # The scale: 0 and the largest value, or, when every value is 0, 0 alone: a top of 1 (or
    # any other) over a flat line would be a scale the data does not have.
    scale = [largest, Decimal(0)] if largest else [Decimal(0)]
    # The scale's labels end 8 left of the plot; the first x label is centred on its left edge.
    left = max(
        70,
        int(max(_text_width(_number(v)) for v in scale)) + 10,
        int(_text_width(x_labels[0]) / 2) + 4 if x_labels else 0,
    )
    # The last x label, and the values above the last points, are centred on the right edge of
    # the plot: leave room for their half. (With one x label those values start at the point.)
    last = [
        points[-1]
        for _name, points in series
        if len(x_labels) > 1 and points and points[-1] is not None
    ]
    right = max(
        20,
        int(_text_width(x_labels[-1]) / 2) + 4 if x_labels else 0,
        int(max((_text_width(_number(v), 10) for v in last), default=0) / 2) + 4,
    )
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(len(x_labels) - 1, 1)

    def xy(i, v):
        share = float(Decimal(v) / largest) if largest else 0.0
        return left + i * step, top + plot_h - share * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape(title)}" font-family=\'{font}\' font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="15" font-weight="700">{escape(title)}</text>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#333"/>',
    ]
    # The top of the scale level with the plot's top, 0 just above the axis line (clear of the
    # x labels below it).
    for value in scale:
        _x, y = xy(0, value)
        baseline = y if value == 0 else y + 4
        parts.append(
            f'<text x="{left - 8}" y="{baseline:.1f}" text-anchor="end" fill="#555">{escape(_number(value))}</text>'
        )
    for i, label in enumerate(x_labels):
        x, _y = xy(i, 0)
        parts.append(
            f'<text x="{x:.1f}" y="{top + plot_h + 18}" text-anchor="middle">{escape(str(label))}</text>'
        )
    labels = {}  # x index → [(point's y, its value)]: drawn after the lines
    for n, (name, points) in enumerate(series):
        colour = COLOURS[n % len(COLOURS)]
        coords = [(i, *xy(i, v), v) for i, v in enumerate(points) if v is not None]
        if len(coords) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for _i, x, y, _v in coords)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
        for i, x, y, v in coords:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>')
            labels.setdefault(i, []).append((y, v))
        parts.append(
            f'<rect x="{left + n * 120}" y="{height - 16}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{left + n * 120 + 14}" y="{height - 7}">{escape(str(name))}</text>'
        )
    # Each value just above its point; where values lie close, the higher labels move up
    # so that no two overlap. The first points' values start at the point instead of being
    # centred on it: centred, their left half lay over the scale's labels, and the largest
    # value, often the first, sat on the scale's top label at the same height.
    for i, placed in labels.items():
        x, _y = xy(i, 0)
        x, anchor = (x - 3, "start") if i == 0 else (x, "middle")
        below = None
        for y, v in sorted(placed, key=lambda item: item[0], reverse=True):
            label_y = y - 7 if below is None else min(y - 7, below - 12)
            below = label_y
            parts.append(
                f'<text x="{x:.1f}" y="{label_y:.1f}" text-anchor="{anchor}" font-size="10">{escape(_number(v))}</text>'
            )
    parts.append(
        f'<text x="{width - 4}" y="{height - 2}" text-anchor="end" fill="#555">{escape(unit)}</text>'
    )
    parts.append("</svg>")
    table = [[str(label)] + [_number(points[i]) if points[i] is not None else "—" for _n, points in series]
             for i, label in enumerate(x_labels)]  # fmt: skip
    return Chart(title, "".join(parts), [""] + [str(name) for name, _p in series], table)
