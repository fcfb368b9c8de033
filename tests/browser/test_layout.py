"""Pages fit the screens the clerks use: an office's 1366 px and a phone's 390 px.

The page itself never scrolls sideways; a table wider than its box scrolls inside the box, and
each of its columns can be brought into sight there; a row's links stay in sight as the page
opens; on an office screen the board and a unit's funds fit their box without scrolling.
"""

import datetime

import pytest
from playwright.sync_api import expect

from measures import services as measures
from measures.types import MEASURE_TYPES
from periods.services import grant_extension
from reporting.models import IPKind
from reporting.services import save_figures
from tests.support.browser import PHONE_WIDTH, fits_the_phone
from tests.support.factories import GOOD, CircularFactory
from workflow.services import transition

pytestmark = pytest.mark.usefixtures("reference_data")

OFFICE_AND_PHONE = ["office", "phone"]

# Links of the selector that are not in sight as the page opens: outside the box they scroll
# in, outside the screen, or under something else. The window is scrolled to each link first.
OUT_OF_SIGHT = """(selector) => {
  const hidden = [];
  for (const link of document.querySelectorAll(selector)) {
    window.scrollBy(0, link.getBoundingClientRect().top - innerHeight / 2);
    const box = (link.closest(".table-scroll, .table-container") || document.body)
      .getBoundingClientRect();
    const rect = link.getBoundingClientRect();
    const hit = document.elementFromPoint(
      (rect.left + rect.right) / 2, (rect.top + rect.bottom) / 2
    );
    const inside = rect.left >= box.left && rect.right <= box.right + 0.5 &&
      rect.left >= 0 && rect.right <= innerWidth;
    if (!inside || !hit || !link.contains(hit)) hidden.push(link.textContent.trim());
  }
  window.scrollTo(0, 0);
  return hidden;
}"""

# Columns of the tables of the selector (their heading and first row) that cannot be brought
# into sight: at no position of the box they scroll in is the middle of the cell seen.
OUT_OF_REACH = """(selector) => {
  const unreached = [];
  for (const table of document.querySelectorAll(selector)) {
    const box = table.closest(".table-scroll, .table-container");
    const cells = [...table.querySelectorAll("thead th, tbody tr:first-child > td")];
    for (const cell of cells.filter((cell) => cell.getClientRects().length)) {
      window.scrollBy(0, cell.getBoundingClientRect().top - innerHeight / 2);
      const last = box ? box.scrollWidth - box.clientWidth : 0;
      let seen = false;
      for (let x = 0; !seen && x <= last + 8; x += 8) {
        if (box) box.scrollLeft = Math.min(x, last);
        const rect = cell.getBoundingClientRect();
        const middle = [(rect.left + rect.right) / 2, (rect.top + rect.bottom) / 2];
        const bounds = (box || document.documentElement).getBoundingClientRect();
        const hit = middle[0] >= Math.max(bounds.left, 0) &&
          middle[0] <= Math.min(bounds.right, innerWidth) && document.elementFromPoint(...middle);
        seen = Boolean(hit && cell.contains(hit));
      }
      if (box) box.scrollLeft = 0;
      if (!seen) unreached.push(`${cells.indexOf(cell)}: ${cell.textContent.trim()}`);
    }
  }
  window.scrollTo(0, 0);
  return unreached;
}"""

# How wide the table of the selector is against the box it scrolls in and the card around it.
WIDTHS = """(selector) => {
  const table = document.querySelector(selector);
  const box = table.closest(".table-scroll, .table-container");
  const card = table.closest(".card") || box;
  return {
    table: table.scrollWidth, box: box.clientWidth, boxContent: box.scrollWidth,
    card: card.clientWidth, cardContent: card.scrollWidth,
  };
}"""


def the_page_fits(page):
    """The page is no wider than the screen; on a phone, no short cell breaks its Chinese one
    character per line either."""
    width = page.evaluate("document.documentElement.scrollWidth")
    screen = page.viewport_size["width"]
    assert width <= screen, f"{page.url} is {width} px wide on a screen of {screen} px"
    if screen <= PHONE_WIDTH:
        fits_the_phone(page)


def every_column_in_reach(page, selector="main table"):
    unreached = page.evaluate(OUT_OF_REACH, selector)
    assert unreached == [], f"{page.url}: cells that cannot be brought into sight: {unreached}"


def fits_its_box(page, selector):
    """The table needs no scrolling: it is no wider than its box, nor the box than its card."""
    widths = page.evaluate(WIDTHS, selector)
    assert widths["table"] <= widths["box"], f"{selector} is wider than its box: {widths}"
    assert widths["boxContent"] <= widths["box"], f"{selector} scrolls in its box: {widths}"
    assert widths["cardContent"] <= widths["card"], f"{selector} overflows its card: {widths}"


@pytest.mark.parametrize("screen", OFFICE_AND_PHONE)
def test_the_clerks_home_shows_its_action_links_on_a_phone(
    people, zhengzhou_submitter, open_period, screenshot, screen
):
    clerk = people(screen)
    page = clerk.log_in("zhengzhou")
    links = page.locator("table.tasks a")
    expect(links).to_have_text(["打开", "政策措施"])
    screenshot(page, "home")

    the_page_fits(page)
    hidden = page.evaluate(OUT_OF_SIGHT, "table.tasks a")
    assert hidden == [], f"links out of sight as the page opens: {hidden}"
    every_column_in_reach(page)
    # Scrolled to its end, the table shows its last columns beside the links.
    page.evaluate("document.querySelector('table.tasks').closest('.table-scroll').scrollLeft = 1e4")
    screenshot(page, "home-scrolled")


@pytest.mark.parametrize("screen", OFFICE_AND_PHONE)
def test_the_circulars_and_a_circulars_form_do_not_scroll_the_page_sideways(
    people, administrator_user, open_period, screenshot, screen
):
    circular = CircularFactory(
        attachments=[(open_period, IPKind.PATENT), (open_period, IPKind.TRADEMARK)]
    )
    person = people(screen)
    person.log_in("provadmin")

    page = person.open("/circulars/")
    expect(page.locator("table.circulars tbody tr")).to_have_count(1)
    screenshot(page, "list")
    the_page_fits(page)
    every_column_in_reach(page)

    page = person.open(f"/circulars/{circular.pk}/edit/")
    expect(page.locator("table.attachments tbody tr")).to_have_count(4)  # two, two more blank
    screenshot(page, "edit")
    the_page_fits(page)
    every_column_in_reach(page)


@pytest.mark.parametrize("screen", OFFICE_AND_PHONE)
def test_a_units_funds_show_the_compensation_paid_and_fit_their_card(
    people, zhengzhou_submitter, units, open_period, screenshot, screen
):
    measures.save_item(
        zhengzhou_submitter,
        units["郑州"],
        open_period,
        MEASURE_TYPES["funds"],
        {
            "title": "郑州市知识产权质押融资风险补偿资金",
            "scope": "both",
            "size": "3000",
            "banks": "中国银行郑州分行、中原银行、郑州银行、中国建设银行河南省分行",
            "loans_count": "25",
            "loans_amount": "38200",
            "compensation_paid": "120",
        },
        expected_version=None,
    )
    clerk = people(screen)
    clerk.log_in("zhengzhou")
    page = clerk.open("/measures/2021/410100/")
    funds = page.locator("#funds table")
    expect(funds.locator("thead")).to_contain_text("本期已补偿金额（万元）")
    expect(funds.locator("tbody tr")).to_contain_text("120")
    screenshot(page, "measures")

    the_page_fits(page)
    every_column_in_reach(page, "#funds table")
    if screen == "office":
        fits_its_box(page, "#funds table")


@pytest.mark.parametrize("screen", OFFICE_AND_PHONE)
def test_the_board_fits_its_box_on_an_office_screen(
    people, reviewer, make_submitter, units, open_period, screenshot, screen
):
    # The longest cells the board shows: the demo's names of the clerks (郑州市填报员（演示）),
    # a county's kind (省直管县（市）) and an extended deadline; every report can be approved.
    for unit in units.values():
        clerk = make_submitter(f"u{unit.code}", unit)
        clerk.first_name = f"{unit.name}填报员（演示）"
        clerk.save()
        report = save_figures(clerk, unit, open_period, GOOD, explanation="说明")
        transition(report, "submit", clerk)
    until = open_period.deadline + datetime.timedelta(days=10)
    grant_extension(reviewer, open_period, units["驻马店"], until, "系统故障")

    person = people(screen)
    person.log_in("reviewer")
    page = person.open("/periods/2021/board/")
    expect(page.locator("table.board tbody tr")).to_have_count(len(units))
    expect(page.locator("table.board")).to_contain_text("（延期）")
    screenshot(page, "board")

    the_page_fits(page)
    every_column_in_reach(page, "table.board")
    if screen == "office":
        fits_its_box(page, "table.board")


# The colours of a message's box, as the page paints them.
PAINTED = """(item) => {
  const style = getComputedStyle(item);
  return [style.backgroundColor, style.color];
}"""


def test_a_refused_submission_is_painted_as_an_error_and_a_saved_one_as_news(
    people, zhengzhou_submitter, open_period, screenshot
):
    clerk = people("office")
    clerk.log_in("zhengzhou")
    page = clerk.open("/periods/2021/410100/")
    for name, value in {"amount": "100", "projects": "2", "items": "5", "enterprises": ""}.items():
        page.locator(f"[name=patent-{name}]").fill(value)
    page.get_by_role("button", name="保存并提交").click()
    refusal = page.locator(".messages li")
    expect(refusal).to_contain_text("已保存为草稿，但未能提交")
    expect(refusal).to_have_class("error")
    screenshot(page, "refused")
    assert refusal.evaluate(PAINTED) == ["rgb(255, 235, 233)", "rgb(130, 7, 30)"]

    page.get_by_role("button", name="保存草稿").click()
    news = page.locator(".messages li")
    expect(news).to_have_text("已保存草稿。")
    expect(news).to_have_class("success")
    assert news.evaluate(PAINTED) == ["rgb(218, 251, 225)", "rgb(17, 99, 41)"]
