"""Single sign-on in a real browser through a real CAS server (django-mama-cas, on the loopback,
with users of its own): a clerk and a reviewer log in through the platform, an unknown and a
disabled user are refused, and single log-out works both ways."""

import copy

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.support.cas import PLATFORM_PASSWORD, MamaCAS

pytestmark = pytest.mark.usefixtures("reference_data")

PLATFORM_USERS = {"zhengzhou": "HN0001", "reviewer": "HN0002", "stranger": "HN0003",
                  "leaver": "HN0004"}  # fmt: skip


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    server = MamaCAS(tmp_path_factory.mktemp("cas"), PLATFORM_USERS)
    yield server
    server.stop()


@pytest.fixture
def portal(live_server, platform, settings):
    settings.CAS_SERVER_URL = platform.url
    # As config/settings.py words the policy when the platform is set.
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"].append(platform.url.removesuffix("/cas/"))
    settings.CONTENT_SECURITY_POLICY = policy
    return live_server.url


def platform_log_in(page, base, username, screenshot=None, shot=""):
    page.goto(f"{base}/accounts/login/")
    page.get_by_role("link", name="统一身份认证登录").click()
    expect(page.locator("h1")).to_have_text("统一身份认证平台（测试）")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PLATFORM_PASSWORD)
    if screenshot:
        screenshot(page, shot)
    page.get_by_role("button", name="平台登录").click()


def test_a_clerk_and_a_reviewer_log_in_through_the_platform(
    portal, platform, people, zhengzhou_submitter, reviewer, open_period, screenshot
):
    clerk = people("desktop").page
    login_page = clerk.goto(f"{portal}/accounts/login/")
    assert login_page.status == 200
    screenshot(clerk, "login-page-with-single-sign-on")
    platform_log_in(clerk, portal, "zhengzhou", screenshot, "platform-login")
    expect(clerk).to_have_url(f"{portal}/")
    expect(clerk.locator(".who")).to_contain_text("zhengzhou")
    screenshot(clerk, "clerk-logged-in-through-the-platform")

    province = people("desktop").page
    platform_log_in(province, portal, "reviewer")
    expect(province).to_have_url(f"{portal}/")
    province.goto(f"{portal}/reports/2021/patent/")
    expect(province.locator("h1")).to_contain_text("2021")

    # Log-out at the portal ends the platform's session too: the next log-in asks again.
    clerk.locator("header form button", has_text="退出").click()
    expect(clerk).to_have_url(f"{portal}/accounts/login/")
    clerk.get_by_role("link", name="统一身份认证登录").click()
    expect(clerk.locator("#id_password")).to_be_visible()


def test_the_platforms_log_out_ends_the_portals_session(portal, platform, people, reviewer):
    page = people("desktop").page
    platform_log_in(page, portal, "reviewer")
    expect(page).to_have_url(f"{portal}/")
    page.goto(f"{platform.url}logout")  # another system's 退出 ends the single sign-on
    page.goto(f"{portal}/")
    expect(page).to_have_url(f"{portal}/accounts/login/?next=/")


def test_an_unknown_and_a_disabled_user_are_refused(portal, platform, people, screenshot):
    get_user_model().objects.create_user("leaver", password="pw", is_active=False)
    for username, words in (("stranger", "您的账号尚未开通，请联系安全管理员。"),
                            ("leaver", "您的账号已停用，请联系安全管理员。")):  # fmt: skip
        page = people("desktop").page
        platform_log_in(page, portal, username)
        expect(page.locator(".callout")).to_have_text(words)
        screenshot(page, f"refused-{username}")
        page.goto(f"{portal}/")
        expect(page).to_have_url(f"{portal}/accounts/login/?next=/")


def test_with_local_passwords_off_only_the_platform_is_offered(
    portal, platform, people, settings, reviewer, screenshot
):
    settings.LOCAL_LOGIN = "none"
    page = people("desktop").page
    page.goto(f"{portal}/accounts/login/")
    expect(page.locator("input[name=password]")).to_have_count(0)
    screenshot(page, "login-page-platform-only")
    platform_log_in(page, portal, "reviewer")
    expect(page).to_have_url(f"{portal}/")
