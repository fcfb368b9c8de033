import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from reporting.models import IPKind, PledgeReport, ReportTransition
from reporting.services import Figures, import_figures, record_published_figures, save_figures
from tests.support.factories import ReportingPeriodFactory, add_figures
from tests.support.helpers import html_table
from workflow.models import ReportState, WorkflowAction
from workflow.services import transition

pytestmark = pytest.mark.django_db

FIGURES = {
    IPKind.PATENT: Figures(Decimal("10"), 1, 1, 1),
    IPKind.TRADEMARK: Figures(Decimal("0"), 0, 0),
}


def submit(user, unit, period):
    report = save_figures(user, unit, period, FIGURES)
    transition(report, WorkflowAction.SUBMIT, user)
    return report


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


def shown(moment):
    """A time as the board shows it (Asia/Shanghai, to the minute)."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def board_rows(response):
    """The board's rows by unit name (columns: select, if a row can be approved; code, name, …)."""
    header, *rows = html_table(response.content.decode(), "board")
    name = [cell["text"] for cell in header].index("填报单位")
    return {row[name]["text"]: row for row in rows}


def test_the_board_lists_every_unit_with_its_state(
    reviewer_client, zhengzhou_submitter, luoyang_submitter, units, open_period
):
    submit(zhengzhou_submitter, units["郑州"], open_period)
    save_figures(luoyang_submitter, units["洛阳"], open_period, FIGURES)
    rows = board_rows(reviewer_client.get("/periods/2021/board/"))
    assert len(rows) == 28
    # columns: select, code, unit, kind, state, deadline, first submitted, on time, changed, by
    texts = {name: [cell["text"] for cell in row] for name, row in rows.items()}
    deadline = open_period.deadline.isoformat()
    assert texts["郑州市"][1:6] == ["410100", "郑州市", "省辖市", "已提交", deadline]
    report = PledgeReport.objects.get(unit=units["郑州"])
    submitted_at = report.transitions.get().at
    assert texts["郑州市"][6:] == [
        shown(submitted_at),
        "按时",
        shown(report.updated_at),
        "zhengzhou",
    ]
    assert texts["洛阳市"][4:8] == ["草稿", deadline, "—", "—"]
    assert texts["开封市"][4:] == ["未开始", deadline, "—", "—", "—", "—"]
    assert texts["巩义市"][3] == "省直管县（市）"
    html = reviewer_client.get("/periods/2021/board/").content.decode()
    assert html.count('type="checkbox" name="report"') == 1  # only the submitted report


def test_the_board_counts_states_and_the_on_time_rate(
    reviewer_client, zhengzhou_submitter, units, open_period
):
    submit(zhengzhou_submitter, units["郑州"], open_period)
    html = reviewer_client.get("/periods/2021/board/").content.decode()
    assert "共 28 个单位" in html
    assert '<strong class="on-time-rate">按时报送率 3.6%</strong>' in html  # 1 of 28


def test_a_late_first_submission_is_marked_late(
    reviewer_client, zhengzhou_submitter, reviewer, units, open_period
):
    report = submit(zhengzhou_submitter, units["郑州"], open_period)
    first = report.transitions.get()
    late = timezone.make_aware(
        datetime.datetime.combine(open_period.deadline, datetime.time(23, 59))
    )
    first.__class__.objects.filter(pk=first.pk).update(at=late + datetime.timedelta(minutes=2))
    rows = board_rows(reviewer_client.get("/periods/2021/board/"))
    assert rows["郑州市"][7]["text"] == "逾期"
    first.__class__.objects.filter(pk=first.pk).update(at=late)
    # The log of moves is append-only: rewriting it, as this test does behind the services'
    # back, moves no data version, so the board rendered before is dropped by hand.
    cache.clear()
    rows = board_rows(reviewer_client.get("/periods/2021/board/"))
    assert rows["郑州市"][7]["text"] == "按时"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("state=submitted", {"郑州市"}),
        ("state=draft", {"洛阳市"}),
        ("state=none&kind=zone", {"济源示范区"}),
        ("timeliness=on_time", {"郑州市"}),
        ("timeliness=late", set()),
        (
            "kind=county&state=none",
            {
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
            },
        ),
    ],
)
def test_the_board_filters(
    reviewer_client, zhengzhou_submitter, luoyang_submitter, units, open_period, query, expected
):
    submit(zhengzhou_submitter, units["郑州"], open_period)
    save_figures(luoyang_submitter, units["洛阳"], open_period, FIGURES)
    rows = board_rows(reviewer_client.get(f"/periods/2021/board/?{query}"))
    assert set(rows) == expected


def test_an_invalid_filter_shows_everything(reviewer_client, open_period):
    assert len(board_rows(reviewer_client.get("/periods/2021/board/?state=bogus"))) == 28


APPROVE = "/periods/2021/board/approve/"
SELECT_ALL = (
    '<input type="checkbox" class="select-all" data-form="bulk-approve" aria-label="全选" hidden>'
)
BULK_BUTTON = "批量审核通过所选报表"


def state_of():
    return dict(PledgeReport.objects.values_list("unit__short_name", "state"))


def flashed(response):
    return [str(m) for m in response.context["messages"]]


def test_the_board_shows_each_state_as_a_badge(
    reviewer_client, zhengzhou_submitter, luoyang_submitter, units, open_period
):
    submit(zhengzhou_submitter, units["郑州"], open_period)
    save_figures(luoyang_submitter, units["洛阳"], open_period, FIGURES)
    html = reviewer_client.get("/periods/2021/board/").content.decode()
    row = html[html.index('<tr data-state="submitted"') :].split("</tr>")[0]
    assert '<span class="state state-submitted">已提交</span>' in row and "郑州市" in row
    row = html[html.index('<tr data-state="draft"') :].split("</tr>")[0]
    assert '<span class="state state-draft">草稿</span>' in row and "洛阳市" in row
    assert html.count('<span class="state state-none">未开始</span>') == 26


def test_the_board_names_who_changed_a_report_as_the_report_page_does(
    reviewer_client, zhengzhou_submitter, luoyang_submitter, units, open_period
):
    zhengzhou_submitter.first_name, zhengzhou_submitter.last_name = "建国", "王"
    zhengzhou_submitter.save()
    submit(zhengzhou_submitter, units["郑州"], open_period)
    save_figures(luoyang_submitter, units["洛阳"], open_period, FIGURES)  # no name: the log-in
    record_published_figures(units["开封"], open_period, FIGURES)  # by a command: 系统
    rows = board_rows(reviewer_client.get("/periods/2021/board/"))
    names = {name: rows[name][-1]["text"] for name in ("郑州市", "洛阳市", "开封市", "安阳市")}
    assert names == {"郑州市": "建国 王", "洛阳市": "luoyang", "开封市": "系统", "安阳市": "—"}


def test_the_bulk_approval_is_offered_only_where_a_report_can_be_approved(
    reviewer_client, zhengzhou_submitter, luoyang_submitter, units, open_period
):
    save_figures(luoyang_submitter, units["洛阳"], open_period, FIGURES)
    html = reviewer_client.get("/periods/2021/board/").content.decode()
    for absent in (BULK_BUTTON, 'id="bulk-approve"', "select-all", 'name="report"'):
        assert absent not in html
    assert html_table(html, "board")[0][0]["text"] == "代码"  # no column of boxes

    submit(zhengzhou_submitter, units["郑州"], open_period)
    html = reviewer_client.get("/periods/2021/board/").content.decode()
    assert BULK_BUTTON in html and SELECT_ALL in html
    assert '<script src="/static/js/select-all.js" defer></script>' in html
    # Filtered to the drafts, nothing on the board can be approved.
    html = reviewer_client.get("/periods/2021/board/?state=draft").content.decode()
    assert BULK_BUTTON not in html and "select-all" not in html


def test_an_administrator_sees_the_board_without_the_bulk_approval(
    client, administrator_user, zhengzhou_submitter, units, open_period
):
    submit(zhengzhou_submitter, units["郑州"], open_period)
    client.force_login(administrator_user)
    html = client.get("/periods/2021/board/").content.decode()
    assert "郑州市" in html
    assert BULK_BUTTON not in html and "select-all" not in html and 'name="report"' not in html


def test_the_bulk_button_leads_to_a_confirmation_that_changes_nothing(
    reviewer_client, zhengzhou_submitter, make_submitter, units, open_period
):
    zhengzhou = submit(zhengzhou_submitter, units["郑州"], open_period)
    zhoukou = submit(make_submitter("zhoukou", units["周口"]), units["周口"], open_period)
    for report in (zhengzhou, zhoukou):
        report.refresh_from_db()
    chosen = [f"{zhoukou.pk}:{zhoukou.version}", f"{zhengzhou.pk}:{zhengzhou.version}"]
    response = reviewer_client.post(APPROVE, {"report": chosen})
    assert response.status_code == 200
    html = response.content.decode()
    assert "以下 2 份报表将审核通过，请核对：" in html
    rows = [[cell["text"] for cell in row] for row in html_table(html, "approve-confirm")]
    assert rows == [
        ["填报单位", "版本", "专利", "商标", "需要说明的情况", "最后修改"],
        [
            "郑州市",
            str(zhengzhou.version),
            "10 万元，1 项，1 件",
            "0 万元，0 项，0 件",
            "—",
            f"{shown(zhengzhou.updated_at)} zhengzhou",
        ],
        [
            "周口市",
            str(zhoukou.version),
            "10 万元，1 项，1 件",
            "0 万元，0 项，0 件",
            "—",
            f"{shown(zhoukou.updated_at)} zhoukou",
        ],
    ]
    # The confirmation carries the versions the board showed, and nothing else.
    assert html.count('type="hidden" name="report"') == 2
    for value in chosen:
        assert f'<input type="hidden" name="report" value="{value}">' in html
    assert (
        '<button type="submit" name="confirm" value="1" class="primary">确认审核通过</button>'
        in html
    )
    assert '<a class="button" href="/periods/2021/board/">返回</a>' in html
    assert state_of() == {"郑州": ReportState.SUBMITTED, "周口": ReportState.SUBMITTED}
    assert not ReportTransition.objects.filter(action=WorkflowAction.APPROVE).exists()

    response = reviewer_client.post(APPROVE, {"report": chosen, "confirm": "1"}, follow=True)
    assert response.redirect_chain == [("/periods/2021/board/", 302)]
    assert flashed(response) == ["已审核通过 2 份报表。"]
    assert state_of() == {"郑州": ReportState.APPROVED, "周口": ReportState.APPROVED}


def test_the_confirmation_names_what_cannot_be_approved_and_leaves_it_out(
    reviewer_client, zhengzhou_submitter, luoyang_submitter, units, open_period
):
    zhengzhou = submit(zhengzhou_submitter, units["郑州"], open_period)
    luoyang = save_figures(luoyang_submitter, units["洛阳"], open_period, FIGURES)
    zhengzhou.refresh_from_db()
    chosen = [f"{zhengzhou.pk}:{zhengzhou.version}", f"{luoyang.pk}:{luoyang.version}"]
    html = reviewer_client.post(APPROVE, {"report": chosen}).content.decode()
    assert "以下报表不能审核通过，不在本次审核之列：" in html
    assert "<li>洛阳市：报表当前状态为“草稿”，不能审核通过。</li>" in html
    assert "以下 1 份报表将审核通过，请核对：" in html
    assert f'value="{luoyang.pk}:{luoyang.version}"' not in html
    assert state_of() == {"郑州": ReportState.SUBMITTED, "洛阳": ReportState.DRAFT}


def test_a_confirmation_with_nothing_approvable_offers_only_the_way_back(
    reviewer_client, luoyang_submitter, units, open_period
):
    luoyang = save_figures(luoyang_submitter, units["洛阳"], open_period, FIGURES)
    html = reviewer_client.post(APPROVE, {"report": f"{luoyang.pk}:{luoyang.version}"}).content
    html = html.decode()
    assert "所选报表都不能审核通过。" in html
    assert 'name="confirm"' not in html and 'type="hidden" name="report"' not in html
    assert '<a class="button" href="/periods/2021/board/">返回</a>' in html
    assert state_of() == {"洛阳": ReportState.DRAFT}


def test_the_confirmation_shows_what_needs_explaining_with_the_explanation(
    reviewer_client, reviewer, zhengzhou_submitter, units, open_period
):
    last_year = ReportingPeriodFactory(year=2020)
    add_figures(units["郑州"], last_year, IPKind.PATENT, "4", 1, 1)
    add_figures(units["郑州"], last_year, IPKind.TRADEMARK, "0", 0, 0)
    # The province imports the figures on the unit's behalf: no explanation is asked for.
    report = import_figures(reviewer, units["郑州"], open_period, FIGURES, filename="全省.csv")
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    html = reviewer_client.post(APPROVE, {"report": f"{report.pk}:{report.version}"}).content
    rows = html_table(html.decode(), "approve-confirm")
    assert rows[1][4]["text"] == (
        "专利：质押金额（万元）较上年同期（4）变动 +150.0%。 上报说明：未填写上报说明。"
    )


def test_a_confirmed_approval_of_a_report_changed_since_is_refused(
    reviewer_client, reviewer, zhengzhou_submitter, units, open_period
):
    report = submit(zhengzhou_submitter, units["郑州"], open_period)
    report.refresh_from_db()
    seen = report.version
    transition(report, WorkflowAction.RETURN, reviewer, comment="请核对")
    transition(report, WorkflowAction.SUBMIT, zhengzhou_submitter)
    response = reviewer_client.post(
        APPROVE, {"report": f"{report.pk}:{seen}", "confirm": "1"}, follow=True
    )
    assert flashed(response) == [
        "郑州市：报表在您打开后已被zhengzhou修改（已提交），请查看最新内容后再操作。未审核通过。"
    ]
    assert state_of() == {"郑州": ReportState.SUBMITTED}
    assert not ReportTransition.objects.filter(action=WorkflowAction.APPROVE).exists()


def test_a_confirmed_approval_of_a_report_not_submitted_is_refused(
    reviewer_client, luoyang_submitter, units, open_period
):
    luoyang = save_figures(luoyang_submitter, units["洛阳"], open_period, FIGURES)
    chosen = {"report": f"{luoyang.pk}:{luoyang.version}", "confirm": "1"}
    response = reviewer_client.post(APPROVE, chosen, follow=True)
    assert flashed(response) == ["洛阳市：报表当前状态为“草稿”，不能审核通过。"]
    assert state_of() == {"洛阳": ReportState.DRAFT}


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"confirm": "1"},
        {"report": ["x", "12:", ":3", "99999:1"]},
        {"report": "99999:1", "confirm": "1"},
    ],
)
def test_a_bulk_approval_with_nothing_chosen_says_so(
    reviewer_client, zhengzhou_submitter, units, open_period, data
):
    submit(zhengzhou_submitter, units["郑州"], open_period)
    response = reviewer_client.post(APPROVE, data, follow=True)
    assert response.redirect_chain == [("/periods/2021/board/", 302)]
    assert flashed(response) == ["请先勾选要审核通过的报表。"]
    assert state_of() == {"郑州": ReportState.SUBMITTED}


def test_a_report_of_another_period_is_not_approved_from_this_board(
    reviewer_client, zhengzhou_submitter, units, open_period
):
    other = ReportingPeriodFactory(year=2022, deadline=open_period.deadline)
    report = submit(zhengzhou_submitter, units["郑州"], other)
    report.refresh_from_db()
    chosen = {"report": f"{report.pk}:{report.version}", "confirm": "1"}
    response = reviewer_client.post(APPROVE, chosen, follow=True)
    assert flashed(response) == ["请先勾选要审核通过的报表。"]
    assert state_of() == {"郑州": ReportState.SUBMITTED}


@pytest.mark.parametrize("reports", [1, 28])
def test_the_confirmation_runs_a_fixed_number_of_queries(
    reviewer_client, make_submitter, units, open_period, django_assert_num_queries, reports
):
    last_year = ReportingPeriodFactory(year=2020)
    user = make_submitter("all", *units.values())
    chosen = []
    for unit in list(units.values())[:reports]:
        add_figures(unit, last_year, IPKind.PATENT, "1", 1, 1)  # to explain: +900.0%
        report = save_figures(user, unit, open_period, FIGURES, explanation="新增大额质押")
        transition(report, WorkflowAction.SUBMIT, user)
        report.refresh_from_db()
        chosen.append(f"{report.pk}:{report.version}")
    # session, user, groups, period, reports, their figures, the year before, its figures
    with django_assert_num_queries(8):
        response = reviewer_client.post(APPROVE, {"report": chosen})
    html = response.content.decode()
    assert html.count('type="hidden" name="report"') == reports
    assert html.count("较上年同期（1）变动 +900.0%。") == reports


@pytest.mark.parametrize("reports", [1, 28])
def test_the_board_runs_a_fixed_number_of_queries(
    reviewer_client, make_submitter, units, open_period, django_assert_num_queries, reports
):
    user = make_submitter("all", *units.values())
    for unit in list(units.values())[:reports]:
        submit(user, unit, open_period)
    # session, user, groups, period, summary, rows (the rows are rendered once per version of
    # the data, a token in the cache)
    with django_assert_num_queries(6):
        assert reviewer_client.get("/periods/2021/board/").status_code == 200
    # Again, unchanged: session, user, groups (the period is cached too)
    with django_assert_num_queries(3):
        assert reviewer_client.get("/periods/2021/board/").status_code == 200
