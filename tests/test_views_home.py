import pytest

from tests.support.factories import ReportingPeriodFactory

pytestmark = pytest.mark.django_db


def test_an_anonymous_visitor_is_asked_to_log_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_the_login_page_logs_a_user_in_and_goes_home(client, viewer):
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert "用户名" in page.content.decode()
    response = client.post("/accounts/login/", {"username": "viewer", "password": "pw"})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_wrong_password_says_so_and_logs_nobody_in(client, viewer):
    response = client.post("/accounts/login/", {"username": "viewer", "password": "nope"})
    assert response.status_code == 200
    assert "请输入一个正确的用户名和密码。注意，两者都区分大小写。" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logging_out_takes_a_post(viewer_client):
    assert viewer_client.get("/accounts/logout/").status_code == 405
    response = viewer_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in viewer_client.session


def test_home_lists_the_periods_with_links_to_both_tables(viewer_client):
    ReportingPeriodFactory(year=2020)
    ReportingPeriodFactory(year=2021, granularity="quarter", number=3)
    html = viewer_client.get("/").content.decode()
    assert html.index("2021年第三季度") < html.index("2020年")
    for href in ("/reports/2020/patent/", "/reports/2020/trademark/", "/reports/2021Q3/patent/"):
        assert f'href="{href}"' in html


def test_home_says_when_there_is_no_period_yet(viewer_client):
    assert "还没有报送周期。" in viewer_client.get("/").content.decode()


@pytest.mark.parametrize("periods", [1, 8])
def test_home_runs_a_fixed_number_of_queries(viewer_client, django_assert_num_queries, periods):
    for year in range(2010, 2010 + periods):
        ReportingPeriodFactory(year=year)
    with django_assert_num_queries(4):  # session, user, user's groups, periods
        assert viewer_client.get("/").status_code == 200


def test_provincial_staff_find_the_board_and_the_bank_ranking_of_each_period(client, reviewer):
    ReportingPeriodFactory(year=2020)
    client.force_login(reviewer)
    html = client.get("/").content.decode()
    assert 'href="/periods/2020/board/"' in html and 'href="/reports/2020/banks/"' in html
    banks = client.get("/reports/2020/banks/").content.decode()
    assert '<nav class="breadcrumbs"><a href="/">首页</a> › 2020年</nav>' in banks


def test_other_users_are_not_offered_them(viewer_client):
    ReportingPeriodFactory(year=2020)
    html = viewer_client.get("/").content.decode()
    assert "/board/" not in html and "/banks/" not in html
