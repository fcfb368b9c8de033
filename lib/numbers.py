"""How amounts, growth and spreadsheet cells are written, wherever the portal prints them."""

import re
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

CENT = Decimal("0.01")
ONE_DECIMAL = Decimal("0.1")


def format_amount(value):
    """万元 as 豫知〔2021〕8号 prints them: no grouping, at most two decimals, no trailing zeros.

    50000.00 → "50000", 37209.56 → "37209.56", 5642.70 → "5642.7".
    """
    text = f"{Decimal(value).quantize(CENT):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def growth(now, before):
    """Growth in percent (one decimal), ``"新增"`` from nothing, None when both are nothing."""
    if before == 0:
        return _("新增") if now else None
    return ((Decimal(now) - Decimal(before)) * 100 / Decimal(before)).quantize(
        ONE_DECIMAL, ROUND_HALF_UP
    )


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_SIGNED_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?%?$")


def escape_formula(text):
    """Keep spreadsheet programs from running a cell that starts like a formula.

    A signed number (-3, +113.6%) is a number, not a formula, and stays as it is.
    """
    if (
        isinstance(text, str)
        and text.startswith(FORMULA_PREFIXES)
        and not _SIGNED_NUMBER.match(text)
    ):
        return "'" + text
    return text
