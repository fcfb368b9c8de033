"""The measures in a real browser: a city clerk reports an event and a policy with its document,
fixes what the form refuses and submits; the reviewer returns the report with a reason and the
clerk sees it; the province reads the matrix. On a desktop and on a phone."""

import pytest
from playwright.sync_api import expect

from measures.models import MeasureReport
from tests.support.browser import SCREENS, fits_the_phone
from workflow.models import ReportState

pytestmark = pytest.mark.usefixtures("reference_data")

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.mark.parametrize("screen", SCREENS)
def test_a_clerk_reports_measures_and_the_reviewer_returns_them_with_a_reason(
    people,  # noqa: F811
    zhengzhou_submitter,
    reviewer,
    open_period,
    screenshot,
    screen,
):
    clerk = people(screen)
    page = clerk.log_in("zhengzhou")
    page.locator("table.tasks a", has_text="政策措施").click()
    expect(page).to_have_url(f"{clerk.base}/measures/2021/410100/")
    expect(page.locator("#report-state")).to_have_text("未开始")
    screenshot(page, "empty")

    # An event dated outside the period is refused, and nothing is saved.
    page.get_by_role("link", name="添加活动").click()
    page.get_by_label("活动类型").select_option(label="银企对接")
    page.get_by_label("活动名称").fill("郑州市知识产权银企对接会")
    page.get_by_label("举办日期").fill("2022-03-01")
    page.get_by_label("地点").fill("郑州市")
    page.get_by_label("主办单位").fill("郑州市市场监督管理局")
    page.get_by_label("参加企业（家）").fill("45")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".error")).to_have_text(
        "举办日期应在本报送周期内（2021-01-01 至 2021-12-31）。"
    )
    assert not MeasureReport.objects.filter(unit__code="410100").exists()
    page.get_by_label("举办日期").fill("2021-09-10")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_contain_text("已保存：郑州市知识产权银企对接会。")

    # A policy: a picture passed off as a PDF is refused; the real PDF is kept, its 文号
    # written in the standard form.
    page.get_by_role("link", name="添加政策措施").click()
    page.get_by_label("政策名称").fill("郑州市知识产权质押贷款贴息办法")
    page.get_by_label("发文机关").fill("郑州市人民政府办公厅")
    page.get_by_label("文号").fill("郑政办[2021]07号")
    page.get_by_label("印发日期").fill("2021-03-15")
    page.get_by_label("类型").select_option(label="贴息")
    document = page.get_by_label("附件（PDF、DOCX 或 OFD）")
    document.set_input_files(
        files=[{"name": "办法.pdf", "mimeType": "application/pdf", "buffer": b"\x89PNG\r\n\x1a\n"}]
    )
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".error")).to_have_text(
        "只接收 PDF、DOCX 或 OFD 格式的文件（按文件内容识别，不看扩展名）。"
    )
    document.set_input_files(
        files=[{"name": "办法.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="保存").click()
    policies = page.locator("#policies table")
    expect(policies).to_contain_text("郑政办〔2021〕7号")
    with page.expect_download() as download:
        policies.get_by_role("link", name="下载").click()
    assert download.value.suggested_filename == "办法.pdf"
    if screen == "phone":
        fits_the_phone(page)
    screenshot(page, "two-items")

    page.get_by_role("button", name="提交本期政策措施").click()
    expect(page.locator("#report-state")).to_have_text("已提交")
    expect(page.get_by_role("link", name="添加活动")).to_have_count(0)

    # The reviewer finds it in the matrix, opens it and returns it with a reason.
    province = people(screen)
    page = province.log_in("reviewer")
    page.locator("table.periods a", has_text="政策措施").click()
    row = page.locator("table.measure-matrix tr", has_text="郑州市")
    expect(row).to_contain_text("待审")
    if screen == "phone":
        fits_the_phone(page)
    screenshot(page, "matrix")
    row.get_by_role("link", name="郑州市").click()
    page.get_by_label("退回原因（必填）").fill("请补充活动的放贷金额。")
    page.get_by_role("button", name="退回修改").click()
    expect(page.locator("#report-state")).to_have_text("已退回")
    report = MeasureReport.objects.get(unit__code="410100")
    assert report.state == ReportState.RETURNED

    page = clerk.open("/measures/2021/410100/")
    expect(page.locator("#review-comment")).to_contain_text("请补充活动的放贷金额。")
    expect(page.get_by_role("link", name="添加活动")).to_be_visible()
    screenshot(page, "returned")
