"""The three administrators in a real browser: the 安全管理员 creates a clerk and gives them a
unit; the clerk's first log-in forces a new password; the clerk downloads a table; the 审计管理员
finds both in the audit trail and exports it."""

import pytest
from playwright.sync_api import expect

from audit.models import AuditEvent, Event

pytestmark = pytest.mark.usefixtures("reference_data")
SET_BY_SECURITY = "Xuchang#Start2026"
CHOSEN_BY_CLERK = "Xuchang#Mine2026x"


def test_an_account_made_by_the_security_administrator_is_audited_to_the_download(
    people, security_user, auditor_user, open_period, screenshot
):
    security = people("desktop")
    page = security.log_in("security")
    page.get_by_role("link", name="系统管理").click()
    page = security.open("/admin/auth/user/add/")
    page.locator("#id_username").fill("xuchang9")
    page.locator("#id_password1").fill(SET_BY_SECURITY)
    page.locator("#id_password2").fill(SET_BY_SECURITY)
    page.locator("input[name=_continue]").click()
    expect(page.locator("#id_username")).to_have_value("xuchang9")
    # No flag of superuser or staff, no single permissions: a role and a unit.
    expect(page.locator("#id_is_superuser")).to_have_count(0)
    expect(page.locator("#id_is_staff")).to_have_count(0)
    page.locator("#id_groups_from").select_option(label="市级填报员")
    page.locator("#id_groups_add").click()
    page.locator(".dynamic-ReportingUnit_submitters .select2-selection, "
                 "#ReportingUnit_submitters-0 .select2-selection").first.click()  # fmt: skip
    page.locator(".select2-search__field").fill("许昌")
    page.locator(".select2-results__option", has_text="许昌市").first.click()
    screenshot(page, "security-gives-a-role-and-a-unit")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("xuchang9")

    clerk = people("desktop")
    page = clerk.page
    page.goto(f"{clerk.base}/accounts/login/")
    page.get_by_label("用户名").fill("xuchang9")
    page.get_by_label("密码").fill(SET_BY_SECURITY)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{clerk.base}/accounts/password/change/")
    expect(page.locator(".messages")).to_contain_text("您的密码由管理员设置")
    screenshot(page, "clerk-must-change-the-password")
    page.goto(f"{clerk.base}/reports/2021/patent/")
    expect(page).to_have_url(f"{clerk.base}/accounts/password/change/")
    page.locator("#id_old_password").fill(SET_BY_SECURITY)
    page.locator("#id_new_password1").fill(CHOSEN_BY_CLERK)
    page.locator("#id_new_password2").fill(CHOSEN_BY_CLERK)
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(f"{clerk.base}/accounts/password/change/done/")
    page = clerk.open("/")
    expect(page.locator("table.tasks")).to_contain_text("许昌市")
    page = clerk.open("/reports/2021/patent/")
    with page.expect_download() as download:
        page.locator(".exports a", has_text="CSV").click()
    assert download.value.suggested_filename.endswith(".csv")

    auditor = people("desktop")
    page = auditor.log_in("auditor")
    page.get_by_role("link", name="审计记录").click()
    page.locator("#id_user").fill("xuchang9")
    page.get_by_role("button", name="筛选").click()
    trail = page.locator("table.audit")
    expect(trail).to_contain_text("下载导出")
    expect(trail).to_contain_text("修改密码")
    expect(trail).to_contain_text("登录")
    screenshot(page, "auditor-finds-the-clerk")
    page.locator("#id_user").fill("security")
    page.locator("#id_event").select_option(label="角色变更")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("table.audit")).to_contain_text("市级填报员")
    with page.expect_download() as download:
        page.get_by_role("link", name="导出 CSV").click()
    exported = download.value.path().read_text(encoding="utf-8-sig")
    assert "角色变更" in exported and "xuchang9" in exported
    screenshot(page, "auditor-exports")
    assert AuditEvent.objects.filter(event=Event.DOWNLOAD, username="auditor").count() == 1
    assert AuditEvent.objects.filter(event=Event.PASSWORD_RESET).count() == 0  # set at creation
    created = AuditEvent.objects.get(event=Event.ACCOUNT_CREATED, object_label="xuchang9")
    assert created.username == "security"
