"""A number on a page is final or says it is not: the demo's open 2021 period on every page.

In the local demo, 2021 is open (deadline in 30 days): 鹤壁 is approved, 洛阳, 三门峡, 驻马店
and 南阳 are submitted, 焦作 returned, 郑州 and 开封 drafts, the rest have not started.
"""

import csv
import datetime
import io
import re

import pdfplumber
import pytest
from django.test import override_settings
from django.utils import timezone
from openpyxl import load_workbook

from circulars.drafting import draft_situation
from periods.models import ReportingPeriod

pytestmark = pytest.mark.django_db

STATUS = re.compile(r"报送中 · 截至 \d{4}-\d\d-\d\d \d\d:\d\d 已审核 1 / 28 个单位")
PENDING = {"洛阳市", "三门峡市", "驻马店市", "南阳市"}


@pytest.fixture(autouse=True)
def demo(local_demo):
    return local_demo


@pytest.fixture
def reviewer_client(client, django_user_model):
    client.force_login(django_user_model.objects.get(username="reviewer"))
    return client


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_ranked_table_of_an_open_period_says_so_and_prints_no_zero(reviewer_client):
    html = reviewer_client.get("/reports/2021/patent/").content.decode()
    assert '<h1 class="table-title">2021年河南省专利质押融资初步统计表</h1>' in html
    assert STATUS.search(html)
    assert re.search(
        r'<td class="rank">1</td>\s*<td >鹤壁市</td>\s*<td class="num">18500</td>', html
    )
    # The other 17 rows say why they have no figure: no rank, no 0.
    assert len(re.findall(r'<td class="num">待审</td>', html)) == 4
    assert len(re.findall(r'<td class="num">未报</td>', html)) == 13
    assert not re.search(r'<td class="num">0</td>', html)
    assert not re.search(r'<td class="rank">2</td>', html)


def test_the_ranked_tables_exports_say_so_too(reviewer_client):
    rows = csv_rows(reviewer_client.get("/reports/2021/trademark/?_export=csv"))
    by_unit = {row[1]: row for row in rows[1:-2]}
    assert by_unit["鹤壁市"] == ["1", "鹤壁市", "950", "1", "13"]
    assert by_unit["三门峡市"] == ["", "三门峡市", "待审", "—", "—"]  # submitted a nil return
    assert by_unit["郑州市"] == ["", "郑州市", "未报", "—", "—"]
    assert rows[-2][:2] == ["", "合计"]
    assert STATUS.fullmatch(rows[-1][0])

    response = reviewer_client.get("/reports/2021/trademark/?_export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "2021年河南省商标质押融资初步统计表"
    assert STATUS.fullmatch(sheet["A2"].value)
    cells = {row[1]: row for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert cells["鹤壁市"] == (1, "鹤壁市", 950, 1, 13)
    assert cells["郑州市"] == (None, "郑州市", "未报", "—", "—")


def test_the_printed_attachment_of_an_open_period_says_so(reviewer_client):
    response = reviewer_client.get("/reports/2021/patent.pdf")
    with pdfplumber.open(io.BytesIO(response.content)) as document:
        text = "".join(page.extract_text() for page in document.pages).replace("\n", "")
    assert "2021年河南省专利质押融资初步统计表" in text
    assert STATUS.search(text.replace(" ", " "))
    assert "未报" in text and "待审" in text


@override_settings(OPEN_TABLE_MARK="consultation")
def test_the_province_may_mark_open_tables_as_drafts_for_comment(reviewer_client):
    html = reviewer_client.get("/reports/2021/patent/").content.decode()
    assert "2021年河南省专利质押融资统计表（征求意见稿）" in html


def test_a_closed_period_carries_no_mark_and_an_early_close_ends_the_mark(reviewer_client):
    html = reviewer_client.get("/reports/2020/patent/").content.decode()
    assert "报送中" not in html and "初步" not in html

    period = ReportingPeriod.objects.by_slug("2021").get()
    period.closed_at = timezone.now()
    period.save()
    html = reviewer_client.get("/reports/2021/patent/").content.decode()
    assert "2021年河南省专利质押融资统计表</h1>" in html
    assert "报送中" not in html
    # Closed, but never reported: still 未报 (or 待审), never 0.
    assert len(re.findall(r'<td class="num">未报</td>', html)) == 13


def test_the_comparison_of_an_open_period_judges_nobody_unless_asked(reviewer_client):
    html = reviewer_client.get("/analysis/2021/patent/").content.decode()
    assert STATUS.search(html)
    table = html.split('<table class="list comparison">')[1].split("</table>")[0]
    for word in ("相对滞后", "成绩优异", "进步较快", "金额下降", "-100.0%"):
        assert word not in table
    assert "按目前已审核的数据查看临时评价" in html
    # 开封 (a draft) is not shown rising places after falling to 0.
    assert not re.search(r"<td>\+\d+</td>", html)

    rows = csv_rows(reviewer_client.get("/analysis/2021/patent/?_export=csv"))
    kaifeng = next(row for row in rows if row[1] == "开封市")
    assert kaifeng[:5] == ["", "开封市", "未报", "2900", "—"]
    assert kaifeng[-3:] == ["—", "", ""]
    assert STATUS.fullmatch(rows[-1][0])

    html = reviewer_client.get("/analysis/2021/patent/?standings=provisional").content.decode()
    assert "临时评价：报送尚未结束" in html
    # Found from outside: the bottom of a partial ranking was called 相对滞后, and its top
    # 成绩优异. 鹤壁, the one approved unit, is first of one: units not yet approved pledged
    # more last year, so it is not rated; nobody lags before the period closes.
    table = html.split('<table class="list comparison">')[1].split("</table>")[0]
    assert "相对滞后" not in table and "成绩优异" not in table
    assert not re.search(r"<td>[+-]\d+</td>", table), "no rank changes before the close"


def test_units_at_zero_are_approved_nil_returns_only(reviewer_client):
    html = reviewer_client.get("/analysis/2021/trademark/").content.decode()
    zeros = html.split("<h2>仍为零的单位</h2>")[1].split("<h2>")[0]
    assert "没有仍为零的单位" in zeros  # 三门峡's nil return is not approved yet


def test_a_units_history_shows_a_pending_report_as_pending(client, django_user_model):
    client.force_login(django_user_model.objects.get(username="luoyang"))
    html = client.get("/analysis/units/410300/").content.decode()
    row_2021 = re.search(r"<tr><td>2021年.*?</tr>", html).group(0)
    assert STATUS.search(row_2021)
    assert '<td class="num">待审</td>' in row_2021
    assert "相对滞后" not in row_2021 and "<td>2</td>" not in row_2021

    rows = csv_rows(client.get("/analysis/units/410300/?_export=csv"))
    patent_2021 = next(row for row in rows if row[0] == "专利" and row[1].startswith("2021年"))
    assert patent_2021[2:] == ["", "待审", "—", "—", "", ""]


def test_the_drafted_situation_of_an_open_period_warns_first():
    period = ReportingPeriod.objects.by_slug("2021").get()
    first = draft_situation(period).splitlines()[0]
    assert STATUS.search(first)
    assert "报送结束后请重新起草" in first


def test_a_period_that_no_unit_has_reported_ranks_nobody(reviewer_client):
    today = timezone.localdate()
    ReportingPeriod.objects.create(
        year=2022, opens_on=today, deadline=today + datetime.timedelta(days=5)
    )
    html = reviewer_client.get("/reports/2022/patent/").content.decode()
    assert "已审核 0 / 28 个单位" in html
    assert not re.search(r'<td class="rank">\d', html)
    assert len(re.findall(r'<td class="num">未报</td>', html)) == 18
    html = reviewer_client.get("/analysis/2022/patent/").content.decode()
    assert "相对滞后" not in html.split('<table class="list comparison">')[1]


def test_the_dashboard_marks_the_open_year_and_prints_amounts_as_the_notice_does(
    reviewer_client,
):
    html = reviewer_client.get("/analysis/").content.decode()
    assert "2021（报送中）" in html
    assert not re.search(r"<td[^>]*>\d+\.\d*0</td>", html)  # no trailing zeros: 197850.5


def test_the_bank_ranking_of_an_open_period_says_so(reviewer_client):
    html = reviewer_client.get("/reports/2021/banks/").content.decode()
    assert STATUS.search(html)
    rows = csv_rows(reviewer_client.get("/reports/2021/banks/?_export=csv"))
    assert STATUS.fullmatch(rows[-1][0])
    assert "报送中" not in reviewer_client.get("/reports/2020/banks/").content.decode()


def test_an_early_close_is_shown_where_people_look(reviewer_client, django_user_model):
    """Found from outside: after closing 2022 early, the clerk's home still said 填写并提交 with
    the original deadline, the board said nothing, and the analysis called 2022 the 当前周期
    while 2021 was still being reported."""
    import datetime

    from django.test import Client
    from django.utils import timezone

    from tests.support.factories import ReportingPeriodFactory

    today = timezone.localdate()
    closed = ReportingPeriodFactory(
        year=2022, opens_on=today - datetime.timedelta(days=3),
        deadline=today + datetime.timedelta(days=30),
        closed_at=timezone.now() - datetime.timedelta(hours=1),
    )  # fmt: skip
    day = timezone.localtime(closed.closed_at).date().isoformat()
    clerk = Client()
    clerk.force_login(django_user_model.objects.get(username="kaifeng"))
    home = clerk.get("/").content.decode()
    task = re.search(r"<tr[^>]*>(?:(?!</tr>).)*2022年(?:(?!</tr>).)*</tr>", home, re.S).group(0)
    assert f"已于 {day} 提前结束" in task
    assert f"省局已于 {day} 结束本期报送" in task and "填写并提交" not in task
    board = reviewer_client.get("/periods/2022/board/").content.decode()
    assert f"省局已于 {day} 提前结束本期报送" in board
    report = reviewer_client.get("/periods/2022/410100/").content.decode()
    assert f"（已于 {day} 提前结束）" in report
    dashboard = reviewer_client.get("/analysis/").content.decode()
    assert "当前周期 2021年" in dashboard and "当前周期 2022年" not in dashboard


def test_a_close_after_the_deadline_is_no_early_close():
    import datetime

    from django.utils import timezone

    from tests.support.factories import ReportingPeriodFactory

    today = timezone.localdate()
    late = ReportingPeriodFactory(
        year=2023, opens_on=today - datetime.timedelta(days=40),
        deadline=today - datetime.timedelta(days=10),
        closed_at=timezone.now() - datetime.timedelta(days=1),
    )  # fmt: skip
    assert late.closed_early_on is None
