import re
from decimal import Decimal

import pytest

from audit.models import AuditEvent, Event
from reporting.models import IPKind, PledgeFigures, PledgeReport
from tests.support import golden
from tests.support.factories import add_figures
from tests.support.files import PATENT_ROWS, as_csv, as_xlsx, upload
from uploads.models import PendingImport
from workflow.models import ReportState

pytestmark = pytest.mark.django_db


def test_a_submitter_previews_then_confirms_their_own_figures(
    client, zhengzhou_submitter, open_period
):
    client.force_login(zhengzhou_submitter)
    rows = [golden.PATENT_HEADINGS, ["1", "郑州市", "１９０６０", "28", "148"]]
    response = upload(client, as_csv(rows, "gbk"), period=open_period)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<tr class="row-new">' in html and "19060.00 / 28 / 148" in html
    assert not PledgeFigures.objects.exists(), "a preview saves nothing"
    pending = PendingImport.objects.get()
    response = client.post(f"/imports/{pending.pk}/confirm/", follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "已导入 1 行，保存为草稿；请核对后在报表页提交。"
    ]
    # On the report page, where the clerk checks and submits it.
    assert response.redirect_chain == [("/periods/2021/410100/", 302)]
    report = PledgeReport.objects.get()
    assert report.state == ReportState.DRAFT
    assert report.figures.get().amount == Decimal("19060.00")
    assert not PendingImport.objects.exists()
    # One line in the audit trail, in the confirmation's transaction.
    (confirmed,) = AuditEvent.objects.filter(event=Event.IMPORT_CONFIRMED)
    assert (confirmed.user, confirmed.object_id, confirmed.object_type) == (
        zhengzhou_submitter,
        str(pending.pk),
        "reporting.pledgefigures",
    )
    assert confirmed.details == {
        "file": pending.filename, "period": str(open_period), "unit": "", "kind": "patent",
        "changed": 1,
    }  # fmt: skip


def test_a_row_for_another_unit_refuses_the_whole_file(client, zhengzhou_submitter, open_period):
    client.force_login(zhengzhou_submitter)
    rows = [
        golden.PATENT_HEADINGS,
        ["1", "郑州市", "10", "1", "1"],
        ["2", "洛阳市", "10", "1", "1"],
    ]
    response = upload(client, as_csv(rows), period=open_period)
    assert response.status_code == 400
    html = response.content.decode()
    assert "第 3 行是洛阳市的数据，您只能导入本单位的数据，整个文件未导入。" in html
    assert "文件有错误，未导入任何数据。" in html
    # The row that is the reason is shown as refused, never as a green 新增 (#22).
    luoyang = re.search(
        r'<tr class="row-(\w+)">(?:(?!</tr>).)*洛阳市(?:(?!</tr>).)*</tr>', html, re.S
    )
    assert luoyang.group(1) == "error"
    assert "第 3 行「地市」：不是本单位的数据：整个文件因此未导入。" in luoyang.group(0)
    assert "新增" not in luoyang.group(0)
    assert not PendingImport.objects.exists() and not PledgeFigures.objects.exists()


def test_rows_in_error_are_highlighted_with_row_column_and_reason(client, reviewer, open_period):
    client.force_login(reviewer)
    rows = [golden.PATENT_HEADINGS, ["1", "郑州市", "10亿元", "1", "1"]]
    html = upload(client, as_xlsx(rows), name="a.xlsx", period=open_period).content.decode()
    assert '<tr class="row-error">' in html
    assert "第 2 行「质押金额（万元）」：金额须以万元为单位，“10亿元”未换算，请改为万元。" in html


def test_a_reviewer_imports_for_every_unit_and_approves(client, reviewer, open_period, units):
    for unit in units.values():  # the trademark table is already in
        add_figures(unit, open_period, IPKind.TRADEMARK, "0", 0, 0, state=ReportState.DRAFT)
    client.force_login(reviewer)
    response = upload(client, as_csv(PATENT_ROWS), period=open_period, approve="on")
    assert "已审核" in response.content.decode()  # what each report becomes
    assert response.status_code == 200
    pending = PendingImport.objects.get()
    response = client.post(f"/imports/{pending.pk}/confirm/", {"approve": "1"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["已导入 18 行。"]
    imported = PledgeReport.objects.filter(figures__kind=IPKind.PATENT)
    assert imported.count() == 18
    assert set(imported.values_list("state", flat=True)) == {ReportState.APPROVED}


def test_an_unchanged_file_says_so(client, reviewer, open_period, units):
    add_figures(
        units["郑州"], open_period, IPKind.PATENT, "19060", 28, 148, state=ReportState.SUBMITTED
    )
    client.force_login(reviewer)
    rows = [golden.PATENT_HEADINGS, ["1", "郑州市", "19060", "28", "148"]]
    html = upload(client, as_csv(rows), period=open_period).content.decode()
    assert "文件中的数据与已保存的相同，没有需要导入的变化。" in html


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "所提交的是空文件。"),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 100,
            "无法识别的文件格式：请上传 CSV、XLSX 或 XLS 文件。",
        ),
        (
            "姓名,电话\n张三,1\n".encode(),
            "找不到表头：需要“地市”“金额（万元）”“项目数”“专利数”四列。",
        ),
    ],
)
def test_hostile_uploads_get_a_clear_message(client, reviewer, open_period, content, message):
    client.force_login(reviewer)
    response = upload(client, content, name="x.xlsx", period=open_period)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PendingImport.objects.exists()


def test_an_upload_over_the_limit_is_refused_before_reading(
    client, reviewer, open_period, settings
):
    settings.IMPORT_MAX_BYTES = 1024
    client.force_login(reviewer)
    response = upload(client, b"x" * 2048, period=open_period)
    assert response.status_code == 400
    assert "文件太大（0.0 MB），上限为 0 MB。" in response.content.decode()


def test_another_users_pending_import_does_not_exist_for_you(
    client, zhengzhou_submitter, reviewer, open_period
):
    client.force_login(reviewer)
    upload(client, as_csv(PATENT_ROWS), period=open_period)
    pending = PendingImport.objects.get()
    client.force_login(zhengzhou_submitter)
    assert client.post(f"/imports/{pending.pk}/confirm/").status_code == 404


def test_a_province_import_of_several_units_leads_to_the_board(client, reviewer, open_period):
    client.force_login(reviewer)
    rows = [
        golden.PATENT_HEADINGS,
        ["1", "郑州市", "10", "1", "1"],
        ["2", "洛阳市", "20", "2", "2"],
    ]
    upload(client, as_csv(rows), period=open_period)
    pending = PendingImport.objects.get()
    response = client.post(f"/imports/{pending.pk}/confirm/", follow=True)
    assert response.redirect_chain == [("/periods/2021/board/", 302)]
    assert [str(m) for m in response.context["messages"]] == ["已导入 2 行。"]


def test_the_preview_says_what_its_rows_become_and_nothing_else(client, reviewer, units):
    """Found from outside: the province's preview promised 已提交 while every row said 草稿
    （尚缺商标数据，暂不提交）. The summary is now the sum of the rows' outcomes."""
    from tests.support.factories import ReportingPeriodFactory

    period = ReportingPeriodFactory(year=2020)
    add_figures(units["洛阳"], period, IPKind.TRADEMARK, "5", 1, 1, state="draft")
    client.force_login(reviewer)
    html = upload(client, as_csv(PATENT_ROWS), period=period).content.decode()
    summary = html[html.index('id="import-outcome"') :].split("</p>")[0]
    assert "17 份报表为“草稿（尚缺商标数据，暂不提交）”" in summary
    assert "1 份报表为“已提交”" in summary
    assert "已提交的报表保存" not in html


def test_a_province_import_over_a_report_being_corrected_needs_a_tick(
    client, reviewer, units, open_period
):
    figures = add_figures(units["郑州"], open_period, IPKind.PATENT, "100", 1, 1)
    add_figures(units["郑州"], open_period, IPKind.TRADEMARK, "0", 0, 0)
    PledgeReport.objects.filter(pk=figures.report_id).update(state=ReportState.REOPENED)
    client.force_login(reviewer)
    rows = [golden.PATENT_HEADINGS, ["1", "郑州市", "200", "2", "2"]]
    html = upload(client, as_csv(rows), period=open_period).content.decode()
    assert "替换该单位正在进行的更正（更正中）" in html
    assert 'name="replace_reopened" value="1" required' in html
    pending = PendingImport.objects.get()
    refused = client.post(f"/imports/{pending.pk}/confirm/", follow=True)
    assert "正在更正中（省局已重新打开）" in str(list(refused.context["messages"])[0])
    assert PledgeFigures.objects.get(pk=figures.pk).amount == Decimal("100")
    client.post(f"/imports/{pending.pk}/confirm/", {"replace_reopened": "1"})
    assert PledgeFigures.objects.get(pk=figures.pk).amount == Decimal("200")


def test_the_figures_template_lists_a_clerks_units_or_the_provinces_and_imports_filled_in(
    client, zhengzhou_submitter, reviewer, open_period, units
):
    """#22: the figures import has its template, as contracts and measures have theirs."""
    import io

    from openpyxl import load_workbook

    from reporting.imports import parse_figures, read_figure_rows

    client.force_login(zhengzhou_submitter)
    assert 'href="/imports/template/patent.xlsx"' in client.get("/imports/").content.decode()
    answer = client.get(f"/imports/template/trademark.xlsx?period={open_period.slug}")
    assert answer.status_code == 200 and "attachment" in answer["Content-Disposition"]
    book = load_workbook(io.BytesIO(answer.content))
    sheet = book.active
    assert sheet["A1"].value.startswith(f"{open_period.label}河南省商标质押融资统计表")
    assert [cell.value for cell in sheet[2]] == ["地市", "金额（万元）", "项目数", "商标件数"]
    assert [row[0].value for row in sheet.iter_rows(min_row=3)] == ["郑州市"]
    sheet["B3"], sheet["C3"], sheet["D3"] = 12.5, 1, 2
    buffer = io.BytesIO()
    book.save(buffer)
    preview = parse_figures(read_figure_rows(buffer.getvalue(), "t.xlsx"), open_period, "trademark")
    assert [(r.unit.short_name, r.amount, r.errors) for r in preview.rows] == [
        ("郑州", Decimal("12.50"), {})
    ]

    client.force_login(reviewer)
    province = load_workbook(io.BytesIO(client.get("/imports/template/patent.xlsx").content)).active
    names = [row[0].value for row in province.iter_rows(min_row=3)]
    assert len(names) == 18 and names[0] == "郑州市" and names[-1] == "济源示范区"
