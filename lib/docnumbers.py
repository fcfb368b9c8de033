"""发文字号 (document numbers) as GB/T 9704-2012 §7.2.4 writes them: 豫知〔2021〕8号."""

import re

DOCUMENT_NUMBER = re.compile(
    r"^\s*(?P<code>\S+?)[〔\[［【(（](?P<year>\d{4})[〕\]］】)）](?P<number>\d+)号\s*$"
)


def parse_document_number(text):
    """``豫知〔2021〕8号`` → ("豫知", 2021, 8); also accepts [], 【】 and () as people type them."""
    match = DOCUMENT_NUMBER.match(text or "")
    if not match:
        raise ValueError(f"not a document number: {text!r}")
    return match["code"], int(match["year"]), int(match["number"])


def format_document_number(code, year, number):
    """The standard form: 六角括号 around the full year, no leading zero in the number."""
    return f"{code}〔{year}〕{number}号"


def normalise_document_number(text):
    """A document number as typed (洛政[2020]05号) in its standard form (洛政〔2020〕5号)."""
    return format_document_number(*parse_document_number(text))
