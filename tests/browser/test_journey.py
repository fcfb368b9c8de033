"""The whole loop in a real browser: fill in, submit, return, correct, resubmit, approve, rank."""

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import log_in

pytestmark = pytest.mark.usefixtures("reference_data")


def fill(page, kind, amount, projects, items, enterprises):
    page.locator(f"[name={kind}-amount]").fill(amount)
    page.locator(f"[name={kind}-projects]").fill(projects)
    page.locator(f"[name={kind}-items]").fill(items)
    page.locator(f"[name={kind}-enterprises]").fill(enterprises)


def test_submit_return_correct_resubmit_approve_rank(
    live_server, browser, zhengzhou_submitter, reviewer, open_period, screenshot
):
    base = live_server.url
    contexts = [browser.new_context(locale="zh-CN") for _ in range(2)]
    try:
        journey(base, *(context.new_page() for context in contexts), screenshot)
    finally:
        # Open connections would reach the live server after its test and its database.
        for context in contexts:
            context.close()


def journey(base, submitter, province, screenshot):
    unit_page = f"{base}/periods/2021/410100/"

    # The submitter logs in, finds the task, fills in and submits.
    log_in(submitter, base, "zhengzhou")
    task = submitter.locator("table.tasks tr", has_text="郑州市")
    expect(task).to_contain_text("未开始")
    expect(task).to_contain_text("填写并提交")
    screenshot(submitter, "submitter-home")
    task.get_by_role("link", name="打开").click()
    expect(submitter).to_have_url(unit_page)
    fill(submitter, "patent", "100", "2", "5", "2")
    fill(submitter, "trademark", "0", "0", "0", "")
    screenshot(submitter, "form-filled")
    submitter.get_by_role("button", name="保存并提交").click()
    expect(submitter.locator(".messages")).to_contain_text("已提交，等待省局审核。")
    expect(submitter.locator("#report-state")).to_have_text("已提交")
    screenshot(submitter, "submitted")

    # The reviewer sees it on the board and returns it with a reason.
    log_in(province, base, "reviewer")
    province.goto(f"{base}/periods/2021/board/")
    expect(province.locator("tr[data-state=submitted]")).to_contain_text("郑州市")
    screenshot(province, "board")
    province.get_by_role("link", name="郑州市").click()
    province.get_by_label("退回原因（必填）").fill("专利数与登记台账不一致，请核对。")
    screenshot(province, "review")
    province.get_by_role("button", name="退回修改").click()
    expect(province.locator(".messages")).to_contain_text("郑州市的报表已退回。")

    # The submitter sees the reason, corrects and resubmits.
    submitter.goto(unit_page)
    expect(submitter.locator("#review-comment")).to_contain_text("专利数与登记台账不一致，请核对。")
    screenshot(submitter, "returned")
    submitter.locator("[name=patent-amount]").fill("120.5")
    submitter.locator("[name=patent-items]").fill("6")
    submitter.get_by_role("button", name="保存并提交").click()
    expect(submitter.locator(".messages")).to_contain_text("已提交，等待省局审核。")

    # The reviewer approves.
    province.goto(unit_page)
    expect(province.locator("table.figures")).to_contain_text("120.5")
    province.get_by_role("button", name="审核通过").click()
    expect(province.locator(".messages")).to_contain_text("郑州市的报表已审核通过。")
    expect(province.locator("#report-state")).to_have_text("已审核")
    expect(province.locator(".timeline")).to_contain_text("退回：已提交 → 已退回")
    screenshot(province, "approved")

    # The ranked table shows the new figures, for the submitter too.
    submitter.goto(f"{base}/reports/2021/patent/")
    first_row = submitter.locator("table.ranked tbody tr").first
    expect(first_row).to_have_text(re.compile(r"1\s*郑州市\s*120\.5\s*2\s*6"))
    expect(submitter.locator("table.ranked tr.pinned-row")).to_have_text(
        re.compile(r"合计\s*120\.5\s*2\s*6")
    )
    screenshot(submitter, "ranked-table")


def test_a_submitter_cannot_reach_another_units_report(
    live_server, page, luoyang_submitter, open_period
):
    log_in(page, live_server.url, "luoyang")
    response = page.goto(f"{live_server.url}/periods/2021/410100/")
    assert response.status == 404
