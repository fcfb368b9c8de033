"""The province's matrix of units × measures (only approved reports show content), its
filters and exports, and a unit's measures across periods."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cities.models import ReportingUnit, UnitKind
from measures import services
from measures.queries import RowStatus, measure_matrix
from measures.types import MEASURE_TYPES
from tests.support.helpers import html_table
from workflow.models import WorkflowAction
from workflow.services import transition

pytestmark = pytest.mark.django_db

HEADINGS = ["单位", "状态", "政策措施", "风险补偿资金", "活动", "经验做法"]
STATUS_LINE = re.compile(
    r"^报送中 · 截至 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 已审核 (\d+) / (\d+) 个单位$"
)


def policy(title, number, *, in_force=True, type="subsidy"):
    return (
        "policies",
        {
            "title": title,
            "issuer": "市场监督管理局",
            "document_number": number,
            "issued_on": datetime.date(2021, 3, 1),
            "type": type,
            "in_force": in_force,
        },
    )


def fund(title, size, scope="patent"):
    return ("funds", {"title": title, "scope": scope, "size": size, "banks": "中原银行"})


def event(title, type):
    return (
        "events",
        {
            "type": type,
            "title": title,
            "held_on": datetime.date(2021, 5, 1),
            "place": "会议中心",
            "organiser": "市场监督管理局",
        },
    )


def practice(title):
    return ("practices", {"title": title, "text": "做法。"})


def make_report(make_submitter, reviewer, unit, period, state, items=()):
    """The unit's measures with ``items``, moved through the workflow to ``state`` (None: none)."""
    user = make_submitter(f"clerk{unit.code}", unit)
    for slug, values in items:
        services.save_item(user, unit, period, MEASURE_TYPES[slug], values, expected_version=None)
    if state is None:
        return None
    report = services.open_for_change(user, unit, period, None)
    moves = {
        "draft": [],
        "submitted": [(WorkflowAction.SUBMIT, user)],
        "returned": [(WorkflowAction.SUBMIT, user), (WorkflowAction.RETURN, reviewer)],
        "approved": [(WorkflowAction.SUBMIT, user), (WorkflowAction.APPROVE, reviewer)],
    }[state]
    for action, actor in moves:
        transition(report, action, actor, comment="原因", notify=False)
    report.refresh_from_db()
    return report


@pytest.fixture
def reports(make_submitter, reviewer, units, open_period):
    """郑州 approved with every kind; 洛阳 submitted; 开封 a draft; 安阳 returned; 平顶山
    approved and empty; 巩义 (a 省直管县) approved with an event; the others nothing."""

    def make(short, state, *items):
        return make_report(make_submitter, reviewer, units[short], open_period, state, items)

    return {
        "郑州": make(
            "郑州",
            "approved",
            policy("扶持办法", "郑市监〔2021〕3号"),
            policy("贴息办法", "郑政〔2021〕5号", type="interest"),
            policy("旧办法", "郑政〔2015〕1号", in_force=False),
            fund("郑州市风险补偿资金", 2000, "both"),
            event("银企对接会一", "matchmaking"),
            event("银企对接会二", "matchmaking"),
            event("业务培训", "training"),
            practice("服务进园区"),
        ),
        "洛阳": make("洛阳", "submitted", policy("洛阳办法", "洛政〔2021〕2号")),
        "开封": make("开封", "draft", practice("开封做法")),
        "安阳": make("安阳", "returned", practice("安阳做法")),
        "平顶山": make("平顶山", "approved"),
        "巩义": make("巩义", "approved", event("巩义巡讲", "roadshow")),
    }


def matrix_url(period, **query):
    url = reverse("measures:matrix", args=[period.slug])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


def all_units():
    return list(ReportingUnit.objects.order_by("code"))


ZHENGZHOU_CELLS = [
    "扶持办法（郑市监〔2021〕3号）；贴息办法（郑政〔2021〕5号）",
    "郑州市风险补偿资金（2000 万元）",
    "银企对接 2 场、培训 1 场",
    "服务进园区",
]


def expected_cells(unit):
    """Every unit's four cells as the matrix and its exports print them."""
    return {
        "郑州": ZHENGZHOU_CELLS,
        "洛阳": ["待审"] * 4,
        "平顶山": ["无"] * 4,
        "巩义": ["无", "无", "巡讲 1 场", "无"],
    }.get(unit.short_name, ["未报"] * 4)


def expected_status(unit):
    return {"郑州": "已审核", "平顶山": "已审核", "巩义": "已审核", "洛阳": "待审"}.get(
        unit.short_name, "未报"
    )


# ── measure_matrix ───────────────────────────────────────────────────────────────────────


def test_only_approved_reports_show_their_measures(reports, open_period):
    matrix = measure_matrix(open_period)

    assert [row.unit for row in matrix.rows] == all_units()
    assert [
        (row.unit.short_name, row.status, [row.cell(column) for column in MEASURE_TYPES])
        for row in matrix.rows
        if row.unit.short_name in reports
    ] == [
        ("郑州", RowStatus.REPORTED, ZHENGZHOU_CELLS),
        ("巩义", RowStatus.REPORTED, ["无", "无", "巡讲 1 场", "无"]),
        ("开封", RowStatus.MISSING, ["未报"] * 4),
        ("洛阳", RowStatus.PENDING, ["待审"] * 4),
        ("平顶山", RowStatus.REPORTED, ["无"] * 4),
        ("安阳", RowStatus.MISSING, ["未报"] * 4),
    ]
    others = [row for row in matrix.rows if row.unit.short_name not in reports]
    assert len(others) == 22
    assert {(row.status, row.report, tuple(map(row.cell, MEASURE_TYPES))) for row in others} == {
        (RowStatus.MISSING, None, ("未报",) * 4)
    }
    assert (matrix.approved_count, matrix.unit_count, matrix.closed) == (3, 28, False)


def test_a_row_that_is_not_final_shows_none_of_its_items(reports, open_period):
    rows = {row.unit.short_name: row for row in measure_matrix(open_period).rows}

    for short in ("洛阳", "开封", "安阳"):
        row = rows[short]
        assert (row.policies, row.funds, row.events, row.practices) == ([], [], [], [])
        assert [row.has(column) for column in MEASURE_TYPES] == [None] * 4
    assert [rows["平顶山"].has(column) for column in MEASURE_TYPES] == [False] * 4
    assert [rows["郑州"].has(column) for column in MEASURE_TYPES] == [True] * 4


def test_a_policy_no_longer_in_force_is_left_out(reports, open_period):
    row = next(row for row in measure_matrix(open_period).rows if row.unit.short_name == "郑州")

    assert [policy.title for policy in row.policies] == ["扶持办法", "贴息办法"]


def test_the_status_line_counts_approved_units_while_the_period_is_open(reports, open_period):
    line = measure_matrix(open_period).status_line

    assert STATUS_LINE.match(line).groups() == ("3", "28")


def test_there_is_no_status_line_once_the_province_closed_the_period(reports, open_period):
    open_period.closed_at = timezone.now() - datetime.timedelta(hours=1)
    open_period.save()

    matrix = measure_matrix(open_period)

    assert (matrix.closed, matrix.status_line) == (True, "")


def test_there_is_no_status_line_once_every_deadline_passed(reports, open_period):
    open_period.deadline = timezone.localdate() - datetime.timedelta(days=1)
    open_period.save()

    assert measure_matrix(open_period).status_line == ""


def test_a_closing_time_still_ahead_leaves_the_period_open(reports, open_period):
    open_period.closed_at = timezone.now() + datetime.timedelta(days=1)
    open_period.save()

    assert STATUS_LINE.match(measure_matrix(open_period).status_line)


# ── the page ─────────────────────────────────────────────────────────────────────────────


def page_rows(response):
    return [
        [cell["text"] for cell in row]
        for row in html_table(response.content.decode(), "measure-matrix")
    ]


@pytest.mark.parametrize("persona", ["reviewer", "administrator_user"])
def test_the_matrix_page_shows_every_unit_with_its_status_and_cells(
    request, client, reports, open_period, persona
):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(matrix_url(open_period))

    assert response.status_code == 200
    rows = page_rows(response)
    assert rows[0] == HEADINGS
    assert [row[0] for row in rows[1:]] == [unit.name for unit in all_units()]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["郑州市"] == [
        "郑州市",
        "已审核",
        "扶持办法郑市监〔2021〕3号 · 奖补贴息办法郑政〔2021〕5号 · 贴息",
        "郑州市风险补偿资金专利和商标 · 2000 万元",
        "银企对接 2 场培训 1 场",
        "服务进园区",
    ]
    content = response.content.decode()
    assert (
        '<td><div class="nowrap">银企对接 2 场</div><div class="nowrap">培训 1 场</div></td>'
        in content
    )
    assert (
        '<div>扶持办法<span class="help">郑市监〔2021〕3号 · 奖补</span></div>'
        '<div>贴息办法<span class="help">郑政〔2021〕5号 · 贴息</span></div>'
    ) in content
    assert by_name["平顶山市"] == ["平顶山市", "已审核", "无", "无", "无", "无"]
    assert by_name["巩义市"] == ["巩义市", "已审核", "无", "无", "巡讲 1 场", "无"]
    # A row without an approved report says why once, across the four measure columns.
    assert by_name["洛阳市"] == ["洛阳市", "待审", "待审"]
    assert '<td class="unreported" colspan="4">待审</td>' in content
    for name in ("开封市", "安阳市", "许昌市"):
        assert by_name[name] == [name, "未报", "未报"]


def test_the_matrix_page_marks_each_row_with_its_state(reviewer_client, reports, open_period):
    content = reviewer_client.get(matrix_url(open_period)).content.decode()

    assert '<span class="state state-submitted">待审</span>' in content
    assert '<span class="state state-draft">未报</span>' in content
    assert '<span class="state state-returned">未报</span>' in content
    assert content.count('<span class="state state-none">未报</span>') == 22
    assert content.count('<span class="state state-approved">已审核</span>') == 3


def test_the_matrix_page_says_reporting_is_under_way_while_the_period_is_open(
    reviewer_client, reports, open_period
):
    content = reviewer_client.get(matrix_url(open_period)).content.decode()

    [line] = re.findall(r'<p class="callout provisional" id="status-line">([^<]*)</p>', content)
    assert STATUS_LINE.match(line).groups() == ("3", "28")


def test_the_matrix_page_has_no_status_line_once_the_period_is_closed(
    reviewer_client, reports, open_period
):
    open_period.closed_at = timezone.now() - datetime.timedelta(minutes=5)
    open_period.save()

    content = reviewer_client.get(matrix_url(open_period)).content.decode()

    assert 'id="status-line"' not in content
    assert "报送中" not in content


def names(units):
    return [unit.name for unit in units]


COUNTIES = [
    "巩义市",
    "兰考县",
    "汝州市",
    "滑县",
    "长垣市",
    "邓州市",
    "永城市",
    "固始县",
    "鹿邑县",
    "新蔡县",
]
RANKED = [
    "郑州市", "开封市", "洛阳市", "平顶山市", "安阳市", "鹤壁市", "新乡市", "焦作市", "濮阳市",
    "许昌市", "漯河市", "三门峡市", "南阳市", "商丘市", "信阳市", "周口市", "驻马店市", "济源示范区",
]  # fmt: skip


EVERY_UNIT = [
    "郑州市", "巩义市", "开封市", "兰考县", "洛阳市", "平顶山市", "汝州市", "安阳市", "滑县",
    "鹤壁市", "新乡市", "长垣市", "焦作市", "濮阳市", "许昌市", "漯河市", "三门峡市", "南阳市",
    "邓州市", "商丘市", "永城市", "信阳市", "固始县", "周口市", "鹿邑县", "驻马店市", "新蔡县",
    "济源示范区",
]  # fmt: skip


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, EVERY_UNIT),
        ({"unit_kind": "counties"}, COUNTIES),
        ({"unit_kind": "ranked"}, RANKED),
        ({"lacking": "events"}, ["平顶山市"]),
        ({"lacking": "policies"}, ["巩义市", "平顶山市"]),
        ({"lacking": "funds"}, ["巩义市", "平顶山市"]),
        ({"lacking": "practices"}, ["巩义市", "平顶山市"]),
        ({"unit_kind": "counties", "lacking": "policies"}, ["巩义市"]),
        ({"unit_kind": "ranked", "lacking": "policies"}, ["平顶山市"]),
        ({"unit_kind": "counties", "lacking": "unreported"}, COUNTIES[1:]),
        (
            {"unit_kind": "ranked", "lacking": "unreported"},
            [name for name in RANKED if name not in ("郑州市", "平顶山市")],
        ),
        # a choice the form does not offer is no filter at all
        ({"unit_kind": "nonsense"}, EVERY_UNIT),
        ({"lacking": "nonsense"}, EVERY_UNIT),
    ],
)
def test_the_filters_give_exactly_these_units(
    reviewer_client, reports, open_period, query, expected
):
    response = reviewer_client.get(matrix_url(open_period, **query))

    assert response.status_code == 200
    assert [row[0] for row in page_rows(response)[1:]] == expected


def test_a_filter_nothing_passes_says_so(reviewer_client, reports, open_period):
    response = reviewer_client.get(matrix_url(open_period, unit_kind="counties", lacking="events"))

    assert page_rows(response)[1:] == [["没有符合条件的单位。"]]


def test_the_unit_lists_are_what_the_migration_loaded():
    assert names(ReportingUnit.objects.filter(kind=UnitKind.DIRECT_COUNTY).order_by("code")) == (
        COUNTIES
    )
    assert names(ReportingUnit.objects.ranked().order_by("code")) == RANKED
    assert names(all_units()) == EVERY_UNIT


def test_lacking_unreported_lists_every_unit_without_an_approved_report(
    reviewer_client, reports, open_period
):
    response = reviewer_client.get(matrix_url(open_period, lacking="unreported"))

    listed = [row[0] for row in page_rows(response)[1:]]
    assert listed == [
        name for name in names(all_units()) if name not in ("郑州市", "平顶山市", "巩义市")
    ]
    assert len(listed) == 25


@pytest.mark.parametrize("persona", ["zhengzhou_submitter", "luoyang_submitter"])
def test_submitters_may_not_see_the_matrix(request, client, reports, open_period, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(matrix_url(open_period)).status_code == 403
    assert client.get(matrix_url(open_period, _export="csv")).status_code == 403


def test_an_unknown_period_is_404(reviewer_client):
    assert reviewer_client.get("/measures/2099/").status_code == 404


# ── exports ──────────────────────────────────────────────────────────────────────────────


def expected_table():
    return [[unit.name, expected_status(unit), *expected_cells(unit)] for unit in all_units()]


def test_the_csv_export_has_the_headings_every_row_and_the_status_line(
    reviewer_client, reports, open_period
):
    response = reviewer_client.get(matrix_url(open_period, _export="csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == HEADINGS
    assert rows[1:-1] == expected_table()
    [note] = rows[-1]
    assert STATUS_LINE.match(note).groups() == ("3", "28")


def test_the_xlsx_export_has_the_headings_and_every_row(reviewer_client, reports, open_period):
    response = reviewer_client.get(matrix_url(open_period, _export="xlsx"))

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADINGS
    assert rows[1:-1] == expected_table()
    assert STATUS_LINE.match(rows[-1][0])


def test_an_export_follows_the_filters(reviewer_client, reports, open_period):
    response = reviewer_client.get(matrix_url(open_period, unit_kind="counties", _export="csv"))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == HEADINGS
    assert rows[1:-1] == [
        [name, "已审核" if name == "巩义市" else "未报"]
        + (["无", "无", "巡讲 1 场", "无"] if name == "巩义市" else ["未报"] * 4)
        for name in COUNTIES
    ]


def test_an_export_of_a_closed_period_has_no_status_line(reviewer_client, reports, open_period):
    open_period.closed_at = timezone.now() - datetime.timedelta(hours=1)
    open_period.save()

    response = reviewer_client.get(matrix_url(open_period, _export="csv"))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [HEADINGS, *expected_table()]


@pytest.mark.parametrize("export", ["pdf", "", "CSV", "xls"])
def test_an_unknown_export_format_is_400(reviewer_client, reports, open_period, export):
    response = reviewer_client.get(matrix_url(open_period, _export=export))

    assert response.status_code == 400
    assert response.content.decode() == "未知的导出格式：只能导出 csv 或 xlsx。"


def test_a_cell_that_looks_like_a_formula_is_escaped_in_the_export(
    make_submitter, reviewer, reviewer_client, units, open_period
):
    make_report(
        make_submitter, reviewer, units["许昌"], open_period, "approved", [practice("=1+1")]
    )

    response = reviewer_client.get(matrix_url(open_period, _export="csv"))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    [row] = [row for row in rows if row[0] == "许昌市"]
    assert row == ["许昌市", "已审核", "无", "无", "无", "'=1+1"]


# ── the number of queries ───────────────────────────────────────────────────────────────


def full_report(make_submitter, reviewer, unit, period):
    return make_report(
        make_submitter,
        reviewer,
        unit,
        period,
        "approved",
        [
            policy(f"{unit.short_name}办法", f"{unit.short_name}政〔2021〕1号"),
            fund(f"{unit.short_name}资金", 100),
            event(f"{unit.short_name}对接会", "matchmaking"),
            event(f"{unit.short_name}培训", "training"),
            practice(f"{unit.short_name}做法"),
        ],
    )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("export", [None, "csv", "xlsx"])
def test_the_matrix_costs_as_many_queries_for_one_report_as_for_every_unit(
    django_assert_max_num_queries, make_submitter, reviewer, reviewer_client, open_period, export
):
    url = matrix_url(open_period, **({"_export": export} if export else {}))
    # A download's line in the audit trail: the reader's roles, the chain's head, the row, the
    # head moved on.
    limit = 10 + (4 if export else 0)
    units = all_units()
    full_report(make_submitter, reviewer, units[0], open_period)
    reviewer_client.get(url)  # the period and the unit list cached, as on any later visit
    with django_assert_max_num_queries(limit):
        one = count_queries(reviewer_client, url)

    for unit in units[1:]:
        full_report(make_submitter, reviewer, unit, open_period)
    reviewer_client.get(url)  # (adding the clerks to their units moved the reference data)
    with django_assert_max_num_queries(limit):
        every = count_queries(reviewer_client, url)

    assert one == every


def test_measure_matrix_asks_the_database_a_fixed_number_of_times(
    django_assert_num_queries, make_submitter, reviewer, open_period
):
    units = all_units()
    for unit in units[:3]:
        full_report(make_submitter, reviewer, unit, open_period)
    open_period = type(open_period).objects.get(pk=open_period.pk)  # no cached is_closed
    # the units, the reports, their four kinds of item, the period's latest extension
    with django_assert_num_queries(7):
        measure_matrix(open_period)

    for unit in units[3:]:
        full_report(make_submitter, reviewer, unit, open_period)
    open_period = type(open_period).objects.get(pk=open_period.pk)
    with django_assert_num_queries(7):
        matrix = measure_matrix(open_period)
    assert matrix.approved_count == 28


# ── a unit's measures across periods ─────────────────────────────────────────────────────


@pytest.fixture
def draft(zhengzhou_submitter, units, open_period):
    for slug, values in (policy("扶持办法", "郑市监〔2021〕3号"), practice("服务进园区")):
        services.save_item(
            zhengzhou_submitter,
            units["郑州"],
            open_period,
            MEASURE_TYPES[slug],
            values,
            expected_version=None,
        )
    return services.open_for_change(zhengzhou_submitter, units["郑州"], open_period, None)


def unit_url(unit):
    return reverse("measures:unit", args=[unit.code])


def test_the_unit_page_shows_a_drafts_items_to_its_own_submitter(
    client, zhengzhou_submitter, units, draft
):
    client.force_login(zhengzhou_submitter)

    response = client.get(unit_url(units["郑州"]))

    assert response.status_code == 200
    assert response.context["reports"] == [(draft, True)]
    content = response.content.decode()
    assert '<span class="state state-draft">草稿</span>' in content
    assert content.count("扶持办法") == 1
    assert content.count("服务进园区") == 1
    assert "尚未提交：内容在提交后显示。" not in content


@pytest.mark.parametrize("persona", ["reviewer", "administrator_user"])
def test_the_unit_page_shows_the_province_only_a_drafts_state(
    request, client, units, draft, persona
):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(unit_url(units["郑州"]))

    assert response.status_code == 200
    assert response.context["reports"] == [(draft, False)]
    content = response.content.decode()
    assert '<span class="state state-draft">草稿</span>' in content
    assert '<p class="help">尚未提交：内容在提交后显示。</p>' in content
    assert "扶持办法" not in content
    assert "服务进园区" not in content


def test_the_unit_page_shows_the_province_a_submitted_reports_items(
    client, reviewer, zhengzhou_submitter, units, draft
):
    transition(draft, WorkflowAction.SUBMIT, zhengzhou_submitter, notify=False)
    client.force_login(reviewer)

    response = client.get(unit_url(units["郑州"]))

    assert response.context["reports"] == [(draft, True)]
    content = response.content.decode()
    assert '<span class="state state-submitted">已提交</span>' in content
    assert content.count("扶持办法") == 1
    assert content.count("服务进园区") == 1
    assert "尚未提交：内容在提交后显示。" not in content


def test_the_unit_page_is_404_for_another_units_submitter(client, luoyang_submitter, units, draft):
    client.force_login(luoyang_submitter)

    assert client.get(unit_url(units["郑州"])).status_code == 404


def test_a_unit_without_measures_says_so(client, zhengzhou_submitter, units, open_period):
    client.force_login(zhengzhou_submitter)

    content = client.get(unit_url(units["郑州"])).content.decode()

    assert '<p class="empty">还没有政策措施报表。</p>' in content
