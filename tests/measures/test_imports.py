"""Importing a unit's measures from XLSX/CSV: preview every row, then all rows or none."""

import csv
import datetime
import html
import io
import re
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from openpyxl import Workbook, load_workbook

from contracts.models import PledgeContract
from measures import services
from measures.imports import EXAMPLES, parse_measures
from measures.models import MeasureReport, MeasureTransition
from measures.types import MEASURE_TYPES
from uploads.models import PendingImport
from uploads.readers import read_rows
from workflow.models import ReportState, WorkflowAction
from workflow.services import transition

pytestmark = pytest.mark.django_db

HEADINGS = {
    "policies": ["政策名称", "发文机关", "文号", "印发日期", "类型", "资金规模（万元）", "是否现行有效"],
    "funds": ["资金名称", "适用范围", "资金规模（万元）", "合作银行", "覆盖贷款笔数",
              "覆盖贷款金额（万元）", "已补偿金额（万元）"],
    "events": ["活动类型", "活动名称", "举办日期", "地点", "主办单位", "参加银行（家）",
               "参加企业（家）", "签约意向授信（万元）", "已发放贷款（万元）"],
    "practices": ["标题", "正文"],
}  # fmt: skip

GOOD = {
    "policies": [
        ["郑州市知识产权质押融资贴息办法", "郑州市市场监督管理局", "郑知[2021]03号", "2021/3/5",
         "贴息", "1,200.5", "是"],
        ["郑州市专利奖励办法", "郑州市人民政府", "郑政〔2020〕12号", "2020年11月2日",
         "专利奖", "", "否"],
    ],
    "funds": [
        ["郑州市质押融资风险补偿资金", "专利和商标", "2000", "中国银行郑州分行、中原银行",
         "12", "3600", "0"],
    ],
    "events": [
        ["银企对接", "质押融资银企对接会", "2021-05-20", "郑州国际会展中心", "郑州市市场监督管理局",
         "8", "60", "12000", "3500"],
        ["培训", "质押融资业务培训", "2021.6.1", "郑州", "郑州市知识产权局", "3", "45", "0", "0"],
    ],
    "practices": [
        ["“知识产权+金融”服务进园区", "在高新区设立质押融资服务站。\n每月组织银行走访企业。"],
    ],
}  # fmt: skip

# What a good file stores, field by field (the kind's fields, in order).
STORED = {
    "policies": [  # in the order of their dates
        ("郑州市专利奖励办法", "郑州市人民政府", "郑政〔2020〕12号",
         datetime.date(2020, 11, 2), "award", None, False),
        ("郑州市知识产权质押融资贴息办法", "郑州市市场监督管理局", "郑知〔2021〕3号",
         datetime.date(2021, 3, 5), "interest", Decimal("1200.50"), True),
    ],
    "funds": [
        ("郑州市质押融资风险补偿资金", "both", Decimal("2000.00"), "中国银行郑州分行、中原银行",
         12, Decimal("3600.00"), Decimal("0.00")),
    ],
    "events": [
        ("matchmaking", "质押融资银企对接会", datetime.date(2021, 5, 20), "郑州国际会展中心",
         "郑州市市场监督管理局", 8, 60, Decimal("12000.00"), Decimal("3500.00")),
        ("training", "质押融资业务培训", datetime.date(2021, 6, 1), "郑州", "郑州市知识产权局",
         3, 45, Decimal("0.00"), Decimal("0.00")),
    ],
    "practices": [
        ("“知识产权+金融”服务进园区", "在高新区设立质押融资服务站。\n每月组织银行走访企业。"),
    ],
}  # fmt: skip

# An item already on the report before each import that must fail: it must still be there.
EXISTING = {
    "policies": {"title": "已有政策", "issuer": "郑州市人民政府", "document_number": "郑政〔2021〕1号",
                 "issued_on": datetime.date(2021, 1, 5), "type": "subsidy", "amount": None,
                 "in_force": True},
    "funds": {"title": "已有资金", "scope": "patent", "size": Decimal("100"), "banks": "中原银行",
              "loans_count": 0, "loans_amount": Decimal("0"), "compensation_paid": Decimal("0")},
    "events": {"type": "training", "title": "已有活动", "held_on": datetime.date(2021, 2, 1),
               "place": "郑州", "organiser": "郑州市知识产权局", "banks_attending": 1,
               "enterprises_attending": 2, "intended_credit": Decimal("0"),
               "loans_granted": Decimal("0")},
    "practices": {"title": "已有做法", "text": "一段。"},
}  # fmt: skip


def xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, encoding="utf-8-sig"):
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return text.getvalue().encode(encoding)


@pytest.fixture
def period(open_period):
    return open_period  # 2021, open, its deadline ahead


def upload(client, content, kind, unit, period, name="措施.xlsx"):
    return client.post(
        "/measures/imports/",
        {
            "file": SimpleUploadedFile(name, content),
            "period": period.pk,
            "measure_type": kind,
            "unit": unit.pk,
        },
    )


def confirm(client, pending=None, ticked=True):
    """Confirm the upload, the replaced items ticked as checked (the page requires the tick)."""
    pending = pending or PendingImport.objects.get()
    data = {"replace_items": "1"} if ticked else {}
    return client.post(f"/measures/imports/{pending.pk}/confirm/", data, follow=True)


def shown_errors(response):
    """The errors the page shows: the file's, each row's (named by row and column), the form's."""
    page = response.content.decode()
    lists = re.findall(r'<ul class="(?:row-errors|errorlist)"[^>]*>(.*?)</ul>', page, re.S)
    items = [html.unescape(li) for block in lists for li in re.findall(r"<li>(.*?)</li>", block)]
    spans = re.findall(r'<span class="error">(.*?)</span>', page)
    return items + [html.unescape(span) for span in spans]


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def stored(report, kind):
    fields = MEASURE_TYPES[kind].fields
    return list(getattr(report, MEASURE_TYPES[kind].related_name).values_list(*fields))


def existing_report(user, unit, period, kind):
    services.save_item(user, unit, period, MEASURE_TYPES[kind], EXISTING[kind], expected_version=0)
    return MeasureReport.objects.get(unit=unit, period=period)


# ── good files ───────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("kind", MEASURE_TYPES)
@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_a_good_file_replaces_the_kinds_items_on_the_units_draft(
    client, zhengzhou_submitter, units, period, kind, file_format
):
    report = existing_report(zhengzhou_submitter, units["郑州"], period, kind)
    rows = [HEADINGS[kind], *GOOD[kind]]
    content = xlsx(rows) if file_format == "xlsx" else csv_bytes(rows)
    client.force_login(zhengzhou_submitter)
    response = upload(client, content, kind, units["郑州"], period, name=f"f.{file_format}")
    assert response.status_code == 200, shown_errors(response)
    assert shown_errors(response) == []
    pending = PendingImport.objects.get()
    assert (pending.target.model_class(), pending.versions) == (
        MEASURE_TYPES[kind].model,
        {str(units["郑州"].pk): 1},
    )
    assert stored(report, kind) != STORED[kind]  # nothing saved by the preview

    response = confirm(client)
    assert response.redirect_chain[-1][0] == f"/measures/{period.slug}/410100/"
    verbose = MEASURE_TYPES[kind].verbose_name
    assert messages_of(response) == [
        f"已导入 {len(GOOD[kind])} 项{verbose}；请核对后提交本期政策措施。"
    ]
    report.refresh_from_db()
    assert stored(report, kind) == STORED[kind]
    assert (report.state, report.version) == (ReportState.DRAFT, 2)
    assert not PendingImport.objects.exists()


def test_a_gbk_csv_with_a_title_row_and_loosely_typed_headings_is_read(
    client, zhengzhou_submitter, units, period
):
    rows = [
        ["郑州市2021年知识产权质押融资风险补偿资金"],
        ["资金名称", "适用范围", " 资金规模 (万元) ", "合作银行", "覆盖贷款笔数",
         "覆盖贷款金额(万元)", "已补偿金额（万元）"],
        *GOOD["funds"],
    ]  # fmt: skip
    client.force_login(zhengzhou_submitter)
    response = upload(client, csv_bytes(rows, "gbk"), "funds", units["郑州"], period, "f.csv")
    assert response.status_code == 200, shown_errors(response)
    confirm(client)
    report = MeasureReport.objects.get(unit=units["郑州"], period=period)
    assert stored(report, "funds") == STORED["funds"]
    assert report.funds.get().bank_groups == ["中国银行", "中原银行"]


# ── bad files: every error named, nothing saved ──────────────────────────────────────


def without(kind, heading):
    column = HEADINGS[kind].index(heading)
    return [[cell for i, cell in enumerate(row) if i != column]
            for row in [HEADINGS[kind], *GOOD[kind]]]  # fmt: skip


def changed(kind, row, heading, value):
    rows = [HEADINGS[kind], *[list(r) for r in GOOD[kind]]]
    rows[row][HEADINGS[kind].index(heading)] = value
    return rows


BAD = [
    # Missing columns: the file as a whole.
    ("policies", without("policies", "文号"), ["文件缺少“文号”列（第 1 行为表头）。"]),
    ("funds", without("funds", "合作银行"), ["文件缺少“合作银行”列（第 1 行为表头）。"]),
    ("events", without("events", "举办日期"), ["文件缺少“举办日期”列（第 1 行为表头）。"]),
    ("practices", without("practices", "正文"), ["文件缺少“正文”列（第 1 行为表头）。"]),
    ("practices", [["题名", "内容"], ["a", "b"]],
     ["文件缺少“标题”列（第 1 行为表头）。"]),
    ("events", [["名单"], ["一", "二"]],
     ["找不到活动的表头：需要“活动类型”“活动名称”“举办日期”“地点”“主办单位”“参加银行（家）”"
      "“参加企业（家）”“签约意向授信（万元）”“已发放贷款（万元）”等列。"]),
    ("practices", [HEADINGS["practices"]], ["表头之后没有数据行。"]),
    # Dates.
    ("policies", changed("policies", 1, "印发日期", "2021-13-01"),
     ["第 2 行「印发日期」：“2021-13-01”不是有效日期。"]),
    ("events", changed("events", 2, "举办日期", "六月初"),
     ["第 3 行「举办日期」：“六月初”不是日期（如 2020-03-05）。"]),
    ("events", changed("events", 1, "举办日期", "2020-12-31"),
     ["第 2 行「举办日期」：举办日期应在本报送周期内（2021-01-01 至 2021-12-31）。"]),
    ("policies", changed("policies", 1, "印发日期", "2022-01-05"),
     ["第 2 行「印发日期」：印发日期晚于本报送周期（截至 2021-12-31），请在以后的周期报送。"]),
    # Numbers.
    ("funds", changed("funds", 1, "资金规模（万元）", "两千"),
     ["第 2 行「资金规模（万元）」：“两千”不是金额。"]),
    ("funds", changed("funds", 1, "覆盖贷款笔数", "3.5"),
     ["第 2 行「覆盖贷款笔数」：“3.5”不是整数。"]),
    ("events", changed("events", 1, "签约意向授信（万元）", "-5"),
     ["第 2 行「签约意向授信（万元）」：确保该值大于或等于0。"]),
    ("policies", changed("policies", 1, "资金规模（万元）", "-1"),
     ["第 2 行「资金规模（万元）」：确保该值大于或等于0。"]),
    ("funds", changed("funds", 1, "资金规模（万元）", "2000元"),
     ["第 2 行「资金规模（万元）」：金额须以万元为单位，“2000元”未换算，请改为万元。"]),
    ("events", changed("events", 1, "参加企业（家）", "-3"),
     ["第 2 行「参加企业（家）」：确保该值大于或等于0。"]),
    # Choices by their labels.
    ("policies", changed("policies", 2, "类型", "减免"),
     ["第 3 行「类型」：“减免”不是可选的值：只能填奖补、贴息、风险补偿、保险、评估补贴、专利奖、其他。"]),
    ("funds", changed("funds", 1, "适用范围", "版权"),
     ["第 2 行「适用范围」：“版权”不是可选的值：只能填专利、商标、专利和商标。"]),
    ("events", changed("events", 1, "活动类型", "展会"),
     ["第 2 行「活动类型」：“展会”不是可选的值：只能填巡讲、银企对接、培训。"]),
    ("policies", changed("policies", 1, "是否现行有效", "也许"),
     ["第 2 行「是否现行有效」：请填“是”或“否”，而不是“也许”。"]),
    # The forms' other rules.
    ("policies", changed("policies", 1, "文号", "郑知2021-3"),
     ["第 2 行「文号」：文号“郑知2021-3”格式不对，应如 豫知〔2021〕8号：机关代字、〔年份〕、顺序号和“号”。"]),
    ("practices", changed("practices", 1, "正文", "字" * 5001),
     ["第 2 行「正文」：确保该变量包含不超过 5000 字符 (目前字符数 5001)。"]),
    ("funds", changed("funds", 1, "覆盖贷款笔数", "0"),
     ["第 2 行「覆盖贷款笔数」：有覆盖贷款金额，贷款笔数不能为 0。"]),
    ("practices", changed("practices", 1, "标题", ""),
     ["第 2 行「标题」：此字段不能为空。"]),
]  # fmt: skip


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
@pytest.mark.parametrize(("kind", "rows", "errors"), BAD)
def test_a_bad_file_names_every_error_and_saves_nothing(
    client, zhengzhou_submitter, units, period, kind, rows, errors, file_format
):
    report = existing_report(zhengzhou_submitter, units["郑州"], period, kind)
    before = stored(report, kind)
    client.force_login(zhengzhou_submitter)
    content = xlsx(rows) if file_format == "xlsx" else csv_bytes(rows)
    response = upload(client, content, kind, units["郑州"], period, name=f"f.{file_format}")
    assert response.status_code == 400
    assert shown_errors(response) == errors
    assert not PendingImport.objects.exists()
    report.refresh_from_db()
    assert (stored(report, kind), report.version) == (before, 1)


@pytest.mark.parametrize(
    ("name", "content", "errors"),
    [
        ("空.xlsx", b"", ["所提交的是空文件。"]),
        ("空白.csv", b" \r\n \r\n", ["文件是空的。"]),
        ("照片.xlsx", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64,
         ["无法识别的文件格式：请上传 CSV、XLSX 或 XLS 文件。"]),
        ("文档.xlsx", b"PK\x03\x04" + b"\x00" * 64,
         ["文件已损坏，无法作为 XLSX 打开。"]),
    ],
)  # fmt: skip
def test_an_empty_or_unreadable_file_is_refused(
    client, zhengzhou_submitter, units, period, name, content, errors
):
    report = existing_report(zhengzhou_submitter, units["郑州"], period, "events")
    client.force_login(zhengzhou_submitter)
    response = upload(client, content, "events", units["郑州"], period, name=name)
    assert response.status_code == 400
    assert shown_errors(response) == errors
    report.refresh_from_db()
    assert (report.events.count(), report.version) == (1, 1)
    assert not PendingImport.objects.exists()


@override_settings(IMPORT_MAX_BYTES=1024 * 1024)
def test_a_file_over_the_size_limit_is_refused(client, zhengzhou_submitter, units, period):
    report = existing_report(zhengzhou_submitter, units["郑州"], period, "practices")
    rows = [HEADINGS["practices"]] + [[f"做法{n}", "字" * 4000] for n in range(100)]
    content = csv_bytes(rows)
    assert 1.1 * 1024 * 1024 < len(content) < 1.2 * 1024 * 1024
    client.force_login(zhengzhou_submitter)
    response = upload(client, content, "practices", units["郑州"], period, name="f.csv")
    assert response.status_code == 400
    assert shown_errors(response) == ["文件太大（1.1 MB），上限为 1 MB。"]
    report.refresh_from_db()
    assert (report.practices.count(), report.version) == (1, 1)


def test_every_row_is_listed_in_the_preview_with_its_values_or_its_errors(
    client, zhengzhou_submitter, units, period
):
    rows = changed("events", 2, "举办日期", "六月初")
    client.force_login(zhengzhou_submitter)
    response = upload(client, xlsx(rows), "events", units["郑州"], period)
    page = response.content.decode()
    body = page.split('<table class="list import-preview measure-rows">')[1].split("</table>")[0]
    cells = [
        [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(
            r"<t[dh][^>]*>(.*?)</t[dh]>", tr, re.S)]
        for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]  # fmt: skip
    assert cells == [
        ["行", *HEADINGS["events"]],
        ["2", "银企对接", "质押融资银企对接会", "2021-05-20", "郑州国际会展中心",
         "郑州市市场监督管理局", "8", "60", "12000", "3500"],
        ["3", "第 3 行「举办日期」：“六月初”不是日期（如 2020-03-05）。"],
    ]  # fmt: skip


# ── who may import into which report ─────────────────────────────────────────────────


def test_a_submitter_cannot_import_into_another_unit(client, zhengzhou_submitter, units, period):
    client.force_login(zhengzhou_submitter)
    rows = [HEADINGS["practices"], *GOOD["practices"]]
    response = upload(client, xlsx(rows), "practices", units["洛阳"], period)
    assert response.status_code == 403
    assert not PendingImport.objects.exists()
    assert not MeasureReport.objects.exists()


def test_the_form_offers_a_submitter_only_their_own_unit(client, zhengzhou_submitter, units):
    client.force_login(zhengzhou_submitter)
    response = client.get("/measures/imports/")
    assert list(response.context["form"].fields["unit"].queryset) == [units["郑州"]]
    assert response.context["form"].fields["unit"].initial == units["郑州"].pk


def test_a_visitor_without_a_role_cannot_open_the_import(viewer_client):
    assert viewer_client.get("/measures/imports/").status_code == 403
    assert viewer_client.get("/measures/imports/template/events/").status_code == 403


@pytest.mark.parametrize(
    ("state", "reason"),
    [
        (ReportState.SUBMITTED, "报表已提交，正在等待审核，暂不能修改。"),
        (ReportState.APPROVED, "报表已审核通过，数据已锁定。如需修改，请联系省局重新打开。"),
    ],
)
def test_a_submitter_cannot_import_into_a_submitted_or_approved_report(
    client, zhengzhou_submitter, units, period, state, reason
):
    report = existing_report(zhengzhou_submitter, units["郑州"], period, "policies")
    MeasureReport.objects.filter(pk=report.pk).update(state=state)
    client.force_login(zhengzhou_submitter)
    rows = [HEADINGS["policies"], *GOOD["policies"]]
    response = upload(client, xlsx(rows), "policies", units["郑州"], period)
    assert response.status_code == 400
    assert shown_errors(response) == [f"郑州市：{reason}"]
    assert not PendingImport.objects.exists()
    report.refresh_from_db()
    assert (report.policies.count(), report.version, report.state) == (1, 1, state)


def test_a_submitters_import_after_the_deadline_is_refused(
    client, zhengzhou_submitter, units, period
):
    period.deadline = datetime.date.today() - datetime.timedelta(days=1)
    period.save()
    client.force_login(zhengzhou_submitter)
    rows = [HEADINGS["practices"], *GOOD["practices"]]
    response = upload(client, xlsx(rows), "practices", units["郑州"], period)
    assert response.status_code == 400
    assert shown_errors(response) == [
        f"郑州市：本期报送已于 {period.deadline.isoformat()} 截止。如需补报，请联系省局为本单位延期。"
    ]
    assert not MeasureReport.objects.exists()


@pytest.mark.parametrize("persona", ["reviewer", "administrator"])
def test_the_provinces_import_into_a_submitted_report_submits_it_again(
    client, request, zhengzhou_submitter, units, period, persona
):
    user = request.getfixturevalue(persona)
    report = existing_report(zhengzhou_submitter, units["郑州"], period, "events")
    transition(report, WorkflowAction.SUBMIT, zhengzhou_submitter, notify=False)
    client.force_login(user)
    rows = [HEADINGS["events"], *GOOD["events"]]
    response = upload(client, xlsx(rows), "events", units["郑州"], period, name="活动.xlsx")
    assert response.status_code == 200, shown_errors(response)
    assert "报表将由省局代为提交（省局导入）。" in response.content.decode()
    response = confirm(client)
    assert messages_of(response) == ["已导入 2 项活动，报表已由省局代为提交。"]
    report.refresh_from_db()
    assert stored(report, "events") == STORED["events"]
    assert report.state == ReportState.SUBMITTED
    move = MeasureTransition.objects.filter(report=report).last()
    assert (move.action, move.from_state, move.to_state, move.actor, move.comment) == (
        WorkflowAction.IMPORT,
        ReportState.SUBMITTED,
        ReportState.SUBMITTED,
        user,
        "从文件“活动.xlsx”导入",
    )


@pytest.mark.parametrize("persona", ["reviewer", "administrator"])
def test_the_province_cannot_import_into_a_units_unfinished_draft(
    client, request, zhengzhou_submitter, units, period, persona
):
    # Its import submits the whole report: the unit's half-written policies would go with it.
    user = request.getfixturevalue(persona)
    report = existing_report(zhengzhou_submitter, units["郑州"], period, "policies")
    version = report.version
    client.force_login(user)
    rows = [HEADINGS["events"], *GOOD["events"]]
    response = upload(client, xlsx(rows), "events", units["郑州"], period, name="活动.xlsx")
    assert response.status_code == 400
    content = response.content.decode()
    assert (
        "郑州市：该单位正在填报本期政策措施（草稿），省局不能代为导入，以免提交该单位尚未完成的内容。"
        "请由该单位导入或提交，或在其提交后再导入。"
    ) in content
    assert "本报表现有的" not in content  # nothing of the draft is told
    report.refresh_from_db()
    assert (report.state, report.version, stored(report, "events")) == (
        ReportState.DRAFT,
        version,
        [],
    )


def test_the_province_imports_for_a_unit_with_no_report_yet_and_after_the_deadline(
    client, reviewer, units, period
):
    period.deadline = datetime.date.today() - datetime.timedelta(days=1)
    period.save()
    client.force_login(reviewer)
    rows = [HEADINGS["practices"], *GOOD["practices"]]
    upload(client, csv_bytes(rows), "practices", units["洛阳"], period, name="f.csv")
    assert PendingImport.objects.get().versions == {str(units["洛阳"].pk): 0}
    confirm(client)
    report = MeasureReport.objects.get(unit=units["洛阳"], period=period)
    assert stored(report, "practices") == STORED["practices"]
    assert report.state == ReportState.SUBMITTED


def test_the_province_cannot_import_into_an_approved_report(
    client, reviewer, zhengzhou_submitter, units, period
):
    report = existing_report(zhengzhou_submitter, units["郑州"], period, "funds")
    MeasureReport.objects.filter(pk=report.pk).update(state=ReportState.APPROVED)
    client.force_login(reviewer)
    rows = [HEADINGS["funds"], *GOOD["funds"]]
    response = upload(client, xlsx(rows), "funds", units["郑州"], period)
    assert response.status_code == 400
    assert shown_errors(response) == [
        "郑州市：报表已审核通过，数据已锁定。如需更正，请先重新打开。"
    ]
    report.refresh_from_db()
    assert (report.funds.count(), report.version, report.transitions.count()) == (1, 1, 0)


def test_a_report_changed_since_the_preview_is_not_overwritten(
    client, zhengzhou_submitter, units, period
):
    client.force_login(zhengzhou_submitter)
    rows = [HEADINGS["practices"], *GOOD["practices"]]
    upload(client, xlsx(rows), "practices", units["郑州"], period)
    # Meanwhile, a practice is added by the form.
    existing_report(zhengzhou_submitter, units["郑州"], period, "practices")
    response = confirm(client)
    assert response.redirect_chain[-1][0] == "/measures/imports/"
    assert messages_of(response) == [
        "未导入：郑州市：报表在您打开后已被zhengzhou修改（草稿），请查看最新内容后再操作。"
    ]
    report = MeasureReport.objects.get()
    assert (stored(report, "practices"), report.version) == ([("已有做法", "一段。")], 1)


def test_a_report_submitted_since_the_preview_is_not_changed(
    client, zhengzhou_submitter, units, period
):
    report = existing_report(zhengzhou_submitter, units["郑州"], period, "practices")
    client.force_login(zhengzhou_submitter)
    rows = [HEADINGS["practices"], *GOOD["practices"]]
    upload(client, xlsx(rows), "practices", units["郑州"], period)
    transition(report, WorkflowAction.SUBMIT, zhengzhou_submitter, expected_version=1)
    response = confirm(client)
    assert messages_of(response) == ["未导入：郑州市：报表已提交，正在等待审核，暂不能修改。"]
    report.refresh_from_db()
    assert (stored(report, "practices"), report.version) == ([("已有做法", "一段。")], 2)


def test_another_users_pending_import_is_not_found(
    client, zhengzhou_submitter, luoyang_submitter, reviewer, units, period
):
    client.force_login(zhengzhou_submitter)
    rows = [HEADINGS["practices"], *GOOD["practices"]]
    upload(client, xlsx(rows), "practices", units["郑州"], period)
    pending = PendingImport.objects.get()
    for other in (luoyang_submitter, reviewer):
        client.force_login(other)
        assert client.post(f"/measures/imports/{pending.pk}/confirm/").status_code == 404
    assert not MeasureReport.objects.filter(practices__isnull=False).exists()
    assert PendingImport.objects.filter(pk=pending.pk).exists()


def test_another_flows_pending_file_is_not_confirmed_here(
    client, zhengzhou_submitter, units, period
):
    pending = PendingImport.objects.create(
        user=zhengzhou_submitter,
        filename="f.csv",
        content=b"x",
        period=period,
        unit=units["郑州"],
        target=ContentType.objects.get_for_model(PledgeContract),
    )
    client.force_login(zhengzhou_submitter)
    assert client.post(f"/measures/imports/{pending.pk}/confirm/").status_code == 404


def test_confirming_is_a_post(client, zhengzhou_submitter):
    client.force_login(zhengzhou_submitter)
    assert client.get("/measures/imports/1/confirm/").status_code == 405


# ── the templates, and the links to the import ───────────────────────────────────────


@pytest.mark.parametrize("kind", MEASURE_TYPES)
def test_each_kinds_template_has_its_headings_and_an_example_that_imports(
    client, zhengzhou_submitter, units, period, kind
):
    client.force_login(zhengzhou_submitter)
    response = client.get(f"/measures/imports/template/{kind}/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet, example = workbook.worksheets
    assert [c.value for c in sheet[1]] == HEADINGS[kind]
    assert sheet.max_row == 1
    assert [c.value for c in example[2]][: len(HEADINGS[kind])] == EXAMPLES[kind]
    # The example is good: copied into the first sheet, it would import.
    rows = read_rows(xlsx([HEADINGS[kind], EXAMPLES[kind]]))
    preview = parse_measures(rows, period, units["郑州"], kind, zhengzhou_submitter)
    assert preview.ok, [row.errors for row in preview.rows] + preview.errors


def test_the_import_page_links_each_template(client, reviewer):
    client.force_login(reviewer)
    page = client.get("/measures/imports/").content.decode()
    for kind in MEASURE_TYPES:
        assert f'href="/measures/imports/template/{kind}/"' in page


def link(period, unit, kind):
    return (
        f'href="/measures/imports/?period={period.pk}&amp;unit={unit.pk}&amp;measure_type={kind}"'
    )


def test_the_report_page_links_the_import_of_each_kind_while_it_may_be_imported(
    client, zhengzhou_submitter, reviewer, units, period
):
    url = f"/measures/{period.slug}/410100/"
    client.force_login(zhengzhou_submitter)
    page = client.get(url).content.decode()
    assert all(link(period, units["郑州"], kind) in page for kind in MEASURE_TYPES)
    client.force_login(reviewer)
    assert link(period, units["郑州"], "events") in client.get(url).content.decode()

    report = existing_report(zhengzhou_submitter, units["郑州"], period, "events")
    transition(report, WorkflowAction.SUBMIT, zhengzhou_submitter, expected_version=1)
    client.force_login(zhengzhou_submitter)
    assert "从文件导入" not in client.get(url).content.decode()
    client.force_login(reviewer)
    assert link(period, units["郑州"], "events") in client.get(url).content.decode()
    MeasureReport.objects.filter(pk=report.pk).update(state=ReportState.APPROVED)
    assert "从文件导入" not in client.get(url).content.decode()


def test_the_link_preselects_the_period_unit_and_kind(client, zhengzhou_submitter, units, period):
    client.force_login(zhengzhou_submitter)
    response = client.get(
        f"/measures/imports/?period={period.pk}&unit={units['郑州'].pk}&measure_type=funds"
    )
    page = response.content.decode()
    assert '<option value="funds" selected>' in page
    assert f'<option value="{period.pk}" selected>' in page


def test_the_province_may_correct_a_submitted_report_by_a_file(
    client, reviewer, zhengzhou_submitter, units, period
):
    report = existing_report(zhengzhou_submitter, units["郑州"], period, "practices")
    transition(report, WorkflowAction.SUBMIT, zhengzhou_submitter, expected_version=1)
    client.force_login(reviewer)
    rows = [HEADINGS["practices"], *GOOD["practices"]]
    upload(client, xlsx(rows), "practices", units["郑州"], period, name="做法.csv")
    confirm(client)
    report.refresh_from_db()
    assert (stored(report, "practices"), report.state) == (STORED["practices"], "submitted")
    assert list(report.transitions.values_list("action", "to_state")) == [
        (WorkflowAction.SUBMIT, ReportState.SUBMITTED),
        (WorkflowAction.IMPORT, ReportState.SUBMITTED),
    ]


def test_the_preview_lists_each_typed_item_it_replaces_and_confirming_needs_the_tick(
    client, zhengzhou_submitter, units, period
):
    """#22: a measures import replaced the kind's typed items without listing them (a typed
    银企对接会 was lost)."""
    report = existing_report(zhengzhou_submitter, units["郑州"], period, "events")
    typed = str(report.events.get())
    client.force_login(zhengzhou_submitter)
    response = upload(
        client, xlsx([HEADINGS["events"], *GOOD["events"]]), "events", units["郑州"], period
    )
    page = response.content.decode()
    listed = re.search(r'<div class="callout warning" id="replaced-items">(.*?)</div>', page, re.S)
    assert f"<li>{html.escape(typed)}</li>" in listed.group(1)
    assert 'name="replace_items" value="1" required' in listed.group(1)

    refused = confirm(client, ticked=False)
    assert messages_of(refused) == [
        "未导入：导入将替换本报表现有的 1 项：请核对预览中列出的将被替换的条目，勾选确认后再导入。"
    ]
    assert [str(item) for item in report.events.all()] == [typed], "nothing replaced"
    assert confirm(client).status_code == 200
    report.refresh_from_db()
    assert stored(report, "events") == STORED["events"]
