import csv
import datetime
import io
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook

from analysis import charts, queries
from analysis.models import StandingRules
from lib.numbers import NEW, NOT_AVAILABLE
from periods.models import ReportingPeriod
from reporting.models import IPKind
from tests.support.factories import ReportingPeriodFactory, add_figures

pytestmark = pytest.mark.django_db

# An invented 2019 (tests only): 焦作、漯河、安阳、濮阳、鹤壁、南阳 grew fast into 2020.
PATENT_2019 = {
    "三门峡": ("45000", 1, 20), "洛阳": ("30000", 25, 200), "驻马店": ("30000", 14, 90),
    "焦作": ("12000", 20, 150), "漯河": ("9000", 15, 90), "安阳": ("8000", 8, 60),
    "郑州": ("18000", 27, 140), "濮阳": ("7000", 12, 70), "鹤壁": ("6000", 6, 50),
    "南阳": ("4000", 6, 30), "商丘": ("8000", 9, 80), "济源": ("8000", 8, 70),
    "信阳": ("8000", 6, 30), "许昌": ("6000", 11, 54), "平顶山": ("3700", 5, 28),
    "周口": ("3500", 4, 25), "新乡": ("3500", 2, 5), "开封": ("0", 0, 0),
}  # fmt: skip


@pytest.fixture
def years(published_demo, db, units):
    before = ReportingPeriodFactory(year=2019)
    for name, (amount, projects, items) in PATENT_2019.items():
        add_figures(units[name], before, IPKind.PATENT, amount, projects, items)
    return before, ReportingPeriod.objects.by_slug("2020").get()


def test_growth_says_new_instead_of_an_infinite_percentage():
    assert queries.growth(Decimal("10"), Decimal("0")) == NEW
    assert queries.growth(0, 0) == NOT_AVAILABLE
    assert queries.growth(Decimal("10"), None) == NOT_AVAILABLE
    assert queries.growth(Decimal("150"), Decimal("100")).percent == Decimal("50.0")
    assert queries.growth(1, 3).percent == Decimal("-66.7")
    assert [str(queries.growth(*pair)) for pair in ((10, 0), (0, 0), (150, 100), (1, 3))] == [
        "新增", "—", "+50.0%", "-66.7%",
    ]  # fmt: skip


def test_year_over_year_with_growth_and_rank_change(years):
    before, now = years
    compared_to, _ranking, rows = queries.compare(now, IPKind.PATENT)
    assert compared_to == before
    by_unit = {row.unit.short_name: row for row in rows}
    jiaozuo = by_unit["焦作"]
    assert (jiaozuo.before_amount, jiaozuo.amount_growth.percent, jiaozuo.rank_change) == (
        Decimal("12000.00"), Decimal("113.6"), 1,
    )  # fmt: skip
    assert by_unit["开封"].amount_growth == NEW
    assert by_unit["郑州"].rank_change == -3  # fourth in 2019, seventh in 2020


def test_a_period_with_no_comparable_one_shows_nothing_to_compare(years):
    _before, now = years
    compared_to, _ranking, rows = queries.compare(now, IPKind.TRADEMARK)
    assert compared_to is not None  # 2019 exists, but holds no trademarks
    assert {row.amount_growth for row in rows if row.amount == 0} == {NOT_AVAILABLE}
    assert {row.amount_growth for row in rows if row.amount > 0} == {NEW}


def test_the_standings_of_2020_read_like_the_circular(years):
    _before, now = years
    by_label = {}
    for standing in queries.standings(now, IPKind.PATENT):
        by_label.setdefault(standing.label, []).append(standing.unit.short_name)
    assert by_label["成绩优异"] == ["三门峡", "洛阳", "驻马店"]
    assert set(by_label["进步较快"]) == {"焦作", "漯河", "安阳", "濮阳", "鹤壁", "南阳"}
    assert by_label["相对滞后"] == ["许昌", "平顶山", "周口", "新乡", "开封"]


def test_a_standing_is_kept_by_its_code_and_worded_in_the_readers_language(years):
    _before, now = years
    with translation.override("en"):
        standings = {s.unit.short_name: s for s in queries.standings(now, IPKind.PATENT)}
        sanmenxia, kaifeng = standings["三门峡"], standings["开封"]
        assert (sanmenxia.judgement, sanmenxia.label) == (queries.EXCELLENT, "Excellent")
        assert (kaifeng.judgement, kaifeng.label) == (queries.LAGGING, "Lagging")
        assert standings["焦作"].label == "Fast progress"
        with translation.override("zh-hans"):  # as a circular is drafted
            assert (sanmenxia.label, kaifeng.label) == ("成绩优异", "相对滞后")
    assert {s.judgement for s in standings.values()} == {"excellent", "fast", "lagging", ""}


def test_the_rules_can_be_changed(years):
    _before, now = years
    StandingRules.objects.create(
        excellent_top=1,
        fast_growth_percent=Decimal("200"),
        lagging_bottom=1,
        falling_is_lagging=False,
    )
    labels = {s.unit.short_name: (s.label, s.reason) for s in queries.standings(now, IPKind.PATENT)}
    assert labels["三门峡"] == ("成绩优异", "金额排名第 1 位")
    assert labels["洛阳"] == ("", "")
    assert labels["南阳"] == ("", "")  # +157 % is no longer fast
    assert labels["开封"] == ("相对滞后", "金额排名第 18 位（共 18 位）")
    assert labels["新乡"] == ("", ""), "a fall no longer counts, and 17th is not the last one"


def test_units_still_at_zero_and_when_each_broke_zero(years, units):
    _before, now = years
    zeros, first = queries.zero_units(now, IPKind.TRADEMARK)
    assert [row.unit.short_name for row in zeros] == [
        "开封",
        "平顶山",
        "安阳",
        "焦作",
        "许昌",
        "漯河",
        "三门峡",
        "信阳",
        "济源",
    ]
    assert first[units["南阳"].pk] == 2020 and units["开封"].pk not in first
    _zeros, patent_first = queries.zero_units(now, IPKind.PATENT)
    assert patent_first[units["洛阳"].pk] == 2019 and patent_first[units["开封"].pk] == 2020


def test_peers_beside_henan(years):
    peers = queries.peer_comparison(2020)
    assert [(p["province"], p["amount"]) for p in peers[IPKind.TRADEMARK]] == [
        ("浙江省", Decimal("2005400.00")), ("山东省", Decimal("1014600.00")), ("河南省", Decimal("55807.53")),
    ]  # fmt: skip


def test_a_bar_chart_is_valid_svg_with_its_labels_and_values():
    chart = charts.bar_chart(
        "2020年各地市专利质押金额", ["三门峡", "洛阳<x>"], [Decimal("50000"), Decimal("37209.56")]
    )
    root = ET.fromstring(chart.svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts[:1] == ["2020年各地市专利质押金额"]
    assert {"三门峡", "洛阳<x>", "50000", "37209.56", "万元"} <= set(texts)
    assert chart.table == [["三门峡", "50000"], ["洛阳<x>", "37209.56"]]


def test_a_line_chart_is_valid_svg_with_its_series():
    chart = charts.line_chart(
        "趋势",
        [2019, 2020],
        [("专利", [Decimal("1"), Decimal("2.5")]), ("商标", [None, Decimal("3")])],
    )
    root = ET.fromstring(chart.svg)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert {"趋势", "2019", "2020", "专利", "商标", "2.5", "3"} <= set(texts)
    assert chart.table == [["2019", "1", "—"], ["2020", "2.5", "3"]]


def test_a_line_charts_labels_neither_overlap_nor_leave_the_picture():
    # Two series ending close together at a long label ("2021（报送中）").
    chart = charts.line_chart(
        "趋势",
        ["2020", "2021（报送中）"],
        [("专利", [Decimal("298611.56"), Decimal("18500")]), ("商标", [Decimal("55807.53"), 950])],
    )
    root = ET.fromstring(chart.svg)
    width = float(root.get("width"))
    texts = {t.text: t for t in root.iter("{http://www.w3.org/2000/svg}text")}
    last = texts["2021（报送中）"]
    assert float(last.get("x")) + charts._text_width(last.text) / 2 <= width
    heights = [float(texts[value].get("y")) for value in ("18500", "950")]
    assert abs(heights[0] - heights[1]) >= 12


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


def test_the_comparison_page_and_its_exports(reviewer_client, years):
    html = reviewer_client.get("/analysis/2020/patent/").content.decode()
    assert "2020年专利质押融资同比分析" in html and "<svg" in html
    assert "对比周期：2019年" in html
    rows = list(
        csv.reader(
            io.StringIO(
                reviewer_client.get("/analysis/2020/patent/?_export=csv").content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert rows[0][:3] == ["金额排名", "地市", "质押金额（万元）"]
    assert rows[4] == [
        "4",
        "焦作市",
        "25630",
        "12000",
        "113.6",
        "32",
        "60.0",
        "238",
        "58.7",
        "1",
        "进步较快",
        "金额增长 113.6%",
    ]
    sheet = load_workbook(
        io.BytesIO(reviewer_client.get("/analysis/2020/patent/?_export=xlsx").content)
    ).active
    assert sheet["B2"].value == "三门峡市" and sheet["K2"].value == "成绩优异"
    # Numbers are numbers, as a spreadsheet sums them (they were text).
    assert (sheet["C5"].value, sheet["E5"].value, sheet["J5"].value) == (25630, 113.6, 1)
    assert {sheet[cell].data_type for cell in ("C5", "D5", "E5", "F5", "J5")} == {"n"}


def test_the_dashboard(reviewer_client, years):
    html = reviewer_client.get("/analysis/").content.decode()
    assert "全省质押融资概况" in html and html.count("<svg") == 3
    assert "2020年与外省对比" in html


def test_a_year_still_being_reported_is_marked_and_peers_use_their_latest_year(
    reviewer_client, years, units
):
    # 2021 is still open (its deadline is ahead) and has one approved figure; the peer
    # provinces have figures for 2020 only.
    deadline = timezone.localdate() + datetime.timedelta(days=1)
    current = ReportingPeriodFactory(year=2021, opens_on=deadline.replace(day=1), deadline=deadline)
    add_figures(units["开封"], current, IPKind.PATENT, "12.5", 1, 1)
    html = reviewer_client.get("/analysis/").content.decode()
    assert "2021（报送中）" in html and "只计已审核的报表" in html
    assert "2020（报送中）" not in html
    assert "2020年与外省对比" in html and "2021年与外省对比" not in html
    rows = list(
        csv.reader(
            io.StringIO(reviewer_client.get("/analysis/?_export=csv").content.decode("utf-8-sig"))
        )
    )
    assert [row[0] for row in rows[1:3]] == ["2019", "2020"]
    assert rows[3][0] == "2021（报送中）"
    assert ["2020年专利：省份", "件数", "金额（万元）"] in rows


def test_without_peer_figures_the_dashboard_leaves_the_comparison_out(reviewer_client, years):
    from reporting.models import ProvinceBenchmark

    ProvinceBenchmark.objects.all().delete()
    html = reviewer_client.get("/analysis/").content.decode()
    assert "与外省对比" not in html and html.count("<svg") == 1


@pytest.mark.parametrize("extra_years", [0, 5])
def test_the_dashboard_query_count_stays_fixed_as_periods_grow(
    reviewer_client, years, units, extra_years, django_assert_num_queries
):
    for year in range(2010, 2010 + extra_years):
        period = ReportingPeriodFactory(year=year)
        add_figures(units["郑州"], period, IPKind.PATENT, "10", 1, 1)
    # session, user, groups; then totals, periods, peer year, peers, the current period's
    # summary, once per version of the data (a token in the cache)
    with django_assert_num_queries(8):
        assert reviewer_client.get("/analysis/").status_code == 200
    with django_assert_num_queries(3):
        assert reviewer_client.get("/analysis/").status_code == 200


@pytest.mark.parametrize(
    "address", ["/analysis/", "/analysis/2020/patent/", "/analysis/units/410300/"]
)
@pytest.mark.parametrize("export", ["pdf", "0", "XLSX", ""])
def test_an_unknown_export_format_is_a_bad_request(reviewer_client, years, address, export):
    response = reviewer_client.get(f"{address}?_export={export}")
    assert response.status_code == 400
    assert response.content.decode() == "未知的导出格式：只能导出 csv 或 xlsx。"


def test_a_submitter_sees_their_own_units_page_only(client, luoyang_submitter, years):
    client.force_login(luoyang_submitter)
    html = client.get("/analysis/units/410300/").content.decode()
    assert "洛阳市" in html and "成绩优异（金额排名第 2 位）" in html
    assert client.get("/analysis/units/410100/").status_code == 404
    assert client.get("/analysis/").status_code == 403


def test_any_earlier_period_of_the_same_kind_can_be_compared(reviewer_client, years):
    ReportingPeriodFactory(year=2018)
    html = reviewer_client.get("/analysis/2020/patent/?before=2018").content.decode()
    assert "对比周期：2018年" in html
    assert reviewer_client.get("/analysis/2020/patent/?before=2021Q1").status_code == 404
    assert reviewer_client.get("/analysis/2020/patent/?before=2022").status_code == 404


def test_the_dashboard_and_unit_tables_export(reviewer_client, years):
    rows = list(
        csv.reader(
            io.StringIO(reviewer_client.get("/analysis/?_export=csv").content.decode("utf-8-sig"))
        )
    )
    assert rows[0] == [
        "年份",
        "专利金额（万元）",
        "专利项目数",
        "专利件数",
        "商标金额（万元）",
        "商标项目数",
        "商标件数",
    ]
    assert ["2020", "298611.56", "249", "1684", "55807.53", "13", "363"] in rows
    assert ["河南省", "363", "55807.53"] in rows
    sheet = load_workbook(
        io.BytesIO(reviewer_client.get("/analysis/units/410300/?_export=xlsx").content)
    ).active
    assert [c.value for c in sheet[1]][:3] == ["类别", "周期", "金额排名"]
    assert ["专利", "2020年", 2, 37209.56, 27, 226, "成绩优异", "金额排名第 2 位"] in [
        [c.value for c in row] for row in sheet.iter_rows(min_row=2)
    ]


def test_the_demo_prints_the_charts_in_a_circular(years):
    from circulars import services
    from circulars.models import Circular
    from tests.support.pdf import lines, open_pdf

    circular = Circular.objects.get(code="豫知", year=2021, number=9)
    document = open_pdf(services.render_circular_pdf(circular))
    firsts = [lines(page, n)[0].text for n, page in enumerate(document.pages, 1) if lines(page, n)]
    assert "附件1" in firsts and "附件2" in firsts
    chart_page = document.pages[firsts.index("附件1")]
    # named as the circular's attachments name the units: short, as the notice does
    assert {"三门峡", "50000"} <= {w["text"] for w in chart_page.extract_words()}


def test_hand_made_ties_zeros_and_new_units(units):
    before, now = ReportingPeriodFactory(year=2022), ReportingPeriodFactory(year=2023)
    # 2022: 郑州 and 开封 tie for first; 洛阳 at zero.  2023: 洛阳 new and first; 郑州 and 开封 tie again.
    for name in ("郑州", "开封"):
        add_figures(units[name], before, IPKind.PATENT, "100", 2, 2)
        add_figures(units[name], now, IPKind.PATENT, "50", 1, 1)
    add_figures(units["洛阳"], before, IPKind.PATENT, "0", 0, 0)  # an approved nil return
    add_figures(units["洛阳"], now, IPKind.PATENT, "80", 1, 1)
    _before, _ranking, rows = queries.compare(now, IPKind.PATENT)
    by_unit = {row.unit.short_name: row for row in rows}
    assert (by_unit["郑州"].rank, by_unit["郑州"].before_rank, by_unit["郑州"].rank_change) == (
        2,
        1,
        -1,
    )
    assert (by_unit["开封"].rank, by_unit["开封"].rank_change) == (2, -1)
    assert (by_unit["洛阳"].rank, by_unit["洛阳"].before_rank, by_unit["洛阳"].rank_change) == (
        1,
        3,
        2,
    )
    assert str(by_unit["洛阳"].amount_growth) == "新增"
    assert by_unit["郑州"].amount_growth.percent == Decimal("-50.0")
    # 安阳 reported in neither year: no rank, no figure, no change
    assert (by_unit["安阳"].rank, by_unit["安阳"].amount) == (None, None)
    assert str(by_unit["安阳"].amount_growth) == "—"


@pytest.mark.parametrize("extra_years", [0, 4])
def test_the_comparison_page_runs_a_fixed_number_of_queries(
    reviewer_client, years, extra_years, django_assert_num_queries
):
    for year in range(2010, 2010 + extra_years):
        ReportingPeriodFactory(year=year)
    # session, user, groups, period, comparable period, 2 rankings, rules, first years at zero,
    # the years each unit broke zero after one at zero
    with django_assert_num_queries(10):
        assert reviewer_client.get("/analysis/2020/patent/").status_code == 200


@pytest.mark.parametrize("extra_years", [0, 3])
def test_the_unit_page_ranks_each_year_once(
    reviewer_client, years, extra_years, django_assert_num_queries
):
    for year in range(2010, 2010 + extra_years):
        ReportingPeriodFactory(year=year)
    periods = 2 + extra_years
    # session, user, groups, unit, rules; per kind: the periods and one ranking per period
    with django_assert_num_queries(5 + 2 * (1 + periods)):
        assert reviewer_client.get("/analysis/units/410300/").status_code == 200


def test_the_dashboards_headings_read_as_words_in_english(reviewer_client, years):
    from django.conf import settings

    reviewer_client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
    html = reviewer_client.get("/analysis/").content.decode()
    assert "<th>Patent amount (10,000 yuan)</th><th>Patent projects</th>" in html
    assert 'fill="#555">10,000 yuan</text>' in html  # the charts' unit
    header = next(
        csv.reader(
            io.StringIO(reviewer_client.get("/analysis/?_export=csv").content.decode("utf-8-sig"))
        )
    )
    assert header[:4] == ["Year", "Patent amount (10,000 yuan)", "Patent projects", "Patent items"]


def test_the_dashboards_totals_are_the_ranked_tables_totals(reviewer_client, units):
    # 巩义 approved, 郑州 (its 省辖市) not reported: the row is unranked, and neither the table's
    # 合计 nor the province's total counts 巩义 until 郑州 has reported.
    period = ReportingPeriodFactory(year=2019)
    add_figures(units["开封"], period, IPKind.PATENT, "50", 1, 1)
    add_figures(units["巩义"], period, IPKind.PATENT, "100", 1, 1)
    from reporting.queries import rank_units

    assert rank_units(period, IPKind.PATENT).amount == Decimal("50")
    assert queries.yearly_totals()[2019]["patent"]["amount"] == Decimal("50")
    add_figures(units["郑州"], period, IPKind.TRADEMARK, "0", 0, 0)
    assert rank_units(period, IPKind.PATENT).amount == Decimal("150")
    assert queries.yearly_totals()[2019]["patent"]["amount"] == Decimal("150")


def test_breaking_zero_is_claimed_only_after_a_year_at_zero(years, units, reviewer_client):
    """Found from outside: 实现零的突破 said 2020 for every city, 2020 merely being the first
    year in the system (the demo's trademarks: no earlier year at all)."""
    before, now = years
    broke, since = queries.breakthroughs(now, IPKind.TRADEMARK)
    assert (broke, since) == ({}, 2020)
    page = reviewer_client.get("/analysis/2020/trademark/").content.decode()
    assert "系统中的数据自2020年起" in page and 'id="no-breakthrough"' in page
    assert "南阳市：2020" not in page
    # Patents: 2019 is in the data; 开封, at zero then and pledging in 2020, broke zero in 2020.
    patent, since = queries.breakthroughs(now, IPKind.PATENT)
    assert (patent, since) == ({units["开封"].pk: 2020}, 2019)
    page = reviewer_client.get("/analysis/2020/patent/").content.decode()
    assert "开封市：2020" in page and "洛阳市：2019" not in page


def test_provisional_standings_say_only_what_the_final_ranking_cannot_overturn(units):
    before = ReportingPeriodFactory(year=2019)
    now = ReportingPeriodFactory(
        year=2020, deadline=timezone.localdate() + datetime.timedelta(days=9)
    )
    last_year = {"郑州": "900", "洛阳": "800", "开封": "700", "安阳": "600", "南阳": "50"}
    for name, amount in last_year.items():
        add_figures(units[name], before, IPKind.PATENT, amount, 1, 1)
    # Approved so far: 郑州 far ahead of anyone's last year, 南阳 grown fivefold but small.
    add_figures(units["郑州"], now, IPKind.PATENT, "5000", 1, 1)
    add_figures(units["南阳"], now, IPKind.PATENT, "250", 1, 1)
    rows = queries.compare(now, IPKind.PATENT)[2]
    judged = {s.unit.short_name: (s.label, s.reason) for s in queries.judge(rows, provisional=True)}
    assert judged["郑州"] == ("成绩优异", "金额排名第 1 位")
    # Second of two: 洛阳, 开封 and 安阳 pledged more than 250 last year and may pass it; its
    # growth is its own. And nobody is 相对滞后 at the bottom of two.
    assert judged["南阳"] == ("进步较快", "金额增长 400.0%")
    assert "相对滞后" not in {label for label, _reason in judged.values()}


def test_a_unit_with_nothing_approved_has_no_rank_and_no_growth(units, reviewer_client):
    """#23: in a period being reported, a unit whose figures are not approved (a draft, a
    submission, a return, a correction) is named by its state, with no rank and no growth; it
    is never ranked on a zero that means "not yet"."""
    from workflow.models import ReportState

    before = ReportingPeriodFactory(year=2019)
    now = ReportingPeriodFactory(
        year=2020, deadline=timezone.localdate() + datetime.timedelta(days=9)
    )
    for name in ("郑州", "洛阳", "开封", "安阳", "南阳"):
        add_figures(units[name], before, IPKind.PATENT, "500", 2, 2)
    add_figures(units["郑州"], now, IPKind.PATENT, "900", 3, 3)
    add_figures(units["洛阳"], now, IPKind.PATENT, "0", 0, 0, state=ReportState.DRAFT)
    add_figures(units["开封"], now, IPKind.PATENT, "0", 0, 0, state=ReportState.SUBMITTED)
    add_figures(units["安阳"], now, IPKind.PATENT, "0", 0, 0, state=ReportState.RETURNED)
    add_figures(units["南阳"], now, IPKind.PATENT, "0", 0, 0, state=ReportState.REOPENED)
    rows = {row.unit.short_name: row for row in queries.compare(now, IPKind.PATENT)[2]}
    assert (rows["郑州"].rank, str(rows["郑州"].amount_growth)) == (1, "+80.0%")
    for name in ("洛阳", "开封", "安阳", "南阳"):
        assert rows[name].rank is None, name
        assert rows[name].amount_growth == NOT_AVAILABLE, name

    answer = reviewer_client.get("/analysis/2020/patent/?_export=csv")
    table = csv.reader(io.StringIO(answer.content.decode("utf-8-sig")))
    lines = {row[1]: row for row in table if len(row) > 1}
    assert lines["郑州市"][:5] == ["1", "郑州市", "900", "500", "80.0"]
    assert lines["洛阳市"][:5] == ["", "洛阳市", "未报", "500", "—"]
    assert lines["开封市"][:5] == ["", "开封市", "待审", "500", "—"]
    assert lines["安阳市"][:5] == ["", "安阳市", "未报", "500", "—"]
    assert lines["南阳市"][:5] == ["", "南阳市", "更正中", "500", "—"]
    page = reviewer_client.get(f"/analysis/units/{units['洛阳'].code}/").content.decode()
    assert "-100" not in page
