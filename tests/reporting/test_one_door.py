"""The side paths around the workflow, closed: each test failed on the code before the change."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from cities.models import ReportingUnit
from reporting.imports import apply_import, parse_figures
from reporting.models import FigureSource, IPKind, PledgeFigures, PledgeReport, ReportTransition
from reporting.services import Figures, save_figures
from tests.support import golden
from tests.support.factories import PledgeFiguresFactory, PledgeReportFactory
from tests.support.files import as_csv, upload
from uploads.models import PendingImport
from uploads.readers import read_rows
from workflow.models import ReportState, WorkflowAction
from workflow.services import transition

pytestmark = pytest.mark.django_db


def draft(unit, period, amount, projects=3, items=9, enterprises=None, **figures):
    report = PledgeReportFactory(unit=unit, period=period, state=ReportState.DRAFT)
    PledgeFiguresFactory(
        report=report,
        kind=IPKind.PATENT,
        amount=Decimal(amount),
        projects=projects,
        items=items,
        enterprises=enterprises,
        **figures,
    )
    return report


# ── privacy of drafts ──


def test_a_municipal_preview_shows_no_other_units_stored_figures(
    client, zhengzhou_submitter, open_period
):
    """A file listing every unit reads no draft but the submitter's own, in HTML or message."""
    units = list(ReportingUnit.objects.order_by("code"))
    markers = {}
    for number, unit in enumerate(units, start=1):
        markers[unit.name] = f"{21000 + number}.37"
        draft(unit, open_period, markers[unit.name], projects=30 + number, items=160 + number)
    rows = [golden.PATENT_HEADINGS] + [[str(n), u.name, "1", "1", "1"] for n, u in enumerate(units)]
    client.force_login(zhengzhou_submitter)
    response = upload(client, as_csv(rows), period=open_period)
    follow = client.get("/")  # any message flashed on the way
    html = response.content.decode() + follow.content.decode()
    assert response.status_code == 400  # the other units' rows refuse the file
    shown = {name for name, marker in markers.items() if marker in html}
    assert shown == {"郑州市"}
    for number, unit in enumerate(units, start=1):
        if unit.name != "郑州市":
            assert f"/ {30 + number} / {160 + number}" not in html
    assert not PendingImport.objects.exists()


# ── preview says yes, confirm saves ──


def test_projects_below_the_stored_enterprises_are_refused_in_the_preview(
    units, open_period, administrator
):
    draft(units["郑州"], open_period, "100", projects=5, items=9, enterprises=5, smes=2)
    rows = [golden.PATENT_HEADINGS, ["1", "郑州", "100", "3", "9"]]
    preview = parse_figures(read_rows(as_csv(rows)), open_period, IPKind.PATENT, user=administrator)
    assert [(row.line, row.errors) for row in preview.rows] == [
        (
            2,
            {
                "项目数": "与报表中已保存的数据不符：惠及企业数（5）不能多于项目数（3）。",
            },
        )
    ]
    assert PledgeFigures.objects.get().projects == 5


def test_the_upload_page_names_the_row_and_never_fails_at_confirm(
    client, zhengzhou_submitter, units, open_period
):
    draft(units["郑州"], open_period, "100", projects=5, items=9, inclusive_projects=4)
    client.force_login(zhengzhou_submitter)
    rows = [golden.PATENT_HEADINGS, ["1", "郑州", "100", "2", "9"]]
    response = upload(client, as_csv(rows), period=open_period)
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        "第 2 行「项目数」：与报表中已保存的数据不符：普惠项目数（4）不能多于项目数（2）。" in html
    )
    assert not PendingImport.objects.exists()


def test_the_command_names_the_row_instead_of_a_traceback(
    tmp_path, units, open_period, administrator
):
    draft(units["郑州"], open_period, "100", projects=5, items=9, enterprises=5)
    path = tmp_path / "附件1.csv"
    path.write_bytes(as_csv([golden.PATENT_HEADINGS, ["1", "郑州", "100", "3", "9"]]))
    with pytest.raises(CommandError, match="nothing saved"):
        call_command("import_pledges", str(path), period="2021", kind="patent")
    assert PledgeFigures.objects.get().projects == 5


def test_figures_beyond_the_columns_limits_are_refused_in_the_preview(open_period, administrator):
    rows = [golden.PATENT_HEADINGS, ["1", "郑州", "1" * 15, "3000000000", "3000000000"]]
    preview = parse_figures(read_rows(as_csv(rows)), open_period, IPKind.PATENT, user=administrator)
    errors = preview.rows[0].errors
    assert set(errors) == {"质押金额（万元）", "项目数", "专利数"}
    with pytest.raises(Exception, match="文件有错误"):
        apply_import(preview, administrator, "a.csv")
    assert not PledgeReport.objects.exists()


# ── figures or contracts, never both silently ──


def test_a_figures_import_refuses_a_kind_summed_from_contracts(
    client, zhengzhou_submitter, units, open_period
):
    report = draft(units["郑州"], open_period, "303", projects=2, items=4)
    report.figures.update(source=FigureSource.DERIVED)
    client.force_login(zhengzhou_submitter)
    rows = [golden.PATENT_HEADINGS, ["1", "郑州", "999", "3", "9"]]
    response = upload(client, as_csv(rows), period=open_period)
    assert response.status_code == 400
    assert (
        "专利数据由质押合同汇总，不能直接填写或用统计表导入；请重新导入质押合同，或先撤回已导入的合同。"
        in response.content.decode()
    )
    assert PledgeFigures.objects.get().amount == Decimal("303")


def test_the_report_form_cannot_overwrite_derived_figures(units, open_period, zhengzhou_submitter):
    report = draft(units["郑州"], open_period, "303", projects=2, items=4)
    report.figures.update(source=FigureSource.DERIVED)
    with pytest.raises(Exception, match="由质押合同汇总"):
        save_figures(
            zhengzhou_submitter,
            units["郑州"],
            open_period,
            {IPKind.PATENT: Figures(Decimal("999"), 3, 9)},
        )
    assert PledgeFigures.objects.get().amount == Decimal("303")


# ── bulk approval at the version seen ──


def test_the_board_does_not_approve_a_report_changed_since_it_was_loaded(
    client, reviewer, make_submitter, units, open_period
):
    zhoukou = make_submitter("zhoukou", units["周口"])
    figures = {
        IPKind.PATENT: Figures(Decimal("100"), 1, 1, 1),
        IPKind.TRADEMARK: Figures(Decimal("0"), 0, 0),
    }
    report = save_figures(zhoukou, units["周口"], open_period, figures)
    transition(report, WorkflowAction.SUBMIT, zhoukou)
    client.force_login(reviewer)
    board = client.get("/periods/2021/board/").content.decode()
    report.refresh_from_db()
    checkbox = f'value="{report.pk}:{report.version}"'
    assert checkbox in board
    # Another reviewer returns it, 周口 resubmits 999.
    transition(report, WorkflowAction.RETURN, reviewer, comment="请核对")
    figures[IPKind.PATENT] = Figures(Decimal("999"), 2, 5, 2)
    save_figures(zhoukou, units["周口"], open_period, figures, explanation="增长较快")
    transition(report, WorkflowAction.SUBMIT, zhoukou)
    chosen = {"report": f"{report.pk}:{report.version}"}
    confirmation = client.post("/periods/2021/board/approve/", chosen).content.decode()
    assert (
        "周口市：报表在您打开后已被zhoukou修改（已提交），请查看最新内容后再操作。未审核通过。"
        in (confirmation)
    )
    assert 'name="confirm"' not in confirmation
    response = client.post("/periods/2021/board/approve/", {**chosen, "confirm": "1"}, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        "周口市：报表在您打开后已被zhoukou修改（已提交），请查看最新内容后再操作。未审核通过。"
    ]
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert not ReportTransition.objects.filter(action=WorkflowAction.APPROVE).exists()


def test_a_confirmation_after_the_report_changed_is_refused(
    client, zhengzhou_submitter, units, open_period
):
    client.force_login(zhengzhou_submitter)
    upload(
        client, as_csv([golden.PATENT_HEADINGS, ["1", "郑州", "10", "1", "1"]]), period=open_period
    )
    pending = PendingImport.objects.get()
    save_figures(
        zhengzhou_submitter,
        units["郑州"],
        open_period,
        {IPKind.PATENT: Figures(Decimal("20"), 2, 2)},
        expected_version=0,
    )
    response = client.post(f"/imports/{pending.pk}/confirm/", follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1 and "报表在您打开后已被" in messages[0]
    assert PledgeFigures.objects.get().amount == Decimal("20")
