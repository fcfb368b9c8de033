"""How an item of a measure report prints in a list: its kind's columns, amounts as amounts."""

from dataclasses import dataclass
from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from lib.numbers import format_amount
from lib.wording import join_names
from measures.imports import headings

register = template.Library()


@dataclass(frozen=True)
class Cell:
    text: str
    number: bool = False


@register.filter
def item_headings(measure_type):
    fields = measure_type.model._meta
    return [fields.get_field(name).verbose_name for name in measure_type.listed]


@register.filter
def item_cells(item, measure_type):
    return [item_cell(item, name) for name in measure_type.listed]


def item_cell(item, name):
    field = item._meta.get_field(name)
    value = getattr(item, name)
    if field.choices:
        return Cell(str(getattr(item, f"get_{name}_display")()))
    if isinstance(value, bool):
        return Cell(_("是") if value else _("否"))
    if isinstance(value, Decimal):
        return Cell(format_amount(value), number=True)
    if value is None:
        return Cell("—")
    if isinstance(value, int):
        return Cell(str(value), number=True)
    if isinstance(value, list):
        return Cell(join_names(value))
    if hasattr(value, "isoformat"):
        return Cell(value.isoformat())
    return Cell(str(value))


@register.filter
def items_of(report, measure_type):
    return measure_type.items(report)


@register.filter
def import_headings(measure_type):
    """The columns of a kind's import file (the file's own words)."""
    return headings(measure_type)


@register.filter
def import_cells(item, measure_type):
    """An item read from a file, every column the file sets."""
    return [item_cell(item, name) for name in measure_type.fields]
