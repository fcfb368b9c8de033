from decimal import Decimal

import pytest

from lib.numbers import escape_formula, format_amount


@pytest.mark.parametrize(
    ("amount", "printed"),
    [
        ("50000.00", "50000"),
        ("37209.56", "37209.56"),
        ("488.82", "488.82"),
        ("5642.70", "5642.7"),
        ("0", "0"),
        ("0.01", "0.01"),
    ],
)
def test_amounts_print_as_the_circular_prints_them(amount, printed):
    assert format_amount(Decimal(amount)) == printed


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("==1+1", "'==1+1"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-3", "-3"),
        ("+113.6%", "+113.6%"),
        ("-2.9%", "-2.9%"),
        ("洛阳市", "洛阳市"),
        (42, 42),
    ],
)
def test_formula_cells_are_escaped_and_signed_numbers_are_not(cell, safe):
    assert escape_formula(cell) == safe
