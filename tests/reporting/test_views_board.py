import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from reporting.models import IPKind, PledgeReport, ReportState, WorkflowAction
from reporting.services import Figures, save_figures, transition
from tests.helpers import html_table

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
    rows = html_table(response.content.decode(), "board")[1:]
    return {row[2]["text"]: row for row in rows}  # by unit name (columns: select, code, name, …)


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


def test_bulk_approval_approves_the_chosen_submitted_reports(
    reviewer_client, zhengzhou_submitter, luoyang_submitter, units, open_period
):
    zhengzhou = submit(zhengzhou_submitter, units["郑州"], open_period)
    luoyang = save_figures(luoyang_submitter, units["洛阳"], open_period, FIGURES)
    zhengzhou.refresh_from_db()  # the version the board shows
    chosen = [f"{zhengzhou.pk}:{zhengzhou.version}", f"{luoyang.pk}:{luoyang.version}"]
    response = reviewer_client.post("/periods/2021/board/approve/", {"report": chosen}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "已审核通过 1 份报表。",
        "洛阳市：报表当前状态为“草稿”，不能审核通过。",
    ]
    states = dict(PledgeReport.objects.values_list("unit__short_name", "state"))
    assert states == {"郑州": ReportState.APPROVED, "洛阳": ReportState.DRAFT}


def test_bulk_approval_with_nothing_chosen_says_so(reviewer_client, open_period):
    response = reviewer_client.post("/periods/2021/board/approve/", {}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["请先勾选要审核通过的报表。"]


@pytest.mark.parametrize("reports", [1, 28])
def test_the_board_runs_a_fixed_number_of_queries(
    reviewer_client, make_submitter, units, open_period, django_assert_num_queries, reports
):
    user = make_submitter("all", *units.values())
    for unit in list(units.values())[:reports]:
        submit(user, unit, open_period)
    # session, user, groups, period, summary, rows
    with django_assert_num_queries(6):
        assert reviewer_client.get("/periods/2021/board/").status_code == 200
