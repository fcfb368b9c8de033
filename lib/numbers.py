"""How amounts, growth and spreadsheet cells are written, wherever the portal prints them."""

import re
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Change:
    """A change against an earlier figure: a percentage, new (from nothing), or not available.

    The one way the portal computes and prints a change: warnings, tables, analysis, exports and
    drafted sentences all take it from ``growth``.
    """

    percent: Decimal | None = None  # one decimal, rounded half up; None when new or n/a
    new: bool = False

    @property
    def is_number(self):
        return self.percent is not None

    def __str__(self):
        if self.percent is not None:
            return f"{self.percent:+}%"
        return _("新增") if self.new else "—"


NOT_AVAILABLE = Change()
NEW = Change(new=True)


def growth(now, before):
    """``now`` against ``before`` in percent, rounded half up to one decimal.

    From nothing to something is new; a missing figure, or nothing on both sides, is n/a.
    200 → 314.90 is +57.5%.
    """
    if now is None or before is None:
        return NOT_AVAILABLE
    if before == 0:
        return NEW if now else NOT_AVAILABLE
    percent = (Decimal(now) - Decimal(before)) * 100 / Decimal(before)
    return Change(percent.quantize(ONE_DECIMAL, ROUND_HALF_UP))


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
