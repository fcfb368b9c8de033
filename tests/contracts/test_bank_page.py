"""The bank ranking's page: which filter (专利 · 商标 · 全部) is shown, and its headings."""

import re

import pytest
from django.conf import settings
from django.utils import translation
from stdnum.cn import uscc

from contracts.imports import apply_contracts, parse_contracts
from reporting.models import IPKind
from tests.support.factories import ReportingPeriodFactory, add_figures
from workflow.models import ReportState

pytestmark = pytest.mark.django_db

FILTER = re.compile(r'<a href="([^"]*)"( class="active" aria-current="page")?>([^<]*)</a>')
HEADINGS = ["排名", "银行", "金额（万元）", "项目数", "服务企业数", "分支机构数"]


@pytest.fixture
def period(db):
    return ReportingPeriodFactory(year=2020)


@pytest.fixture
def reviewer_client(client, reviewer, period):
    client.force_login(reviewer)
    return client


@pytest.fixture
def ranked(period, reviewer, units):
    """洛阳's 2020 report, approved, with one patent contract: one bank to rank."""
    add_figures(units["洛阳"], period, IPKind.TRADEMARK, "0", 0, 0, state=ReportState.DRAFT)
    body = "91410300MA0000001"
    rows = [
        ["地市", "类别", "出质人", "统一社会信用代码", "质权人（银行）", "质押登记号", "件数",
         "金额（万元）", "质权设立日"],
        ["洛阳", "专利", "企业1", body + uscc.calc_check_digit(body), "中国银行洛阳分行",
         "Y2020000001", "2", "500", "2020-03-05"],
    ]  # fmt: skip
    apply_contracts(parse_contracts(rows, period), reviewer, "a.csv", approve=True)


def filters(page):
    """(link, label, marked as shown) of each filter of the page."""
    span = page.split('<span class="view-filter">')[1].split("</span>")[0]
    return [(href, label, bool(marked)) for href, marked, label in FILTER.findall(span)]


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("", "全部"),
        ("?kind=patent", "专利"),
        ("?kind=trademark", "商标"),
        ("?kind=", "全部"),
        ("?kind=brand", "全部"),  # an unknown kind shows them all, and says so
        ("?kind=PATENT", "全部"),
    ],
)
def test_the_filter_shown_is_marked_and_no_other(reviewer_client, query, shown):
    page = reviewer_client.get(f"/reports/2020/banks/{query}").content.decode()
    assert filters(page) == [
        ("?kind=patent", "专利", shown == "专利"),
        ("?kind=trademark", "商标", shown == "商标"),
        ("?", "全部", shown == "全部"),
    ]


@pytest.fixture
def english_words(monkeypatch):
    """The English catalogue, lent the headings' words for the test (its .po file may not have
    them yet): a heading the page does not translate stays Chinese."""
    catalogue = translation.trans_real.translation("en")._catalog._catalogs[0]
    words = {heading: f"EN {heading}" for heading in HEADINGS}
    for heading, word in words.items():
        monkeypatch.setitem(catalogue, heading, word)
    return words


def test_the_english_page_and_its_exports_translate_the_headings(
    reviewer_client, ranked, english_words
):
    reviewer_client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
    page = reviewer_client.get("/reports/2020/banks/").content.decode()
    head = page.split("<thead>")[1].split("</thead>")[0]
    assert re.findall(r"<th>([^<]*)</th>", head) == [english_words[h] for h in HEADINGS]
    exported = reviewer_client.get("/reports/2020/banks/?_export=csv").content.decode("utf-8-sig")
    assert exported.splitlines() == [
        ",".join(english_words[h] for h in HEADINGS),
        "1,中国银行,500,1,1,1",
    ]


def test_the_chinese_page_keeps_its_headings(reviewer_client, ranked):
    page = reviewer_client.get("/reports/2020/banks/").content.decode()
    head = page.split("<thead>")[1].split("</thead>")[0]
    assert re.findall(r"<th>([^<]*)</th>", head) == HEADINGS
