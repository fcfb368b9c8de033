import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from contracts.imports import apply_contracts, parse_contracts, parse_date
from contracts.models import PledgeContract
from contracts.queries import rank_banks
from lib.banks import bank_group
from reporting.models import IPKind, PledgeFigures, PledgeReport
from tests.support.contracts import HEAD, code, contract, xlsx
from tests.support.factories import ReportingPeriodFactory, add_figures
from uploads.readers import ImportFileError, read_rows
from workflow.models import ReportState

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(db):
    return ReportingPeriodFactory(year=2020)


@pytest.mark.parametrize(
    ("name", "bank"),
    [
        ("中国银行洛阳分行", "中国银行"),
        ("中国银行股份有限公司洛阳分行", "中国银行"),
        ("中国工商银行股份有限公司郑州花园路支行", "中国工商银行"),
        ("工行洛阳分行", "中国工商银行"),
        ("招商银行郑州分行营业部", "招商银行"),
        ("浦发银行郑州分行", "上海浦东发展银行"),
        ("邮储银行南阳市分行", "中国邮政储蓄银行"),
        ("洛阳农村商业银行股份有限公司", "洛阳农村商业银行"),
        ("中原银行", "中原银行"),
        (" 中国建设银行（河南省分行） ", "中国建设银行"),
    ],
)
def test_a_branch_counts_for_its_bank(name, bank):
    assert bank_group(name) == bank


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("2020-03-05", (2020, 3, 5)),
        ("2020/3/5", (2020, 3, 5)),
        ("2020年3月5日", (2020, 3, 5)),
        ("20200305", (2020, 3, 5)),
        ("2020-03-05 00:00:00", (2020, 3, 5)),
    ],
)
def test_dates_as_people_type_them(typed, day):
    assert parse_date(typed) == datetime.date(*day)


def test_contracts_give_the_reports_figures(period, administrator):
    rows = [HEAD,
            contract(n=1, items=2, amount="500", sme="是"),
            contract(n=2, items=3, amount="1500", sme="否", bank="工行洛阳分行"),
            contract(n=1, items=1, amount="200.5", sme="是"),  # the same enterprise again
            contract(unit="郑州", n=3, kind="商标", items=4, amount="46")]  # fmt: skip
    rows[3][6] = "Y2020999999"
    preview = parse_contracts(read_rows(xlsx(rows)), period)
    assert preview.ok, [r.errors for r in preview.rows]
    assert apply_contracts(preview, administrator, "合同.xlsx") == 4
    luoyang = PledgeFigures.objects.get(report__unit__short_name="洛阳", kind=IPKind.PATENT)
    assert (luoyang.projects, luoyang.items, luoyang.amount) == (3, 6, Decimal("2200.50"))
    assert (luoyang.enterprises, luoyang.smes, luoyang.inclusive_projects) == (2, 1, 2)
    zhengzhou = PledgeFigures.objects.get(report__unit__short_name="郑州", kind=IPKind.TRADEMARK)
    assert (zhengzhou.projects, zhengzhou.items, zhengzhou.amount) == (1, 4, Decimal("46.00"))
    assert {luoyang.source, zhengzhou.source} == {"derived"}
    # Each report has one kind only: saved, but not submitted on the unit's behalf.
    assert set(PledgeReport.objects.values_list("state", flat=True)) == {ReportState.DRAFT}


def test_every_bad_contract_is_named_and_nothing_is_saved(period, administrator):
    bad_code = code(5)[:-1] + ("0" if code(5)[-1] != "0" else "1")
    rows = [HEAD,
            contract(n=1),
            ["洛阳", "专利", "企业5", bad_code, "是", "中国银行", "Y1", "1", "10", "2020-01-01", ""],
            contract(n=6, day="2021-01-05"),
            contract(n=7, sme="也许"),
            contract(n=8, amount="5元"),
            ["洛阳", "专利", "企业1b", code(9), "否", "中国银行", "Y2020000001", "1", "10", "2020-02-02", ""]]  # fmt: skip
    preview = parse_contracts(read_rows(xlsx(rows)), period)
    errors = {row.line: row.errors for row in preview.rows if row.errors}
    assert errors == {
        3: {"统一社会信用代码": f"统一社会信用代码“{bad_code}”无效（校验位不符或格式错误）。"},
        4: {
            "质权设立日": "质权设立日 2021-01-05 不在2020年（2020-01-01 至 2020-12-31）内：合同按质权设立日计入报送周期。"
        },
        5: {"是否中小微企业": "请填“是”或“否”，而不是“也许”。"},
        6: {"金额（万元）": "金额须以万元为单位，“5元”未换算，请改为万元。"},
        7: {"质押登记号": "质押登记号与第 2 行重复。"},
    }
    with pytest.raises(ImportFileError):
        apply_contracts(preview, administrator, "x.xlsx")
    assert not PledgeContract.objects.exists() and not PledgeFigures.objects.exists()


def test_one_credit_code_under_two_pledgor_names_is_named_and_nothing_is_saved(
    period, administrator
):
    renamed = contract(n=2)
    renamed[2:4] = ["企业1（新名称）", code(1)]  # the enterprise of row 2, under another name
    spaced = contract(n=3)
    spaced[2:4] = ["企业 1", code(1)]  # the same name, a space typed inside: the same enterprise
    rows = [HEAD, contract(n=1), renamed, spaced]
    preview = parse_contracts(read_rows(xlsx(rows)), period)
    assert {row.line: row.errors for row in preview.rows if row.errors} == {
        3: {"出质人": "统一社会信用代码与第 2 行相同，出质人却是“企业1”：同一企业请写同一名称。"}
    }
    with pytest.raises(ImportFileError):
        apply_contracts(preview, administrator, "x.xlsx")
    assert not PledgeContract.objects.exists() and not PledgeFigures.objects.exists()


def test_the_same_contracts_again_change_nothing(period, administrator):
    content = xlsx([HEAD, contract(n=1), contract(n=2)])
    apply_contracts(parse_contracts(read_rows(content), period), administrator, "a.xlsx")
    again = parse_contracts(read_rows(content), period)
    assert [g.status for g in again.groups] == ["unchanged"]
    assert apply_contracts(again, administrator, "a.xlsx") == 0


def test_a_file_without_a_unit_column_takes_the_chosen_unit(period, administrator, units):
    rows = [HEAD[1:], contract(n=1)[1:]]
    with pytest.raises(ImportFileError, match="请指定填报单位"):
        parse_contracts(read_rows(xlsx(rows)), period)
    preview = parse_contracts(read_rows(xlsx(rows)), period, unit=units["安阳"])
    assert preview.ok and preview.groups[0].unit == units["安阳"]


def no_trademarks(period, units, *names):
    """Typed zero trademark figures, so that a patent contract import completes the report."""
    for name in names:
        add_figures(units[name], period, IPKind.TRADEMARK, "0", 0, 0, state=ReportState.DRAFT)


def test_banks_are_ranked_with_their_branches(period, reviewer, units):
    no_trademarks(period, units, "洛阳", "郑州")
    rows = [HEAD,
            contract(n=1, bank="中国银行洛阳分行", amount="500"),
            contract(n=2, bank="中国银行股份有限公司郑州分行", amount="300", unit="郑州"),
            contract(n=3, bank="工行洛阳分行", amount="700")]  # fmt: skip
    apply_contracts(
        parse_contracts(read_rows(xlsx(rows)), period), reviewer, "a.xlsx", approve=True
    )
    ranking = [
        (r["rank"], r["bank_group"], r["amount"], r["projects"], r["enterprises"], r["branches"])
        for r in rank_banks(period)
    ]
    assert ranking == [
        (1, "中国银行", Decimal("800.00"), 2, 2, 2),
        (2, "中国工商银行", Decimal("700.00"), 1, 1, 1),
    ]


def test_the_bank_page_and_its_formula_safe_exports(client, reviewer, period, units):
    no_trademarks(period, units, "洛阳")
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEAD, contract(n=1, bank='=HYPERLINK("x")银行', amount="500")])
    preview = parse_contracts(read_rows(buffer.getvalue().encode()), period)
    apply_contracts(preview, reviewer, "a.csv", approve=True)
    client.force_login(reviewer)
    page = client.get("/reports/2020/banks/").content.decode()
    assert "2020年知识产权质押融资银行排名" in page
    assert "<td>=HYPERLINK&quot;x&quot;银行</td>" in page  # escaped in exports, not on the page
    exported = client.get("/reports/2020/banks/?_export=csv").content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(exported)))[1] == [
        "1",
        '\'=HYPERLINK"x"银行',
        "500",
        "1",
        "1",
        "1",
    ]
    sheet = load_workbook(
        io.BytesIO(client.get("/reports/2020/banks/?_export=xlsx").content)
    ).active
    assert sheet["B2"].value == '\'=HYPERLINK"x"银行' and sheet["B2"].data_type == "s"


@pytest.mark.parametrize("export", ["json", "1", ""])
def test_an_unknown_export_format_of_the_bank_ranking_is_a_bad_request(
    client, reviewer, period, export
):
    client.force_login(reviewer)
    response = client.get(f"/reports/2020/banks/?_export={export}")
    assert response.status_code == 400
    assert response.content.decode() == "未知的导出格式：只能导出 csv 或 xlsx。"


def test_the_template_has_headings_validation_and_an_example(
    client, luoyang_submitter, period, units
):
    client.force_login(luoyang_submitter)
    response = client.get("/contracts/template/2020/410300.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["质押合同"]
    assert [c.value for c in sheet[1]] == HEAD[1:]  # a unit's own file: no 地市 column
    kinds = {dv.type for dv in sheet.data_validations.dataValidation}
    assert kinds == {"list", "textLength", "whole", "decimal", "date"}
    assert workbook["示例"]["B2"].value == "河南某某科技有限公司"
    assert client.get("/contracts/template/2020/410100.xlsx").status_code == 404


def test_a_submitter_uploads_their_contracts_and_the_form_shows_them_read_only(
    client, luoyang_submitter, open_period, units
):
    client.force_login(luoyang_submitter)
    rows = [HEAD[1:], contract(n=1, day=f"{open_period.year}-03-05")[1:]]
    response = client.post(
        "/contracts/import/",
        {
            "file": SimpleUploadedFile("c.xlsx", xlsx(rows)),
            "period": open_period.pk,
            "unit": units["洛阳"].pk,
        },
    )
    assert response.status_code == 200, response.content.decode()[-2000:]
    from uploads.models import PendingImport

    pending = PendingImport.objects.get()
    response = client.post(f"/contracts/import/{pending.pk}/confirm/", follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "已导入 1 份质押合同，报表数据已按合同汇总。"
    ]
    report = PledgeReport.objects.get()
    assert report.state == ReportState.DRAFT
    html = client.get(f"/periods/{open_period.slug}/410300/").content.decode()
    assert (
        'name="patent-amount" value="500.00"' in html
        and "disabled" in html.split('name="patent-amount"')[1][:80]
    )
    assert "由质押合同汇总" in html


def test_a_submitter_cannot_upload_another_units_contracts(
    client, luoyang_submitter, open_period, units
):
    client.force_login(luoyang_submitter)
    rows = [HEAD, contract(unit="郑州", n=1, day=f"{open_period.year}-03-05")]
    response = client.post(
        "/contracts/import/",
        {"file": SimpleUploadedFile("c.xlsx", xlsx(rows)), "period": open_period.pk},
    )
    assert response.status_code == 400
    assert (
        "第 2 行是郑州市的合同，您只能导入本单位的数据，整个文件未导入。"
        in response.content.decode()
    )


def test_both_kinds_of_one_unit_in_one_file_are_imported_together(period, reviewer):
    rows = [HEAD,
            contract(n=1, items=2, amount="500"),
            contract(n=2, kind="商标", items=3, amount="60")]  # fmt: skip
    preview = parse_contracts(read_rows(xlsx(rows)), period)
    assert preview.ok, [r.errors for r in preview.rows]
    assert apply_contracts(preview, reviewer, "合同.xlsx") == 2
    report = PledgeReport.objects.get(unit__short_name="洛阳")
    assert sorted(report.figures.values_list("kind", "amount")) == [
        (IPKind.PATENT, Decimal("500.00")),
        (IPKind.TRADEMARK, Decimal("60.00")),
    ]
    # Both kinds in: the province's import submits the report.
    assert report.state == ReportState.SUBMITTED


def contracts_table(rows, total=None):
    from tests.support.crawl import contracts_csv
    from uploads.readers import read_rows

    content = contracts_csv(rows).decode()
    if total is not None:
        content += "\n" + ",".join(total)
    return read_rows(content.encode(), "合同.csv")


def test_a_hand_made_total_row_is_checked_not_refused_seven_times(open_period, units):
    """#22: a 合计 row is checked against the rows, as the figures import checks it."""
    from contracts.imports import parse_contracts

    rows = [("37.11", "2021-03-05"), ("22.26", "2021-06-01")]
    right = ["合计", "", "", "", "", "4", "59.37", "", ""]
    preview = parse_contracts(
        contracts_table(rows, right), open_period, unit=units["郑州"], kind="trademark"
    )
    assert preview.errors == [] and [r.errors for r in preview.rows] == [{}, {}]
    assert len(preview.rows) == 2

    wrong = ["合计", "", "", "", "", "5", "60", "", ""]
    preview = parse_contracts(
        contracts_table(rows, wrong), open_period, unit=units["郑州"], kind="trademark"
    )
    assert preview.errors == [
        "第 4 行合计的“金额（万元）”为 60，各行之和为 59.37，相差 0.63。",
        "第 4 行合计的“件数”为 5，各行之和为 4，相差 1。",
    ]
