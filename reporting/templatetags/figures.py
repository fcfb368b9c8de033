"""Figures in templates, printed the one way the portal prints them (``lib.numbers``)."""

from django import template

from lib.numbers import format_amount

register = template.Library()


@register.filter
def amount(value):
    """万元 as the notice prints them (197850.5, 50000); "—" for no figure."""
    if value is None or value == "":
        return "—"
    return format_amount(value)
