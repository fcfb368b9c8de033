"""Every kind of page in a real browser under the Content-Security-Policy.

A city submitter, a provincial reviewer and the administrator walk the portal and the admin on
the local demo. Chromium reports what the policy blocks in its console ("Refused to apply inline
style because it violates the following Content Security Policy directive …"); no page may
show such a message nor a script error, every page must carry the policy, and what the pages do
with their scripts and styles must still work.
"""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import expect

from accounts import demo as accounts_demo
from circulars.models import Circular
from periods.models import ReportingPeriod
from reporting.models import PledgeReport, ProvinceBenchmark
from tests.support.browser import log_in
from tests.support.crawl import FIGURES_CSV, ZHENGZHOU_CSV, contracts_csv
from tests.support.pages import POLICY, directives

pytestmark = pytest.mark.usefixtures("reference_data")


class Walk:
    """One person's browser: every page it opens is checked as it loads."""

    def __init__(self, browser, base, who):
        self.base, self.who = base, who
        self.context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.problems = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self._note(f"script error: {error}"))
        self.page.on("response", self._response)

    def _note(self, problem):
        self.problems.append(f"{self.who} on {self.page.url}: {problem}")

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self._note(message.text)

    def _response(self, response):
        if response.request.resource_type != "document":
            return
        header = response.headers.get("content-security-policy")
        if header is None:
            self._note(f"{response.url} ({response.status}) without Content-Security-Policy")
        elif directives(header) != POLICY:
            self._note(f"{response.url} has another policy: {header}")

    def open(self, path, status=200):
        response = self.page.goto(self.base + path)
        assert response.status == status, f"{self.who}: {path} answered {response.status}"
        if status == 200:  # the portal's or the admin's page, with its stylesheet
            expect(self.page.locator("link[rel=stylesheet]").first).to_be_attached()
        return self.page

    def log_in(self, username):
        page = self.open("/accounts/login/")
        header = page.locator(".site-header")
        expect(header).to_have_css("border-bottom-color", "rgb(179, 18, 29)")
        log_in(page, self.base, username, accounts_demo.DEMO_PASSWORD)

    def upload(self, path, name, content, **choices):
        page = self.open(path)
        page.locator("input[type=file]").set_input_files(
            {"name": name, "mimeType": "text/csv", "buffer": content}
        )
        for field, value in choices.items():
            page.locator(f"[name={field}]").select_option(value)
        page.locator("button[type=submit].primary, input[type=submit]").last.click()
        page.wait_for_load_state()
        return page


@pytest.fixture
def demo_site(live_server):
    with override_settings(DEBUG=True):  # the local demo: its accounts and the open 2021
        call_command("loaddemo", stdout=io.StringIO())
    return live_server.url


@pytest.fixture
def signed_in(browser, demo_site):
    """signed_in(username): that person's browser, signed in; closed after the test."""
    walks = []

    def start(username):
        walks.append(Walk(browser, demo_site, username))
        walks[-1].log_in(username)
        return walks[-1]

    yield start
    for each in walks:
        each.context.close()


def assert_clean(*walks):
    problems = [problem for walk in walks for problem in walk.problems]
    assert not problems, "\n".join(dict.fromkeys(problems))


def test_the_city_submitters_pages_run_within_the_policy(signed_in, demo_site, screenshot):
    period = str(ReportingPeriod.objects.by_slug("2021").get().pk)
    walk = signed_in("zhengzhou")
    page = walk.open("/")
    screenshot(page, "home")
    page = walk.open("/periods/2021/410100/")
    expect(page.locator("[name=patent-amount]")).to_be_visible()
    walk.open("/periods/2021/410100/contracts/")
    walk.open("/reports/2021/patent/")
    page = walk.upload("/imports/", "郑州.csv", ZHENGZHOU_CSV, period=period, kind="patent")
    expect(page.locator("form[action$='/confirm/']")).to_be_attached()  # the preview
    screenshot(page, "import-preview")
    rows = contracts_csv([("41.5", "2021-05-01")], with_unit=True)
    page = walk.upload("/contracts/import/", "合同.csv", rows, period=period)
    expect(page.locator("form[action$='/confirm/']")).to_be_attached()
    walk.open("/accounts/password/change/")
    walk.open("/periods/2021/410300/", status=404)  # another unit's report
    walk.open("/analysis/", status=403)
    assert_clean(walk)


def test_the_reviewers_pages_run_within_the_policy(signed_in, demo_site, screenshot):
    period = str(ReportingPeriod.objects.by_slug("2021").get().pk)
    walk = signed_in("reviewer")
    walk.open("/")
    page = walk.open("/periods/2021/board/")
    expect(page.locator("input[type=checkbox][form=bulk-approve]").first).to_be_attached()
    screenshot(page, "board")
    page = walk.open("/periods/2021/410300/")  # 洛阳: submitted, to review
    expect(page.locator("#report-state")).to_have_text("已提交")
    walk.open("/reports/2021/patent/?provisional=1")
    walk.open("/reports/2021/banks/")
    for path in ("/analysis/", "/analysis/units/410100/", "/analysis/2021/patent/"):
        page = walk.open(path)
        chart = page.locator("svg[role=img]").first
        expect(chart).to_be_visible()
        assert chart.bounding_box()["width"] > 300, f"{path}: the chart is drawn at its size"
        assert chart.locator("rect, polyline").count() > 0, f"{path}: the chart has its marks"
    screenshot(page, "comparison-chart")
    page = walk.open("/circulars/")
    page.locator("main a[href^='/circulars/'][href$='/']").first.click()
    page.wait_for_load_state()
    detail = page.url.removeprefix(demo_site)
    walk.open(detail)
    walk.open("/circulars/new/", status=403)  # the administrator drafts circulars
    page = walk.upload("/imports/", "全省.csv", FIGURES_CSV, period=period, kind="patent")
    expect(page.locator("form[action$='/confirm/']")).to_be_attached()
    assert_clean(walk)


def test_the_administrators_pages_run_within_the_policy(signed_in, demo_site, screenshot):
    report = PledgeReport.objects.filter(period__year=2021, unit__code="410300").get()
    record = report.history.order_by("history_id").first().history_id
    walk = signed_in("admin")
    page = walk.open("/admin/")
    # The admin's sidebar folds away by its script.
    page = walk.open("/admin/periods/reportingperiod/")
    main = page.locator("#main")
    had = "shifted" in (main.get_attribute("class") or "")
    page.locator("#toggle-nav-sidebar").click()
    assert ("shifted" in (main.get_attribute("class") or "")) != had

    # The changelist's "select all" ticks every row for an action.
    page.locator("#action-toggle").check()
    rows = page.locator("input.action-select")
    assert rows.count() >= 2
    for n in range(rows.count()):
        expect(rows.nth(n)).to_be_checked()
    expect(page.locator(".action-counter")).to_contain_text(str(rows.count()))
    screenshot(page, "changelist")

    # The delete page's "No, take me back" goes back by its script.
    benchmark = f"/admin/reporting/provincebenchmark/{ProvinceBenchmark.objects.first().pk}"
    walk.open(f"{benchmark}/change/")
    page = walk.open(f"{benchmark}/delete/")
    page.locator("a.cancel-link").click()
    expect(page).to_have_url(f"{demo_site}{benchmark}/change/")

    page = walk.open(f"/admin/reporting/pledgereport/{report.pk}/history/")
    expect(page.locator("p.paginator")).to_have_css("border-top-width", "0px")
    screenshot(page, "history")
    walk.open(f"/admin/reporting/pledgereport/{report.pk}/history/{record}/")
    walk.open(f"/admin/reporting/pledgereport/{report.pk}/change/")

    # Accounts are the 安全管理员's: the 系统管理员 is refused them.
    user = report.unit.submitters.first()
    walk.open(f"/admin/auth/user/{user.pk}/change/", status=403)

    page = walk.open("/admin/reporting/pledgereport/")
    expect(page.locator("a[href='/imports/']")).to_be_attached()

    # The export form's "select all" clears and ticks every field.
    page = walk.open("/admin/contracts/pledgecontract/export/")
    toggle = page.locator("input.select-toggle")
    fields = page.locator(".selectable-field-export-row input[type=checkbox]:not(.select-toggle)")
    assert fields.count() >= 2
    expect(page.locator("label[for=select-all-toggle]")).to_have_css("font-weight", "700")
    toggle.uncheck()
    for n in range(fields.count()):
        expect(fields.nth(n)).not_to_be_checked()
    toggle.check()
    for n in range(fields.count()):
        expect(fields.nth(n)).to_be_checked()
    screenshot(page, "export")
    page = walk.open("/circulars/new/")
    expect(page.locator("textarea").first).to_be_visible()
    circular = Circular.objects.order_by("pk").first()
    walk.open(f"/circulars/{circular.pk}/")
    walk.open(f"/circulars/{circular.pk}/edit/")
    walk.open("/admin/reporting/nothing-here/", status=404)
    assert_clean(walk)

    # A user's units are chosen with the admin's autocomplete (select2, a script), by the
    # 安全管理员.
    walk = signed_in("security")
    page = walk.open(f"/admin/auth/user/{user.pk}/change/")
    expect(page.locator(".select2-container").first).to_be_visible()
    walk.open("/admin/axes/accessattempt/")
    assert_clean(walk)
