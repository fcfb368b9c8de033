import datetime
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.contrib.messages import get_messages

from reporting.models import IPKind, PledgeFigures, PledgeReport
from reporting.services import Figures, import_figures, save_figures
from tests.support.factories import PledgeFiguresFactory, ReportingPeriodFactory, add_figures
from tests.support.helpers import html_table
from workflow.models import ReportState, WorkflowAction
from workflow.services import transition

pytestmark = pytest.mark.django_db

URL = "/periods/2021/410100/"


def form(version=0, action="save", explanation="", **overrides):
    data = {"action": action, "version": version, "explanation": explanation}
    values = {
        "patent": ("100.5", "2", "5", "2", "1", "2"),
        "trademark": ("0", "0", "0", "", "", ""),
    }
    for kind, (amount, projects, items, enterprises, smes, inclusive) in values.items():
        data.update(
            {
                f"{kind}-amount": amount,
                f"{kind}-projects": projects,
                f"{kind}-items": items,
                f"{kind}-enterprises": enterprises,
                f"{kind}-smes": smes,
                f"{kind}-inclusive_projects": inclusive,
            }
        )
    data.update(overrides)
    return data


def flash(response):
    """The messages for the user (after a followed redirect: the ones the page showed)."""
    if getattr(response, "redirect_chain", None):
        return [str(m) for m in response.context["messages"]]
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def submitter_client(client, zhengzhou_submitter, open_period):
    client.force_login(zhengzhou_submitter)
    return client


@pytest.fixture
def reviewer_client(client, reviewer, open_period):
    client.force_login(reviewer)
    return client


def test_a_new_report_shows_an_empty_form_with_the_rules(submitter_client):
    html = submitter_client.get(URL).content.decode()
    assert "郑州市 2021年质押融资报表" in html
    assert 'name="version" value="0"' in html
    assert 'name="patent-amount"' in html and 'name="trademark-items"' in html
    assert "数据按质权设立日（质押登记生效之日）统计" in html
    assert '<span class="state state-none" id="report-state">未开始</span>' in html


def test_saving_a_draft_stores_the_figures(submitter_client, units):
    response = submitter_client.post(URL, form())
    assert response.status_code == 302 and response["Location"] == URL
    assert flash(response) == ["已保存草稿。"]
    report = PledgeReport.objects.get()
    assert (report.unit, report.state, report.version) == (units["郑州"], ReportState.DRAFT, 1)
    patent = report.figures.get(kind=IPKind.PATENT)
    assert (patent.amount, patent.projects, patent.items, patent.enterprises, patent.smes) == (
        Decimal("100.50"), 2, 5, 2, 1,
    )  # fmt: skip
    assert report.figures.get(kind=IPKind.TRADEMARK).enterprises is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("patent-amount", "-5", "质押金额不能为负数。"),
        ("patent-amount", "abc", "输入一个数字。"),
        ("patent-amount", "1.234", "确认小数不超过 2 位."),
        ("patent-projects", "0", "质押金额大于 0 时，项目数至少为 1。"),
        ("patent-items", "1", "专利数（1）不能少于项目数（2）：每个项目至少质押 1 件。"),
        ("patent-items", "", "这个字段是必填项。"),
        ("patent-enterprises", "3", "惠及企业数（3）不能多于项目数（2）。"),
        ("patent-smes", "3", "中小微企业数（3）不能多于惠及企业数（2）。"),
        ("trademark-smes", "1", "填写中小微企业数时，须同时填写惠及企业数。"),
        ("patent-inclusive_projects", "9", "普惠项目数（9）不能多于项目数（2）。"),
        ("trademark-amount", "5", "质押金额大于 0 时，项目数至少为 1。"),
        ("patent-projects", "-1", "确保该值大于或等于0。"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(submitter_client, field, value, message):
    response = submitter_client.post(URL, form(**{field: value}))
    assert response.status_code == 400
    html = response.content.decode()
    assert f'<span class="error">{message}</span>' in html
    assert "数据有误，未保存。请按提示修改。" in html
    assert not PledgeReport.objects.exists()
    assert not PledgeFigures.objects.exists()


def test_a_tampered_version_is_refused_cleanly(submitter_client):
    response = submitter_client.post(URL, form(version="x"))
    assert response.status_code == 400
    assert not PledgeReport.objects.exists()


def test_save_and_submit_in_one_step(submitter_client):
    response = submitter_client.post(URL, form(action="submit"))
    assert flash(response) == ["已提交，等待省局审核。"]
    assert PledgeReport.objects.get().state == ReportState.SUBMITTED


def test_a_refused_submission_is_an_error_that_gives_its_reasons_in_one_sentence(submitter_client):
    """Saved, yes; submitted, no: what the clerk asked for did not happen (an error, not a
    note), and the reasons read as one sentence, each clause once punctuated."""
    both_without_enterprises = {
        "patent-enterprises": "", "patent-smes": "",
        "trademark-amount": "10", "trademark-projects": "1", "trademark-items": "1",
    }  # fmt: skip
    response = submitter_client.post(URL, form(action="submit", **both_without_enterprises))
    [message] = list(get_messages(response.wsgi_request))
    assert message.level_tag == "error"
    assert str(message) == (
        "已保存为草稿，但未能提交：以下情况须在“上报说明”中说明原因后才能提交："
        "专利：有 2 个质押项目，但惠及企业数为空或 0；商标：有 1 个质押项目，但惠及企业数为空或 0。"
    )


def test_a_submission_that_needs_an_explanation_stays_a_saved_draft(submitter_client):
    no_enterprises = {"patent-enterprises": "", "patent-smes": ""}
    response = submitter_client.post(URL, form(action="submit", **no_enterprises))
    assert flash(response) == [
        "已保存为草稿，但未能提交：以下情况须在“上报说明”中说明原因后才能提交："
        "专利：有 2 个质押项目，但惠及企业数为空或 0。"
    ]
    report = PledgeReport.objects.get()
    assert report.state == ReportState.DRAFT
    page = submitter_client.get(URL).content.decode()
    assert "专利：有 2 个质押项目，但惠及企业数为空或 0。" in page
    submitter_client.post(
        URL, form(version=1, action="submit", explanation="企业数待银行确认。", **no_enterprises)
    )
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


def test_a_stale_form_loses_to_the_newer_save(submitter_client):
    submitter_client.post(URL, form(), follow=True)
    response = submitter_client.post(URL, form(version=0, **{"patent-amount": "999"}))
    assert flash(response) == ["报表在您打开后已被zhengzhou修改（草稿），请查看最新内容后再操作。"]
    assert PledgeFigures.objects.get(kind=IPKind.PATENT).amount == Decimal("100.50")


def test_a_submitted_report_is_read_only_and_says_why(submitter_client):
    submitter_client.post(URL, form(action="submit"), follow=True)
    html = submitter_client.get(URL).content.decode()
    assert 'name="patent-amount"' not in html
    assert (
        '<div class="callout locked" id="lock-reason">报表已提交，正在等待审核，暂不能修改。</div>'
        in html
    )
    response = submitter_client.post(URL, form(version=2, **{"patent-amount": "1"}))
    assert flash(response) == ["报表已提交，正在等待审核，暂不能修改。"]
    assert PledgeFigures.objects.get(kind=IPKind.PATENT).amount == Decimal("100.50")


def test_a_closed_period_says_so(client, zhengzhou_submitter, units):
    ReportingPeriodFactory(
        year=2021, opens_on=datetime.date(2022, 1, 1), deadline=datetime.date(2022, 1, 31)
    )
    client.force_login(zhengzhou_submitter)
    html = client.get(URL).content.decode()
    assert "本期报送已于 2022-01-31 截止。如需补报，请联系省局为本单位延期。" in html
    assert 'name="patent-amount"' not in html


def test_the_reviewer_sees_last_year_and_the_change(
    reviewer_client, zhengzhou_submitter, units, open_period
):
    last_year = ReportingPeriodFactory(year=2020)
    add_figures(units["郑州"], last_year, IPKind.PATENT, "50", 1, 4)
    add_figures(units["郑州"], last_year, IPKind.TRADEMARK, "0", 0, 0)
    figures = {
        IPKind.PATENT: Figures(Decimal("100.5"), 2, 5, 2),
        IPKind.TRADEMARK: Figures(Decimal("20"), 1, 1, 1),
    }
    report = save_figures(
        zhengzhou_submitter, units["郑州"], open_period, figures, explanation="增长较快"
    )
    transition(report, WorkflowAction.SUBMIT, zhengzhou_submitter)
    html = reviewer_client.get(URL).content.decode()
    row = html[html.index("质押金额（万元）</th>") :].split("</tr>")[0]
    assert [cell.split(">")[-1] for cell in row.split("</td>")[:-1]] == [
        "100.5", "50", "+101.0%", "20", "0", "新增",
    ]  # fmt: skip
    assert "增长较快" in html
    assert "审核通过" in html and "退回修改" in html


def submitted(zhengzhou_submitter, units, open_period):
    figures = {
        IPKind.PATENT: Figures(Decimal("10"), 1, 1, 1),
        IPKind.TRADEMARK: Figures(Decimal("0"), 0, 0),
    }
    report = save_figures(zhengzhou_submitter, units["郑州"], open_period, figures)
    transition(report, WorkflowAction.SUBMIT, zhengzhou_submitter)
    report.refresh_from_db()
    return report


def test_a_reviewer_approves_and_a_second_click_is_friendly(
    reviewer_client, zhengzhou_submitter, units, open_period
):
    report = submitted(zhengzhou_submitter, units, open_period)
    response = reviewer_client.post(URL + "approve/", {"version": report.version}, follow=True)
    assert flash(response) == ["郑州市的报表已审核通过。"]
    response = reviewer_client.post(URL + "approve/", {"version": report.version})
    assert flash(response) == ["报表已经审核通过。"]
    report.refresh_from_db()
    assert report.state == ReportState.APPROVED


def test_returning_without_a_reason_is_refused(
    reviewer_client, zhengzhou_submitter, units, open_period
):
    report = submitted(zhengzhou_submitter, units, open_period)
    response = reviewer_client.post(URL + "return/", {"version": report.version, "comment": "  "})
    assert flash(response) == ["请填写退回的原因。"]
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


def test_the_submitter_sees_the_reason_for_a_return(
    client, reviewer, zhengzhou_submitter, units, open_period
):
    report = submitted(zhengzhou_submitter, units, open_period)
    client.force_login(reviewer)
    client.post(URL + "return/", {"version": report.version, "comment": "项目数与台账不符"})
    client.force_login(zhengzhou_submitter)
    html = client.get(URL).content.decode()
    assert (
        '<div class="callout returned" id="review-comment"><strong>审核意见：</strong>项目数与台账不符</div>'
        in html
    )
    assert 'name="patent-amount"' in html


def test_a_reviewer_grants_an_extension(reviewer_client, units, open_period):
    until = open_period.deadline + datetime.timedelta(days=5)
    response = reviewer_client.post(
        URL + "extension/", {"until": until.isoformat(), "reason": "系统故障"}
    )
    assert flash(response) == [f"已允许郑州市在 {until.isoformat()} 前补报。"]
    assert units["郑州"].extensions.get().until == until


def test_an_extension_without_a_reason_is_refused(reviewer_client, units, open_period):
    response = reviewer_client.post(URL + "extension/", {"until": "2099-01-01", "reason": ""})
    assert flash(response) == ["请填写延期日期和原因。"]
    assert not units["郑州"].extensions.exists()


def test_a_submitter_home_lists_units_periods_and_next_steps(
    client, make_submitter, units, open_period
):
    user = make_submitter("twounits", units["郑州"], units["巩义"])
    save_figures(
        user,
        units["巩义"],
        open_period,
        {
            IPKind.PATENT: Figures(Decimal("1"), 1, 1, 1),
            IPKind.TRADEMARK: Figures(Decimal("0"), 0, 0),
        },
    )
    client.force_login(user)
    html = client.get("/").content.decode()
    rows = html[html.index('<table class="list tasks">') :].split("</table>")[0]
    assert rows.count("<tr data-state") == 2
    assert '<tr data-state="none">' in rows and '<tr data-state="draft">' in rows
    assert rows.count("填写并提交") == 2
    assert 'href="/periods/2021/410181/"' in rows and 'href="/periods/2021/410100/"' in rows
    assert "洛阳市" not in rows


def test_a_submitter_home_runs_a_fixed_number_of_queries(
    client, make_submitter, units, django_assert_num_queries
):
    user = make_submitter("many", *units.values())
    for year in (2019, 2020, 2021):
        ReportingPeriodFactory(year=year)
    client.force_login(user)
    # session, user, groups, unit ids, units, periods, reports, extensions
    with django_assert_num_queries(8):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("rounds", [0, 4])
def test_the_report_page_runs_a_fixed_number_of_queries(
    reviewer_client,
    reviewer,
    zhengzhou_submitter,
    units,
    open_period,
    django_assert_num_queries,
    rounds,
):
    report = submitted(zhengzhou_submitter, units, open_period)
    for amount in range(11, 11 + rounds):
        transition(report, WorkflowAction.RETURN, reviewer, "再核对")
        save_figures(
            zhengzhou_submitter,
            units["郑州"],
            open_period,
            {IPKind.PATENT: Figures(Decimal(amount), 1, 1, 1)},
        )
        transition(report, WorkflowAction.SUBMIT, zhengzhou_submitter)
    with django_assert_num_queries(QUERIES_OF_THE_REPORT_PAGE):
        assert reviewer_client.get(URL).status_code == 200


# The year-earlier lookup is shared by warnings and comparison; the report knows its unit and
# period, and the log of changes is rendered once per version of the report.
QUERIES_OF_THE_REPORT_PAGE = 12


# ── last year's figures on the form, and the reviewer's view of what needs explaining ──


class _Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inputs = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name"):
            self.inputs[attrs["name"]] = attrs


def inputs(html):
    """Every named input of the page: name → its attributes."""
    parser = _Inputs()
    parser.feed(html)
    return parser.inputs


def compared(attrs):
    return {key: value for key, value in attrs.items() if key.startswith("data-")}


@pytest.fixture
def last_year(units):
    """郑州's 2020: patents 50 万元, 1 project, 4 patents; no trademarks."""
    period = ReportingPeriodFactory(year=2020)
    add_figures(units["郑州"], period, IPKind.PATENT, "50", 1, 4)
    add_figures(units["郑州"], period, IPKind.TRADEMARK, "0", 0, 0)
    return period


def test_the_form_of_a_report_not_begun_shows_last_years_figures(submitter_client, last_year):
    html = submitter_client.get(URL).content.decode()
    fields = inputs(html)
    assert compared(fields["patent-amount"]) == {
        "data-last-year": "50.00",
        "data-warn-new": "专利：质押金额（万元）上年同期为 0，本期为 {new}。",
        "data-warn-change": "专利：质押金额（万元）较上年同期（50）变动 {change}。",
    }
    assert compared(fields["patent-items"]) == {
        "data-last-year": "4",
        "data-warn-new": "专利：专利数上年同期为 0，本期为 {new}。",
        "data-warn-change": "专利：专利数较上年同期（4）变动 {change}。",
    }
    assert compared(fields["trademark-projects"])["data-last-year"] == "0"
    # Only the figures the server compares warn; the others are shown.
    assert compared(fields["patent-enterprises"]) == {}
    rows = html_table(html, "figures-form")
    assert [[cell["text"] for cell in row] for row in rows[1:]] == [
        ["质押金额（万元） *", "上年同期：50", "上年同期：0"],
        ["项目数 *", "上年同期：1", "上年同期：0"],
        ["专利数 / 商标件数 *", "上年同期：4", "上年同期：0"],
        ["惠及企业数", "上年同期：—", "上年同期：—"],
        ["其中中小微企业数", "上年同期：—", "上年同期：—"],
        ["普惠项目数", "上年同期：—", "上年同期：—"],
    ]
    assert html.count('<span class="change-warning" role="status" hidden></span>') == 6
    assert '<form method="post" class="report-form" novalidate data-change-limit="50">' in html
    assert '<script src="/static/js/report-form.js" defer></script>' in html


def test_the_form_of_a_saved_draft_shows_last_years_figures_too(
    submitter_client, zhengzhou_submitter, units, open_period, last_year
):
    save_figures(zhengzhou_submitter, units["郑州"], open_period, {IPKind.PATENT: GOOD_PATENT})
    html = submitter_client.get(URL).content.decode()
    fields = inputs(html)
    assert fields["patent-amount"]["value"] == "100.50"
    assert fields["patent-amount"]["data-last-year"] == "50.00"
    assert "上年同期：50" in html
    # Saved figures are compared when the page opens; the 0 of kinds not yet saved only once
    # the clerk types.
    assert "data-entered" in fields["patent-amount"]
    assert "data-entered" not in fields["trademark-amount"]


def test_figures_sent_back_with_an_error_are_compared_when_the_page_opens(
    submitter_client, last_year
):
    response = submitter_client.post(URL, form(**{"patent-projects": "0"}))
    assert response.status_code == 400
    fields = inputs(response.content.decode())
    assert fields["patent-amount"]["value"] == "100.5"
    assert (
        "data-entered" in fields["patent-amount"] and "data-entered" in fields["trademark-amount"]
    )


def test_without_a_year_earlier_the_form_compares_nothing(submitter_client, units):
    ReportingPeriodFactory(year=2019)  # not the same period a year earlier
    html = submitter_client.get(URL).content.decode()
    assert "上年同期：" not in html and "change-warning" not in html
    assert not any(compared(attrs) for attrs in inputs(html).values())


def test_a_unit_without_figures_a_year_earlier_sees_dashes_and_no_warnings(submitter_client, units):
    ReportingPeriodFactory(year=2020)
    html = submitter_client.get(URL).content.decode()
    assert html.count("上年同期：—") == 12
    assert not any(compared(attrs) for attrs in inputs(html).values())


def test_figures_summed_from_contracts_show_last_year_without_warning(
    submitter_client, zhengzhou_submitter, units, open_period, last_year
):
    report = save_figures(zhengzhou_submitter, units["郑州"], open_period, {})
    PledgeFiguresFactory(
        report=report, kind=IPKind.TRADEMARK, amount=5, projects=1, items=1, source="derived"
    )
    html = submitter_client.get(URL).content.decode()
    fields = inputs(html)
    assert "disabled" in fields["trademark-amount"]
    assert "data-last-year" not in fields["trademark-amount"]
    assert fields["patent-amount"]["data-last-year"] == "50.00"


def test_a_read_only_report_page_has_no_form_script(
    submitter_client, zhengzhou_submitter, units, open_period
):
    ReportingPeriodFactory(year=2020)
    submitted(zhengzhou_submitter, units, open_period)
    html = submitter_client.get(URL).content.decode()
    assert "report-form.js" not in html and "上年同期：" not in html


def test_the_form_of_a_report_not_begun_runs_a_fixed_number_of_queries(
    submitter_client, last_year, django_assert_num_queries
):
    # session, user, period, unit, groups, unit ids, report, extension (the deadline, for the
    # lock and shown), the year before, its figures
    with django_assert_num_queries(10):
        assert submitter_client.get(URL).status_code == 200


GOOD_PATENT = Figures(Decimal("100.5"), 2, 5, 2, 1, 2)


def imported(reviewer, units, open_period, explanation=""):
    """郑州's figures as the province imports them: submitted, no explanation asked for."""
    figures = {IPKind.PATENT: GOOD_PATENT, IPKind.TRADEMARK: Figures(Decimal("20"), 1, 1, 1)}
    report = import_figures(reviewer, units["郑州"], open_period, figures, filename="全省.csv")
    if explanation:
        PledgeReport.objects.filter(pk=report.pk).update(explanation=explanation)
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    return report


WARNINGS_OF_THE_IMPORT = [
    "专利：质押金额（万元）较上年同期（50）变动 +101.0%。",
    "专利：项目数较上年同期（1）变动 +100.0%。",
    "商标：质押金额（万元）上年同期为 0，本期为 20。",
    "商标：项目数上年同期为 0，本期为 1。",
    "商标：商标件数上年同期为 0，本期为 1。",
]


def review_panel(html):
    return html[html.index('<section class="card review-actions">') :].split("</section>")[0]


def test_the_reviewer_sees_what_needs_explaining_beside_the_approve_button(
    reviewer_client, reviewer, units, open_period, last_year
):
    imported(reviewer, units, open_period)
    html = reviewer_client.get(URL).content.decode()
    panel = review_panel(html)
    assert panel.index('id="review-warnings"') < panel.index("审核通过")
    listed = "".join(f"<li>{warning}</li>" for warning in WARNINGS_OF_THE_IMPORT)
    assert f"<strong>需要说明的情况：</strong>\n    <ul>{listed}</ul>" in panel
    assert (
        '<p class="review-explanation"><strong>上报说明：</strong>'
        '<em class="missing">未填写上报说明。</em></p>'
    ) in panel
    assert 'id="warnings"' not in html  # said once, where the decision is taken


def test_the_reviewer_sees_the_explanation_given(
    reviewer_client, reviewer, units, open_period, last_year
):
    imported(reviewer, units, open_period, explanation="新增两家企业。\n已核实。")
    panel = review_panel(reviewer_client.get(URL).content.decode())
    assert (
        '<p class="review-explanation"><strong>上报说明：</strong>新增两家企业。<br>已核实。</p>'
        in panel
    )
    assert "未填写上报说明。" not in panel


def test_the_reviewer_is_told_when_nothing_needs_explaining(
    reviewer_client, zhengzhou_submitter, units, open_period
):
    submitted(zhengzhou_submitter, units, open_period)
    panel = review_panel(reviewer_client.get(URL).content.decode())
    assert '<p class="help" id="review-warnings">没有需要说明的情况。</p>' in panel


def test_the_submitter_still_sees_the_warnings_at_the_top(
    submitter_client, reviewer, units, open_period, last_year
):
    imported(reviewer, units, open_period)
    html = submitter_client.get(URL).content.decode()
    assert 'id="warnings"' in html and 'id="review-warnings"' not in html
    for warning in WARNINGS_OF_THE_IMPORT:
        assert f"<li>{warning}</li>" in html
