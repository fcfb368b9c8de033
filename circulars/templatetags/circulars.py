from decimal import Decimal

from django import template

from analysis.charts import bar_chart

register = template.Library()


def _split(text):
    """A heading paragraph's heading sentence (up to the first 。) and the rest."""
    end = text.find("。")
    if end == -1:
        return text, ""
    return text[: end + 1], text[end + 1 :]


@register.filter
def heading_part(text):
    return _split(text)[0]


@register.filter
def after_heading(text):
    return _split(text)[1]


@register.filter
def chart_svg(table):
    """A chart attachment: the amounts by unit as SVG, lettered in the PDF's own Hei font."""
    ranked = [row for row in table.rows if row.rank != ""]  # 未报, 待审: no bar, not a 0
    chart = bar_chart(
        table.title,
        [row.unit for row in ranked],
        [Decimal(row.amount) for row in ranked],
        unit=table.headings[2],
        font='"FandolHei"',
    )
    return chart.svg
