"""Cells as people type them: amounts in 万元, counts, yes or no, dates, headings; and the
messages every import gives about them."""

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lib.numbers import CENT
from lib.wording import join_sentences


def _normalise_number(text):
    return "".join(unicodedata.normalize("NFKC", str(text)).split()).replace(",", "")


def parse_amount(text):
    """万元 as typed: '1,234.5', ' 1234.50 ', '１２３４', '1234.5万元'. 元 or 亿元 are refused."""
    value = _normalise_number(text)
    if value.endswith("万元"):
        value = value[: -len("万元")]
    elif value.endswith("亿元") or value.endswith("亿") or value.endswith("元"):
        raise ValueError(
            _("金额须以万元为单位，“{text}”未换算，请改为万元。").format(text=str(text).strip())
        )
    elif value.endswith("万"):
        value = value[:-1]
    if value in {"", "-", "—"}:
        return Decimal(0)
    try:
        amount = Decimal(value)
    except InvalidOperation as error:
        raise ValueError(_("“{text}”不是金额。").format(text=str(text).strip())) from error
    if not amount.is_finite():
        raise ValueError(_("“{text}”不是金额。").format(text=str(text).strip()))
    try:
        cents = amount.quantize(CENT)
    except InvalidOperation as error:  # 1e400: a number, too long to be written in 分
        raise ValueError(_("“{text}”不是金额。").format(text=str(text).strip())) from error
    if amount != cents:
        raise ValueError(_("金额“{text}”超过两位小数。").format(text=str(text).strip()))
    return cents


def parse_count(text):
    value = _normalise_number(text)
    for suffix in ("件", "个", "项"):
        if value.endswith(suffix):
            value = value[: -len(suffix)]
    if value in {"", "-", "—"}:
        return 0
    try:
        number = Decimal(value)
    except InvalidOperation as error:
        raise ValueError(_("“{text}”不是整数。").format(text=str(text).strip())) from error
    if not number.is_finite() or number != number.to_integral():
        raise ValueError(_("“{text}”不是整数。").format(text=str(text).strip()))
    return int(number)


YES = {"是", "y", "yes", "true", "1", "√"}
NO = {"否", "n", "no", "false", "0"}


def parse_yes_no(text, *, yes=(), no=()):
    """是 or 否 (y/n, yes/no, true/false, 1/0, √), and the words ``yes`` and ``no`` a column
    adds (中小微, 失效…); ValueError with a message otherwise."""
    value = unicodedata.normalize("NFKC", str(text)).strip().lower()
    if value in YES or value in yes:
        return True
    if value in NO or value in no:
        return False
    raise ValueError(_("请填“是”或“否”，而不是“{text}”。").format(text=str(text).strip()))


DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def parse_date(text):
    """2020-03-05, 2020/3/5, 2020.3.5, 2020年3月5日, 20200305, or an Excel date cell."""
    value = unicodedata.normalize("NFKC", str(text)).strip()
    value = re.sub(r"\s+00:00(:00)?$", "", value)  # a date cell read from XLSX
    match = DATE.match(value) or re.match(r"^(\d{4})(\d{2})(\d{2})$", value)
    if not match and re.fullmatch(r"\d{1,7}(\.\d+)?", value):
        # Excel's serial number of a day (44256 is 2021-03-01), in a cell not styled as a date.
        raise ValueError(
            _(
                "“{text}”是数字，不是日期：该单元格没有设置为日期格式。"
                "请在 Excel 中把该列设置为日期格式，或填写 2021-03-01 这样的日期。"
            ).format(text=str(text).strip())
        )
    if not match:
        raise ValueError(_("“{text}”不是日期（如 2020-03-05）。").format(text=str(text).strip()))
    try:
        return datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as error:
        raise ValueError(_("“{text}”不是有效日期。").format(text=str(text).strip())) from error


def total_mismatch(line, heading, expected, actual):
    """The message of a 合计 row whose figure is not the sum of the rows, or None when it is.
    Amounts (Decimal) are written as amounts, counts as they are."""
    if expected == actual:
        return None
    from lib.numbers import format_amount

    shown = format_amount if isinstance(expected, Decimal) else str
    return _("第 {row} 行合计的“{heading}”为 {total}，各行之和为 {sum}，相差 {diff}。").format(
        row=line,
        heading=heading,
        total=shown(expected),
        sum=shown(actual),
        diff=shown(expected - actual),
    )


def heading_key(text):
    return "".join(unicodedata.normalize("NFKC", text).split())


def portable_limit_error(model_field, value):
    """The integer range every supported database enforces (SQLite alone would take more)."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    bounds = BaseDatabaseOperations.integer_field_ranges.get(model_field.get_internal_type())
    if bounds is None or not isinstance(value, int) or bounds[0] <= value <= bounds[1]:
        return None
    return _("{value} 超出允许的范围（{low}–{high}）。").format(
        value=value, low=bounds[0], high=bounds[1]
    )


def refusal_message(unit, error):
    """One unit's refusal at confirmation, as the import's message names it."""
    if isinstance(error, ValidationError):
        text = join_sentences(
            message for messages in error.message_dict.values() for message in messages
        )
    else:
        text = getattr(error, "message", None) or str(error)
    return _("{unit}：{reason}").format(unit=unit.name, reason=text)
