from django import template

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
    """A chart attachment's SVG, lettered in the PDF's own Hei font."""
    return table.chart_svg(font='"FandolHei"')
