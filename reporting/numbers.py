"""How amounts are written in the printed tables."""

import re
from decimal import Decimal

CENT = Decimal("0.01")


def format_amount(value):
    """万元 as 豫知〔2021〕8号 prints them: no grouping, at most two decimals, no trailing zeros.

    50000.00 → "50000", 37209.56 → "37209.56", 5642.70 → "5642.7".
    """
    text = f"{Decimal(value).quantize(CENT):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


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
