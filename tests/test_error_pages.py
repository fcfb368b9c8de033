"""The error pages: the portal's own look, why in plain words, and where to go from there.

Django shows its technical pages instead while DEBUG is on, so every test here runs with it
off, as production does. The URLs that fail on purpose are in ``tests.support.error_urls``.
"""

import pytest
from django.template.loader import render_to_string
from django.test import Client

from tests.support.factories import UserFactory

pytestmark = pytest.mark.django_db

HEADER = '<header class="site-header">'
STYLESHEET = '<link rel="stylesheet" href="/static/css/portal.css">'
HOME = '<a href="/">返回首页</a>'


@pytest.fixture(autouse=True)
def as_in_production(settings):
    """DEBUG off (else Django shows its technical pages), with URLs that fail on purpose."""
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.support.error_urls"


@pytest.fixture(params=["anonymous", "signed in"])
def someone(request, db):
    """A client for a visitor, or for a signed-in user with no special role."""
    client = Client(raise_request_exception=False)
    if request.param == "signed in":
        client.force_login(UserFactory(username="viewer", first_name="张三"))
    return client


def html(response):
    return response.content.decode()


def assert_portal_page(page):
    """The portal's page: its header and styles, and a way home."""
    assert HEADER in page
    assert STYLESHEET in page
    assert HOME in page


def log_in_link(path):
    return f'<a href="/accounts/login/?next={path}">登录</a>'


def test_the_tests_see_the_pages_production_shows(client):
    page = html(client.get("/nothing-here/"))
    assert "Using the URLconf" not in page and "Page not found" not in page


# ── 404 ─────────────────────────────────────────────────────────────────────────────────


def test_a_visitor_at_an_unknown_address_gets_a_page_not_found_with_home_and_log_in(client):
    response = client.get("/nothing-here/")
    assert response.status_code == 404
    page = html(response)
    assert_portal_page(page)
    assert "<h1>无法打开此页面</h1>" in page
    assert "页面不存在，或您无权查看。" in page
    assert log_in_link("/nothing-here/") in page


def test_a_city_user_opening_another_units_report_is_not_told_it_does_not_exist(
    client, luoyang_submitter, open_period
):
    client.force_login(luoyang_submitter)
    response = client.get("/periods/2021/410100/")
    assert response.status_code == 404
    page = html(response)
    assert_portal_page(page)
    assert '<span class="who">' in page  # the user's own header and menu
    assert "页面不存在，或您无权查看。" in page
    assert "各单位的报表和数据只有本单位和省局可以查看" in page
    assert "/accounts/login/?next=" not in page


# ── 403 ─────────────────────────────────────────────────────────────────────────────────


def test_a_city_user_on_a_provincial_page_is_told_why_and_whom_to_ask(client, zhengzhou_submitter):
    client.force_login(zhengzhou_submitter)
    response = client.get("/analysis/")
    assert response.status_code == 403
    page = html(response)
    assert_portal_page(page)
    assert "<h1>没有权限</h1>" in page
    assert "您没有权限查看此页面或执行此操作。" in page
    assert "请联系安全管理员" in page
    assert "/accounts/login/?next=" not in page
    assert "403 Forbidden" not in page


def test_a_refusal_for_a_reason_of_the_portals_rules_names_the_reason(someone):
    response = someone.get("/test-errors/refused-with-a-reason/")
    assert response.status_code == 403
    page = html(response)
    assert_portal_page(page)
    assert '<p class="error-reason">报表已审核通过，数据已锁定。</p>' in page


def test_a_refusal_without_a_reason_shows_no_empty_reason(client):
    page = html(client.get("/test-errors/refused/"))
    assert "error-reason" not in page


def test_a_refused_visitor_is_offered_the_log_in_and_a_signed_in_user_is_not(client, viewer):
    page = html(client.get("/test-errors/refused/"))
    assert log_in_link("/test-errors/refused/") in page
    client.force_login(viewer)
    page = html(client.get("/test-errors/refused/"))
    assert "/accounts/login/?next=" not in page and "请联系安全管理员" in page


# ── 400 and 500 ─────────────────────────────────────────────────────────────────────────


def test_a_request_the_portal_cannot_read_gets_a_bad_request_page(someone):
    response = someone.get("/test-errors/suspicious/")
    assert response.status_code == 400
    page = html(response)
    assert_portal_page(page)
    assert "<h1>请求无效</h1>" in page
    assert "a request the portal cannot read" not in page


def test_a_host_the_portal_does_not_answer_to_gets_the_bad_request_page(client):
    response = client.get("/", HTTP_HOST="portal.example.com")
    assert response.status_code == 400
    page = html(response)
    assert_portal_page(page)
    assert "portal.example.com" not in page


@pytest.mark.parametrize(
    ("path", "host"),
    [
        ("/", "portal.example.com"),  # refused by the host check, before any view
        ("/no-such-page/", "testserver"),
        ("/periods/2021/board/", "testserver"),  # a refusal
    ],
)
def test_every_error_page_carries_the_security_headers_of_the_other_pages(
    client, viewer, path, host
):
    client.force_login(viewer)
    page = client.get("/", HTTP_HOST="testserver")
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code >= 400
    for header in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
    ):
        assert response.get(header) == page.get(header), header


def test_a_server_error_gets_the_portals_page_without_the_error(someone):
    response = someone.get("/test-errors/broken/")
    assert response.status_code == 500
    page = html(response)
    assert_portal_page(page)
    assert "<h1>系统出错了</h1>" in page
    assert "错误已记入系统日志" in page
    assert "a bug" not in page and "RuntimeError" not in page


def test_the_server_error_page_needs_no_request_and_no_database(django_db_blocker):
    """Django renders it with an empty context; what failed may be the database."""
    with django_db_blocker.block():
        page = render_to_string("500.html")
    assert_portal_page(page)
    assert '<html lang="zh-CN">' in page


# ── The admin's errors ──────────────────────────────────────────────────────────────────


def test_the_admins_page_not_found_is_the_portals(client, administrator):
    client.force_login(administrator)
    response = client.get("/admin/reporting/nothing-here/")
    assert response.status_code == 404
    assert_portal_page(html(response))


def test_the_admins_refusal_is_the_portals(client, administrator_user):
    client.force_login(administrator_user)  # staff, but accounts are the 安全管理员's
    response = client.get("/admin/auth/user/")
    assert response.status_code == 403
    page = html(response)
    assert_portal_page(page)
    assert "您没有权限查看此页面或执行此操作。" in page


def test_the_admins_bad_request_is_the_portals(client, administrator):
    client.force_login(administrator)
    response = client.get("/admin/auth/user/?user_permissions__codename=add_user")
    assert response.status_code == 400
    page = html(response)
    assert_portal_page(page)
    assert "<h1>请求无效</h1>" in page


# ── A form refused by the CSRF check ────────────────────────────────────────────────────


@pytest.fixture
def careful_client():
    return Client(enforce_csrf_checks=True)


def test_a_refused_form_says_nothing_was_saved_and_to_reload_it(careful_client):
    response = careful_client.post(
        "/accounts/login/",
        {"username": "x", "password": "y"},
        HTTP_REFERER="http://testserver/accounts/login/?next=/reports/2021/patent/",
    )
    assert response.status_code == 403
    page = html(response)
    assert_portal_page(page)
    assert "<h1>表单已失效，未能提交</h1>" in page
    assert "所填内容没有保存" in page
    assert (
        '<a href="http://testserver/accounts/login/?next=/reports/2021/patent/">重新打开表单</a>'
        in page
    )


def test_a_refused_form_of_a_signed_in_user_keeps_their_menu(careful_client, viewer):
    careful_client.force_login(viewer)
    response = careful_client.post("/accounts/password/change/", {})
    assert response.status_code == 403
    page = html(response)
    assert_portal_page(page)
    assert '<span class="who">' in page


@pytest.mark.parametrize(
    "referer",
    ["https://portal.example.com/form/", "javascript:alert(1)", "//portal.example.com/", ""],
)
def test_a_refused_form_links_back_only_to_a_page_of_the_portal(careful_client, referer):
    headers = {"HTTP_REFERER": referer} if referer else {}
    response = careful_client.post("/accounts/login/", {}, **headers)
    assert response.status_code == 403
    page = html(response)
    assert "重新打开表单</a>" not in page
    assert "portal.example.com" not in page and "javascript" not in page
    assert HOME in page
