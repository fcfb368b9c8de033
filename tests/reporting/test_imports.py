import io
import time
import zipfile
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from periods.models import ReportingPeriod
from reporting.imports import apply_import, parse_figures
from reporting.models import IPKind, PledgeFigures, PledgeReport, ReportTransition
from tests.support import golden
from tests.support.factories import ReportingPeriodFactory, add_figures
from tests.support.files import PATENT_ROWS, as_csv, as_xls, as_xlsx
from uploads.parsing import parse_amount, parse_count
from uploads.readers import ImportFileError, read_rows
from workflow.models import ReportState

pytestmark = pytest.mark.django_db

TRADEMARK_ROWS = [golden.TRADEMARK_HEADINGS] + [row for row in golden.TRADEMARK_2020]


def import_both(period, user, approve=False):
    """附件1 then 附件2, as the province imports a year's tables."""
    for rows, kind, name in (
        (PATENT_ROWS, IPKind.PATENT, "附件1.csv"),
        (TRADEMARK_ROWS, IPKind.TRADEMARK, "附件2.csv"),
    ):
        preview = parse_figures(read_rows(as_csv(rows)), period, kind, user=user, approve=approve)
        assert preview.ok, (preview.errors, [r.errors for r in preview.rows if r.errors])
        apply_import(preview, user, name, approve=approve)


@pytest.fixture
def period(db):
    return ReportingPeriodFactory(year=2020)


def stored(period, kind=IPKind.PATENT):
    return {
        f.report.unit.name: (f.amount, f.projects, f.items)
        for f in PledgeFigures.objects.filter(report__period=period, kind=kind).select_related(
            "report__unit"
        )
    }


EXPECTED = {row[1]: (Decimal(row[2]), int(row[3]), int(row[4])) for row in golden.PATENT_2020[:-1]}


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(lambda: as_csv(PATENT_ROWS), id="csv-utf8"),
        pytest.param(lambda: b"\xef\xbb\xbf" + as_csv(PATENT_ROWS), id="csv-utf8-bom"),
        pytest.param(lambda: as_csv(PATENT_ROWS, "gbk"), id="csv-gbk"),
        pytest.param(lambda: as_csv(PATENT_ROWS, "gb18030"), id="csv-gb18030"),
        pytest.param(lambda: as_csv(PATENT_ROWS, delimiter="\t"), id="tsv"),
        pytest.param(lambda: as_xlsx(PATENT_ROWS), id="xlsx"),
        pytest.param(lambda: as_xls(PATENT_ROWS), id="xls"),
    ],
)
def test_every_format_imports_the_circulars_table(period, administrator, content):
    preview = parse_figures(read_rows(content()), period, IPKind.PATENT, user=administrator)
    assert preview.ok, (preview.errors, [r.errors for r in preview.rows])
    assert {row.outcome for row in preview.rows} == {"草稿（尚缺商标数据，暂不提交）"}
    assert apply_import(preview, administrator, "附件1.xlsx") == 18
    assert stored(period) == EXPECTED
    # Half a report is not submitted: the trademark figures are still missing.
    states = set(PledgeReport.objects.values_list("state", flat=True))
    assert states == {ReportState.DRAFT}
    assert not ReportTransition.objects.exists()


def test_a_province_import_submits_each_report_once_both_kinds_are_in(
    period, administrator, make_submitter, units, mailoutbox, django_capture_on_commit_callbacks
):
    make_submitter("zhengzhou", units["郑州"])
    with django_capture_on_commit_callbacks(execute=True):
        import_both(period, administrator)
    assert set(PledgeReport.objects.values_list("state", flat=True)) == {ReportState.SUBMITTED}
    moves = ReportTransition.objects.filter(report__unit=units["郑州"])
    assert [(m.action, m.from_state, m.to_state, m.actor, m.comment) for m in moves] == [
        ("import", "draft", "submitted", administrator, "从文件“附件2.csv”导入")
    ]
    assert ReportTransition.objects.count() == 18
    assert [message.to for message in mailoutbox] == [["zhengzhou@example.org"]]
    assert "已提交" in mailoutbox[0].subject


def test_a_province_import_is_not_bound_by_the_deadline(administrator, units):
    closed = ReportingPeriodFactory(year=2019)  # its deadline passed long ago
    import_both(closed, administrator)
    assert set(PledgeReport.objects.values_list("state", flat=True)) == {ReportState.SUBMITTED}


def test_numbers_in_an_xlsx_can_be_real_numbers(period, administrator):
    rows = [golden.PATENT_HEADINGS, [1, "洛阳市", 37209.56, 27, 226], [2, "郑州", 19060, 28, 148]]
    preview = parse_figures(read_rows(as_xlsx(rows)), period, IPKind.PATENT)
    assert [r.values for r in preview.rows] == [
        (Decimal("37209.56"), 27, 226),
        (Decimal("19060.00"), 28, 148),
    ]


def test_headings_in_any_order_without_rank_or_title(period):
    rows = [["商标数", "金额（万元）", "地市", "项目数"], ["281", "40000", "南阳市", "2"]]
    preview = parse_figures(read_rows(as_csv(rows)), period, IPKind.TRADEMARK)
    assert preview.ok
    assert [(r.unit.name, r.values) for r in preview.rows] == [
        ("南阳市", (Decimal("40000.00"), 2, 281))
    ]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1,234.5", Decimal("1234.50")),
        (" 1234.50 ", Decimal("1234.50")),
        ("１２３４", Decimal("1234.00")),
        ("1234.5万元", Decimal("1234.50")),
        ("1234.5 万元", Decimal("1234.50")),
        ("0", Decimal("0.00")),
        ("", Decimal("0.00")),
    ],
)
def test_amounts_as_people_type_them(typed, expected):
    assert parse_amount(typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12340000元", "金额须以万元为单位，“12340000元”未换算，请改为万元。"),
        ("1.2亿元", "金额须以万元为单位，“1.2亿元”未换算，请改为万元。"),
        ("abc", "“abc”不是金额。"),
        ("1.234", "金额“1.234”超过两位小数。"),
        ("NaN", "“NaN”不是金额。"),
        ("1e400", "“1e400”不是金额。"),  # once a server error: too long to quantize
    ],
)
def test_amounts_in_other_units_are_refused_not_guessed(typed, message):
    with pytest.raises(ValueError) as error:
        parse_amount(typed)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("typed", "expected"), [("２７", 27), ("27件", 27), (" 1,000 ", 1000), ("3.0", 3)]
)
def test_counts_as_people_type_them(typed, expected):
    assert parse_count(typed) == expected


def test_a_column_in_yuan_is_refused(period):
    rows = [["地市", "质押金额（元）", "项目数", "专利数"], ["郑州", "190600000", "28", "148"]]
    with pytest.raises(ImportFileError) as error:
        parse_figures(read_rows(as_csv(rows)), period, IPKind.PATENT)
    assert str(error.value) == "金额列“质押金额（元）”的单位不是万元：请按万元填报。"


def test_a_trademark_table_is_not_taken_for_patents(period):
    rows = [golden.TRADEMARK_HEADINGS, ["1", "南阳市", "40000", "2", "281"]]
    with pytest.raises(ImportFileError) as error:
        parse_figures(read_rows(as_csv(rows)), period, IPKind.PATENT)
    assert str(error.value) == "这是商标表（有“商标件数”列），不能导入为专利数据。"


def test_every_row_in_error_is_named_with_its_column_and_nothing_is_saved(period, administrator):
    rows = [
        golden.PATENT_HEADINGS,
        ["1", "洛杨", "10", "1", "1"],
        ["2", "郑州", "5元", "1", "1"],
        ["3", "开封", "10", "3", "2"],
        ["4", "安阳", "10", "1", "1"],
    ]
    preview = parse_figures(read_rows(as_csv(rows)), period, IPKind.PATENT)
    assert not preview.ok
    assert [(r.line, r.errors) for r in preview.rows if r.errors] == [
        (2, {"地市": "未知的填报单位“洛杨”。是否指：洛阳市？"}),
        (3, {"质押金额（万元）": "金额须以万元为单位，“5元”未换算，请改为万元。"}),
        (4, {"专利数": "专利数（2）不能少于项目数（3）：每个项目至少质押 1 件。"}),
    ]
    with pytest.raises(ImportFileError):
        apply_import(preview, administrator, "x.csv")
    assert not PledgeFigures.objects.exists()


def test_a_total_that_does_not_add_up_names_the_difference(period):
    rows = [
        golden.PATENT_HEADINGS,
        ["1", "郑州", "10.5", "1", "2"],
        ["2", "开封", "4", "1", "1"],
        ["", "合计", "15", "2", "3"],
    ]
    preview = parse_figures(read_rows(as_csv(rows)), period, IPKind.PATENT)
    assert preview.errors == ["第 4 行合计的“质押金额（万元）”为 15，各行之和为 14.5，相差 0.5。"]


def test_a_unit_twice_is_an_error(period):
    rows = [golden.PATENT_HEADINGS, ["1", "郑州", "10", "1", "1"], ["2", "郑州市", "4", "1", "1"]]
    preview = parse_figures(read_rows(as_csv(rows)), period, IPKind.PATENT)
    assert preview.rows[1].errors == {"地市": "郑州市在第 2 行已出现过。"}


def test_the_same_file_again_changes_nothing_and_says_so(period, administrator):
    content = as_csv(PATENT_ROWS)
    apply_import(parse_figures(read_rows(content), period, IPKind.PATENT), administrator, "a.csv")
    again = parse_figures(read_rows(content), period, IPKind.PATENT)
    assert {r.status for r in again.rows} == {"unchanged"} and again.changes == []
    versions = list(PledgeReport.objects.values_list("version", flat=True))
    assert apply_import(again, administrator, "a.csv") == 0
    assert list(PledgeReport.objects.values_list("version", flat=True)) == versions


def test_the_preview_says_what_changes(period, administrator, units):
    add_figures(units["郑州"], period, IPKind.PATENT, "19000", 28, 148, state=ReportState.DRAFT)
    preview = parse_figures(read_rows(as_csv(PATENT_ROWS)), period, IPKind.PATENT)
    zhengzhou = next(r for r in preview.rows if r.unit.short_name == "郑州")
    assert (zhengzhou.status, zhengzhou.previous) == ("changed", (Decimal("19000.00"), 28, 148))
    assert {r.status for r in preview.rows if r is not zhengzhou} == {"new"}


def test_importing_into_an_approved_report_is_refused_in_the_preview(period, administrator, units):
    add_figures(units["洛阳"], period, IPKind.PATENT, "1", 1, 1, state=ReportState.APPROVED)
    preview = parse_figures(
        read_rows(as_csv(PATENT_ROWS)), period, IPKind.PATENT, user=administrator
    )
    assert [(r.line, r.errors) for r in preview.rows if r.errors] == [
        (4, {"地市": "报表已审核通过，数据已锁定。如需更正，请先重新打开。"})
    ]
    with pytest.raises(ImportFileError, match="文件有错误，未导入任何数据。"):
        apply_import(preview, administrator, "a.csv")
    assert stored(period) == {"洛阳市": (Decimal("1.00"), 1, 1)}


def test_approve_imports_and_approves_in_one_go(period, reviewer):
    import_both(period, reviewer, approve=True)
    assert set(PledgeReport.objects.values_list("state", flat=True)) == {ReportState.APPROVED}
    moves = ReportTransition.objects.filter(report__unit__short_name="郑州")
    assert [(m.action, m.to_state) for m in moves] == [
        ("import", "submitted"),
        ("approve", "approved"),
    ]
    from reporting.queries import rank_units

    assert rank_units(period, IPKind.PATENT).amount == Decimal("298611.56")


def test_export_then_import_gives_identical_data(client, viewer, period, reviewer):
    import_both(period, reviewer, approve=True)
    client.force_login(viewer)
    for fmt in ("csv", "xlsx"):
        exported = client.get(f"/reports/2020/patent/?_export={fmt}").content
        again = parse_figures(read_rows(exported), period, IPKind.PATENT)
        assert again.ok and {r.status for r in again.rows} == {"unchanged"}, fmt


# ── hostile files ──


def test_an_empty_file(period):
    with pytest.raises(ImportFileError, match="文件是空的。"):
        read_rows(b"")
    with pytest.raises(ImportFileError, match="文件是空的。"):
        read_rows(b"  \r\n ")


def test_a_file_with_no_recognisable_header(period):
    with pytest.raises(ImportFileError) as error:
        parse_figures(read_rows(as_csv([["姓名", "电话"], ["张三", "123"]])), period, IPKind.PATENT)
    assert str(error.value) == "找不到表头：需要“地市”“金额（万元）”“项目数”“专利数”四列。"


def test_an_image_renamed_xlsx(period):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64 + b"IHDR" + bytes(range(256)) * 4
    with pytest.raises(ImportFileError, match="无法识别的文件格式"):
        read_rows(png, "photo.xlsx")


def test_a_zip_that_is_not_a_workbook(period):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ImportFileError, match="无法识别的文件格式"):
        read_rows(buffer.getvalue(), "x.xlsx")


def test_an_xlsx_zip_bomb_is_refused_before_it_inflates():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (200 * 1024 * 1024))
    content = buffer.getvalue()
    assert len(content) < 1024 * 1024
    started = time.perf_counter()
    with pytest.raises(ImportFileError, match="解压后过大"):
        read_rows(content, "bomb.xlsx")
    assert time.perf_counter() - started < 10  # loose: a reader that expanded it would take minutes


def test_a_csv_with_100000_columns_is_refused_quickly():
    content = (",".join(["1"] * 100_000) + "\n").encode()
    started = time.perf_counter()
    with pytest.raises(ImportFileError, match="第 1 行有 100000 列，统计表最多 50 列。"):
        read_rows(content)
    assert time.perf_counter() - started < 10  # loose: shared machines are noisy


def test_a_single_50mb_line_is_refused_by_size(settings):
    content = b"a" * (50 * 1024 * 1024)
    started = time.perf_counter()
    with pytest.raises(ImportFileError, match=r"文件太大（50.0 MB），上限为 10 MB。"):
        read_rows(content)
    assert time.perf_counter() - started < 10  # loose: shared machines are noisy


def test_a_long_line_under_the_size_limit_is_refused_too():
    with pytest.raises(ImportFileError, match="第 1 行过长"):
        read_rows(b"a" * 100_000)


def test_the_size_limit_is_a_setting(settings):
    settings.IMPORT_MAX_BYTES = 100
    with pytest.raises(ImportFileError, match="上限为 0 MB"):
        read_rows(b"x" * 101)


def test_a_broken_xlsx_says_so():
    with pytest.raises(ImportFileError, match="文件已损坏"):
        read_rows(b"PK\x03\x04" + b"garbage" * 10)


# ── the command ──


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_pledges", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_back_fills_a_new_period(tmp_path, administrator, reviewer):
    path = tmp_path / "2019.csv"
    path.write_bytes(as_csv(PATENT_ROWS, "gbk"))
    out, _ = run(
        str(path), "--period", "2019", "--kind", "patent", "--approve", "--user", "reviewer"
    )
    # Found from outside: it printed "18 row(s) imported and approved" while every row stayed a
    # draft (the trademark figures are missing).
    assert "period 2019 created" in out
    assert out.splitlines()[-1] == "imported: 18 草稿（尚缺商标数据，暂不提交）, 0 unchanged"
    period = ReportingPeriod.objects.by_slug("2019").get()
    assert stored(period) == EXPECTED


def test_the_command_imports_as_the_first_superuser_by_default(tmp_path, administrator):
    path = tmp_path / "2019.csv"
    path.write_bytes(as_csv(PATENT_ROWS))
    out, _ = run(str(path), "--period", "2019", "--kind", "patent")
    assert out.splitlines()[-1] == "imported: 18 草稿（尚缺商标数据，暂不提交）, 0 unchanged"
    # Only the patent table: saved, not yet submitted (the trademark figures are missing).
    assert set(PledgeReport.objects.values_list("state", flat=True)) == {ReportState.DRAFT}
    assert set(PledgeReport.objects.values_list("updated_by__username", flat=True)) == {"root"}


def test_the_command_approves_only_as_a_reviewer(tmp_path, administrator):
    path = tmp_path / "2019.csv"
    path.write_bytes(as_csv(PATENT_ROWS))
    with pytest.raises(CommandError) as error:
        run(str(path), "--period", "2019", "--kind", "patent", "--approve")
    assert str(error.value) == (
        "root is not a 省级审核员 and cannot approve: "
        "pass --user with a reviewer's name, or import without --approve"
    )
    assert not ReportingPeriod.objects.exists() and not PledgeReport.objects.exists()


def test_the_command_dry_run_saves_nothing(tmp_path, administrator):
    path = tmp_path / "a.xlsx"
    path.write_bytes(as_xlsx(PATENT_ROWS))
    out, _ = run(str(path), "--period", "2022Q1", "--kind", "patent", "--dry-run")
    assert out.splitlines()[-1] == (
        "dry run: 18 草稿（尚缺商标数据，暂不提交）, 0 unchanged; nothing saved"
    )
    assert not ReportingPeriod.objects.exists() and not PledgeFigures.objects.exists()


def test_the_command_fails_with_the_errors_on_stderr(tmp_path, administrator, period):
    path = tmp_path / "bad.csv"
    path.write_bytes(as_csv([golden.PATENT_HEADINGS, ["1", "北京", "1", "1", "1"]]))
    out = io.StringIO()
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing saved"):
        call_command(
            "import_pledges",
            str(path),
            "--period",
            "2020",
            "--kind",
            "patent",
            stdout=out,
            stderr=err,
        )
    assert "第 2 行「地市」：未知的填报单位“北京”。" in err.getvalue()
    assert not PledgeFigures.objects.exists()


def test_the_command_exits_non_zero_from_the_shell(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "import_pledges",
            str(path),
            "--period",
            "2020",
            "--kind",
            "patent",
        ],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode != 0
    assert "文件是空的。" in result.stderr


def test_a_province_import_changes_a_report_once_per_file(period, administrator, units):
    import_both(period, administrator)
    report = PledgeReport.objects.get(unit=units["郑州"], period=period)
    # Created and saved by the patent table (version 1), submitted by the trademark table's
    # move (version 2): one history record each, after the one of its creation.
    assert report.version == 2
    assert report.history.count() == 3


def test_the_command_counts_what_it_does_and_the_dry_run_the_same(
    tmp_path, reviewer, units, period
):
    """Some rows approved, some left as drafts (and why), the rest unchanged: the dry run and
    the import print the same counts."""
    for name in ("三门峡", "洛阳"):  # their trademark tables are in: these rows can be approved
        add_figures(units[name], period, IPKind.TRADEMARK, "0", 0, 0, state=ReportState.DRAFT)
    same = next(row for row in PATENT_ROWS[1:] if row[1] == "驻马店")
    add_figures(units["驻马店"], period, IPKind.PATENT, same[2], int(same[3]), int(same[4]))
    path = tmp_path / "a.csv"
    path.write_bytes(as_csv(PATENT_ROWS))
    args = [str(path), "--period", "2020", "--kind", "patent", "--approve", "--user", "reviewer"]
    counts = "2 已审核, 15 草稿（尚缺商标数据，暂不提交）, 1 unchanged"
    out, _ = run(*args, "--dry-run")
    assert out.splitlines()[-1] == f"dry run: {counts}; nothing saved"
    assert "驻马店" in next(line for line in out.splitlines() if "unchanged" in line[:40])
    out, _ = run(*args)
    assert out.splitlines()[-1] == f"imported: {counts}"


def test_an_import_over_a_report_being_corrected_needs_saying_so(tmp_path, reviewer, units, period):
    """Found from outside: the command moved a report the reviewer had reopened to 已审核 and
    printed it as "unchanged … 已审核"."""
    row = next(row for row in PATENT_ROWS[1:] if row[1] == "洛阳")
    figures = add_figures(units["洛阳"], period, IPKind.PATENT, row[2], int(row[3]), int(row[4]))
    add_figures(units["洛阳"], period, IPKind.TRADEMARK, "0", 0, 0)
    PledgeReport.objects.filter(pk=figures.report_id).update(state=ReportState.REOPENED)
    path = tmp_path / "a.csv"
    path.write_bytes(as_csv([golden.PATENT_HEADINGS, row]))
    args = [str(path), "--period", "2020", "--kind", "patent", "--approve", "--user", "reviewer"]
    out, _ = run(*args, "--dry-run")
    line = next(line for line in out.splitlines() if "洛阳" in line)
    assert "moves" in line and "更正中 → 已审核" in line and "correction in progress" in line
    with pytest.raises(CommandError, match="--replace-reopened"):
        run(*args)
    assert PledgeReport.objects.get(pk=figures.report_id).state == ReportState.REOPENED
    out, _ = run(*args, "--replace-reopened")
    assert out.splitlines()[-1] == "imported: 1 已审核, 0 unchanged"
    assert PledgeReport.objects.get(pk=figures.report_id).state == ReportState.APPROVED
