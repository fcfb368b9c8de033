"""The second factor in a real browser: a reviewer enrols right after the password (the test
reads the secret from the page and computes the codes, as an authenticator would), saves the
recovery codes, and logs in again with a code."""

import pytest
from playwright.sync_api import expect

from tests.support.factors import code, secret_key

pytestmark = pytest.mark.usefixtures("reference_data")


def password(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("pw")
    page.get_by_role("button", name="登录").click()


def test_a_reviewer_enrols_then_logs_in_with_a_code(live_server, people, reviewer, screenshot):
    base = live_server.url
    page = people("desktop").page
    password(page, base, "reviewer")
    expect(page).to_have_url(f"{base}/accounts/login/enrol/")
    expect(page.locator("figure.qr svg")).to_be_visible()
    screenshot(page, "enrol-after-the-password")
    page.goto(f"{base}/reports/2021/patent/")
    expect(page).to_have_url(f"{base}/accounts/login/?next=/reports/2021/patent/")

    page.goto(f"{base}/accounts/login/enrol/")
    key = secret_key(page.locator("#totp-secret").inner_text())
    page.get_by_label("验证码").fill("000000")
    page.get_by_role("button", name="启用").click()
    expect(page.locator(".error")).to_contain_text("验证码不正确")
    page.get_by_label("验证码").fill(code(key))
    page.get_by_role("button", name="启用").click()
    expect(page).to_have_url(f"{base}/accounts/second-factor/recovery-codes/")
    expect(page.locator("ol.recovery-codes li")).to_have_count(10)
    screenshot(page, "recovery-codes-shown-once")
    page.get_by_role("link", name="我已保存，继续").click()
    expect(page).to_have_url(f"{base}/")
    page.locator("header form button", has_text="退出").click()

    password(page, base, "reviewer")
    expect(page).to_have_url(f"{base}/accounts/login/code/")
    page.get_by_label("验证码").fill(code(key, step_offset=1))
    screenshot(page, "code-after-the-password")
    page.get_by_role("button", name="验证并登录").click()
    expect(page).to_have_url(f"{base}/")
    page.goto(f"{base}/accounts/second-factor/")
    expect(page.locator("main")).to_contain_text("剩余恢复码 10 个")
