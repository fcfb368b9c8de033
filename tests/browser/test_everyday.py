"""Everyday use in a real browser, on a desktop and on a phone (390 px wide).

A city clerk fills in a report beside last year's figures and is warned as they type; a
reviewer approves from the board with the select-all box and the confirmation step; pages fit
a phone's width without breaking Chinese one character per line; the board and a report print
on one A4 page.
"""

import io
import unicodedata
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import expect

from accounts import demo as accounts_demo
from reporting.models import IPKind, PledgeReport
from reporting.services import Figures, save_figures
from tests.support.browser import SCREENS, fits_the_phone
from tests.support.factories import ReportingPeriodFactory, add_figures
from workflow.models import ReportState
from workflow.services import transition

pytestmark = pytest.mark.usefixtures("reference_data")


@pytest.fixture
def zhengzhou_last_year(units):
    """郑州's 2020: 50 万元 of patents in 1 project, 4 patents; no trademarks."""
    last_year = ReportingPeriodFactory(year=2020)
    add_figures(units["郑州"], last_year, IPKind.PATENT, "50", 1, 4)
    add_figures(units["郑州"], last_year, IPKind.TRADEMARK, "0", 0, 0)
    return last_year


@pytest.mark.parametrize("screen", SCREENS)
def test_a_city_clerk_fills_in_beside_last_years_figures_and_is_warned_as_they_type(
    people, zhengzhou_submitter, open_period, zhengzhou_last_year, screenshot, screen
):
    clerk = people(screen)
    page = clerk.log_in("zhengzhou")
    if screen == "phone":
        fits_the_phone(page)
    task = page.locator("table.tasks tr", has_text="未开始")
    expect(task).to_contain_text("郑州市")
    task.get_by_role("link", name="打开").click()
    expect(page).to_have_url(f"{clerk.base}/periods/2021/410100/")
    amount = page.locator("[name=patent-amount]")
    amount_cell = page.locator("td", has=amount)
    expect(amount_cell.locator(".last-year")).to_have_text("上年同期：50")
    expect(page.locator("td", has=page.locator("[name=patent-items]"))).to_contain_text(
        "上年同期：4"
    )
    warning = amount_cell.locator(".change-warning")
    expect(warning).to_be_hidden()

    # The limit is the server's: more than ±50% once rounded half up to one decimal.
    for typed, shown in [
        ("75", None),  # +50.0%
        ("75.02", None),  # +50.04% → +50.0%
        ("75.03", "+50.1%"),  # +50.06% → +50.1%
        ("24.98", None),  # -50.04% → -50.0%
        ("24.97", "-50.1%"),
        ("0", "-100.0%"),
        ("100", "+100.0%"),
    ]:
        amount.fill(typed)
        if shown is None:
            expect(warning).to_be_hidden()
        else:
            expect(warning).to_have_text(f"专利：质押金额（万元）较上年同期（50）变动 {shown}。")
    # From nothing to something is new.
    trademarks = page.locator("[name=trademark-amount]")
    trademarks.fill("12.50")
    expect(page.locator("td", has=trademarks).locator(".change-warning")).to_have_text(
        "商标：质押金额（万元）上年同期为 0，本期为 12.5。"
    )
    trademarks.fill("0")
    expect(page.locator("td", has=trademarks).locator(".change-warning")).to_be_hidden()

    page.locator("[name=patent-projects]").fill("1")
    page.locator("[name=patent-items]").fill("4")
    page.locator("[name=patent-enterprises]").fill("1")
    page.locator("[name=trademark-projects]").fill("0")
    page.locator("[name=trademark-items]").fill("0")
    if screen == "phone":
        fits_the_phone(page)
    screenshot(page, "warned-as-typed")

    # The server says the same, and wants a word before the report goes in.
    page.get_by_role("button", name="保存并提交").click()
    expect(page.locator(".messages")).to_contain_text(
        "已保存为草稿，但未能提交：以下情况须在“上报说明”中说明原因后才能提交："
        "专利：质押金额（万元）较上年同期（50）变动 +100.0%。"
    )
    expect(page.locator("#warnings")).to_contain_text("较上年同期（50）变动 +100.0%")
    expect(warning).to_have_text("专利：质押金额（万元）较上年同期（50）变动 +100.0%。")
    page.get_by_label("上报说明").fill("新增一家企业以专利组合质押贷款 50 万元。")
    page.get_by_role("button", name="保存并提交").click()
    expect(page.locator(".messages")).to_contain_text("已提交，等待省局审核。")
    expect(page.locator("#report-state")).to_have_text("已提交")
    if screen == "phone":
        fits_the_phone(page)
    screenshot(page, "submitted")


FIGURES = {
    IPKind.PATENT: Figures(Decimal("120"), 2, 5, 2),
    IPKind.TRADEMARK: Figures(Decimal("0"), 0, 0),
}


def submitted(make_submitter, unit, period, explanation=""):
    user = make_submitter(f"u{unit.code}", unit)
    report = save_figures(user, unit, period, FIGURES, explanation=explanation)
    transition(report, "submit", user)
    return report


@pytest.mark.parametrize("screen", SCREENS)
def test_a_reviewer_approves_from_the_board_with_select_all_and_a_confirmation(
    people, reviewer, make_submitter, units, open_period, screenshot, screen
):
    last_year = ReportingPeriodFactory(year=2020)
    add_figures(units["周口"], last_year, IPKind.PATENT, "40", 1, 1)
    submitted(make_submitter, units["洛阳"], open_period)
    submitted(make_submitter, units["周口"], open_period, explanation="新增两家企业质押。")
    save_figures(make_submitter("kaifeng", units["开封"]), units["开封"], open_period, FIGURES)

    person = people(screen)
    person.log_in("reviewer")
    page = person.open("/periods/2021/board/")
    boxes = page.locator("input[type=checkbox][form=bulk-approve]")
    expect(boxes).to_have_count(2)
    select_all = page.get_by_role("checkbox", name="全选")
    if screen == "phone":
        fits_the_phone(page)
    select_all.check()
    for n in range(2):
        expect(boxes.nth(n)).to_be_checked()
    boxes.first.uncheck()
    expect(select_all).not_to_be_checked()
    select_all.check()
    expect(boxes.first).to_be_checked()
    screenshot(page, "board-all-selected")

    page.get_by_role("button", name="批量审核通过所选报表").click()
    expect(page.locator("h1")).to_have_text("确认批量审核通过")
    rows = page.locator("table.approve-confirm tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("洛阳市")
    expect(rows.nth(1)).to_contain_text("周口市")
    expect(rows.nth(1)).to_contain_text("专利：质押金额（万元）较上年同期（40）变动 +200.0%。")
    expect(rows.nth(1)).to_contain_text("上报说明：新增两家企业质押。")
    if screen == "phone":
        fits_the_phone(page)
    screenshot(page, "confirmation")
    this_year = PledgeReport.objects.filter(period=open_period)
    assert set(this_year.values_list("state", flat=True)) == {
        ReportState.SUBMITTED,
        ReportState.DRAFT,
    }

    page.get_by_role("button", name="确认审核通过").click()
    expect(page.locator(".messages")).to_contain_text("已审核通过 2 份报表。")
    expect(page.locator("tr[data-state=approved]")).to_have_count(2)
    expect(page.locator("tr[data-state=approved] .state").first).to_have_text("已审核")
    # Nothing is left to approve: no boxes, no button.
    expect(page.get_by_role("button", name="批量审核通过所选报表")).to_have_count(0)
    expect(page.locator("input[type=checkbox]")).to_have_count(0)
    if screen == "phone":
        fits_the_phone(page)
    screenshot(page, "approved")


def test_the_board_and_the_form_work_without_javascript(
    people, reviewer, zhengzhou_submitter, make_submitter, units, open_period, zhengzhou_last_year
):
    submitted(make_submitter, units["洛阳"], open_period)
    submitted(make_submitter, units["周口"], open_period)

    person = people("desktop", javascript=False)
    person.log_in("reviewer")
    page = person.open("/periods/2021/board/")
    expect(page.locator("input.select-all")).to_be_hidden()
    page.get_by_role("checkbox", name="周口市").check()
    page.get_by_role("button", name="批量审核通过所选报表").click()
    expect(page.locator("table.approve-confirm tbody tr")).to_have_count(1)
    page.get_by_role("link", name="返回").click()
    expect(page.locator("tr[data-state=submitted]")).to_have_count(2)
    page.get_by_role("checkbox", name="洛阳市").check()
    page.get_by_role("button", name="批量审核通过所选报表").click()
    page.get_by_role("button", name="确认审核通过").click()
    expect(page.locator(".messages")).to_contain_text("已审核通过 1 份报表。")
    this_year = PledgeReport.objects.filter(period=open_period)
    states = dict(this_year.values_list("unit__short_name", "state"))
    assert states == {"洛阳": ReportState.APPROVED, "周口": ReportState.SUBMITTED}

    clerk = people("desktop", javascript=False)
    page = clerk.log_in("zhengzhou")
    page = clerk.open("/periods/2021/410100/")
    expect(page.locator(".last-year").first).to_have_text("上年同期：50")
    page.locator("[name=patent-amount]").fill("100")
    expect(page.locator(".change-warning").first).to_be_hidden()  # the server says it instead


def pdf_pages(pdf):
    """The pages of a PDF: (width, height) in points, and the text of each (NFKC: the fonts map
    some characters to their Kangxi radical look-alikes, 金 to ⾦)."""
    from pdfminer.high_level import extract_pages

    pages = []
    for layout in extract_pages(io.BytesIO(pdf)):
        text = "".join(element.get_text() for element in layout if hasattr(element, "get_text"))
        size = (round(layout.width), round(layout.height))
        pages.append((size, unicodedata.normalize("NFKC", text)))
    return pages


A4_PORTRAIT, A4_LANDSCAPE = (595, 842), (842, 595)


def test_the_board_of_every_unit_and_a_report_print_on_one_a4_page(
    people, reviewer, make_submitter, units, open_period, screenshot
):
    # Every unit has a report, with the longest cells the board shows.
    user = make_submitter("all", *units.values())
    user.first_name, user.last_name = "各地市", "填报员"
    user.save()
    for unit in units.values():
        report = save_figures(user, unit, open_period, FIGURES, explanation="说明")
        transition(report, "submit", user)
    person = people("desktop")
    person.log_in("reviewer")
    page = person.open("/periods/2021/board/")
    pages = pdf_pages(page.pdf(prefer_css_page_size=True))
    assert [size for size, _text in pages] == [A4_LANDSCAPE]
    text = pages[0][1]
    assert "2021年报送进度" in text and "410100" in text and "419001" in text
    for left_out in ("首页", "修改密码", "筛选", "批量审核通过所选报表", "河南省知识产权局"):
        assert left_out not in text
    page.emulate_media(media="print")
    screenshot(page, "board-printed")

    page = person.open("/periods/2021/410100/")
    pages = pdf_pages(page.pdf(prefer_css_page_size=True))
    assert [size for size, _text in pages] == [A4_PORTRAIT]
    text = pages[0][1]
    assert "郑州市 2021年质押融资报表" in text and "质押金额" in text
    for left_out in ("首页", "审核通过", "退回原因", "延期报送", "允许延期"):
        assert left_out not in text


@pytest.fixture
def local_demo(live_server):
    with override_settings(DEBUG=True):  # the local demo: its accounts and the open 2021
        call_command("loaddemo", stdout=io.StringIO())


PHONE_JOURNEYS = {
    "zhengzhou": [
        "/",
        "/periods/2021/410100/",
        "/reports/2021/patent/",
        "/contracts/import/",
        "/analysis/units/410100/",
    ],
    "reviewer": [
        "/",
        "/periods/2021/board/",
        "/periods/2021/410300/",
        "/reports/2021/patent/",
        "/reports/2021/banks/",
        "/analysis/",
        "/analysis/2021/patent/",
        "/analysis/units/410100/",
        "/contracts/import/",
    ],
}


def test_every_journey_fits_a_phone(people, local_demo, screenshot):
    for username, paths in PHONE_JOURNEYS.items():
        person = people("phone")
        person.log_in(username, accounts_demo.DEMO_PASSWORD)
        for path in paths:
            page = person.open(path)
            fits_the_phone(page)
            screenshot(page, f"{username}{path.replace('/', '-')}".rstrip("-"))
