"""Figures come from the form and tables or from contracts, never both silently; a batch of
imported contracts can be listed and withdrawn as a recorded change."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contracts.imports import apply_contracts, parse_contracts
from contracts.models import ContractBatch, PledgeContract
from reporting.models import FigureSource, IPKind, PledgeFigures
from reporting.services import Figures, save_figures
from tests.support.contracts import HEAD, contract, xlsx
from tests.support.factories import add_figures
from uploads.models import PendingImport
from uploads.readers import ImportFileError, read_rows
from workflow.models import ReportState

pytestmark = pytest.mark.django_db

TYPED = {
    IPKind.PATENT: Figures(Decimal("21500"), 30, 160, 20),
    IPKind.TRADEMARK: Figures(Decimal("0"), 0, 0),
}


@pytest.fixture
def typed_draft(zhengzhou_submitter, units, open_period):
    """郑州's draft with figures typed by hand."""
    return save_figures(zhengzhou_submitter, units["郑州"], open_period, TYPED)


def zhengzhou_contracts(count=3, **overrides):
    rows = [HEAD] + [
        contract(unit="郑州", n=n, amount="150.5", day="2021-03-05", **overrides)
        for n in range(1, count + 1)
    ]
    return xlsx(rows)


def post_contracts(client, content, period, **extra):
    return client.post(
        "/contracts/import/",
        {
            "file": SimpleUploadedFile("合同.xlsx", content),
            "period": period.pk,
            "kind": "patent",
            **extra,
        },
    )


def figures(kind=IPKind.PATENT):
    figure = PledgeFigures.objects.get(report__unit__short_name="郑州", kind=kind)
    return (figure.amount, figure.projects, figure.items, figure.enterprises, figure.source)


def test_the_preview_shows_old_and_new_and_asks_before_replacing_typed_figures(
    client, zhengzhou_submitter, typed_draft, open_period
):
    client.force_login(zhengzhou_submitter)
    response = post_contracts(client, zhengzhou_contracts(), open_period)
    assert response.status_code == 200
    html = response.content.decode()
    assert "质押金额（万元）：21500 → 451.5" in html
    assert "项目数：30 → 3" in html
    assert "将替换手工填写的数据" in html and 'name="replace_typed"' in html
    pending = PendingImport.objects.get()

    # Confirming without the tick saves nothing.
    response = client.post(f"/contracts/import/{pending.pk}/confirm/", follow=True)
    assert "将替换手工填写的数据" in str(list(response.context["messages"])[0])
    assert figures() == (Decimal("21500"), 30, 160, 20, FigureSource.TYPED)
    assert not PledgeContract.objects.exists()

    response = client.post(
        f"/contracts/import/{pending.pk}/confirm/", {"replace_typed": "1"}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        "已导入 3 份质押合同，报表数据已按合同汇总。"
    ]
    # On the report's contracts, the batch just imported among them.
    assert response.redirect_chain == [(f"/periods/{open_period.slug}/410100/contracts/", 302)]
    assert figures() == (Decimal("451.5"), 3, 6, 3, FigureSource.DERIVED)
    typed_draft.refresh_from_db()
    assert typed_draft.state == ReportState.DRAFT


def test_contracts_equal_to_nothing_typed_need_no_confirmation(units, open_period, reviewer):
    preview = parse_contracts(
        read_rows(zhengzhou_contracts()), open_period, kind="patent", user=reviewer
    )
    assert preview.ok and not preview.needs_confirmation
    assert apply_contracts(preview, reviewer, "合同.xlsx") == 3


def test_the_service_refuses_to_replace_typed_figures_unconfirmed(
    typed_draft, open_period, zhengzhou_submitter
):
    # The unit's own clerk, who may read the draft. (Over a draft the province may not read, the
    # import replaces the draft and asks nothing: tests/reporting/test_draft_privacy.py.)
    preview = parse_contracts(
        read_rows(zhengzhou_contracts()), open_period, user=zhengzhou_submitter, as_draft=True
    )
    assert preview.needs_confirmation
    with pytest.raises(ImportFileError, match="将替换手工填写的数据"):
        apply_contracts(preview, zhengzhou_submitter, "合同.xlsx", as_draft=True)
    assert figures()[0] == Decimal("21500")


def test_the_report_lists_its_contracts_and_a_batch_can_be_withdrawn(
    client, zhengzhou_submitter, luoyang_submitter, typed_draft, open_period
):
    preview = parse_contracts(
        read_rows(zhengzhou_contracts(count=60)),
        open_period,
        user=zhengzhou_submitter,
        as_draft=True,
    )
    apply_contracts(preview, zhengzhou_submitter, "合同.xlsx", as_draft=True, replace_typed=True)
    client.force_login(zhengzhou_submitter)
    report_page = client.get("/periods/2021/410100/").content.decode()
    assert '<a href="/periods/2021/410100/contracts/">质押合同明细</a>' in report_page
    page = client.get("/periods/2021/410100/contracts/").content.decode()
    assert "第 1 / 2 页，共 60 份" in page and "Y2020000001" in page
    assert "Y2020000060" in client.get("/periods/2021/410100/contracts/?page=2").content.decode()

    batch = ContractBatch.objects.get()
    # Another city neither sees nor withdraws it.
    client.force_login(luoyang_submitter)
    assert client.get("/periods/2021/410100/contracts/").status_code == 404
    stale = typed_draft.version
    typed_draft.refresh_from_db()
    assert (
        client.post(
            f"/contracts/batches/{batch.pk}/withdraw/", {"version": typed_draft.version}
        ).status_code
        == 404
    )

    client.force_login(zhengzhou_submitter)
    response = client.post(
        f"/contracts/batches/{batch.pk}/withdraw/", {"version": stale}, follow=True
    )
    assert "报表在您打开后已被" in str(list(response.context["messages"])[0])
    assert PledgeContract.objects.count() == 60

    response = client.post(
        f"/contracts/batches/{batch.pk}/withdraw/", {"version": typed_draft.version}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        "已撤回文件“合同.xlsx”导入的 60 份质押合同，专利数据已恢复为导入前的数据。"
    ]
    assert not PledgeContract.objects.exists()
    assert figures() == (Decimal("21500"), 30, 160, 20, FigureSource.TYPED)
    batch.refresh_from_db()
    assert batch.withdrawn_by == zhengzhou_submitter
    history = PledgeFigures.history.filter(kind=IPKind.PATENT).order_by("history_date")
    assert history.last().history_user == zhengzhou_submitter
    assert "已于" in client.get("/periods/2021/410100/contracts/").content.decode()

    # The figures are typed again: the form may change them.
    typed_draft.refresh_from_db()
    save_figures(
        zhengzhou_submitter,
        typed_draft.unit,
        typed_draft.period,
        {IPKind.PATENT: Figures(Decimal("21600"), 30, 160, 20)},
    )


def test_withdrawing_a_batch_without_earlier_figures_empties_the_kind(
    zhengzhou_submitter, units, open_period
):
    from contracts.services import withdraw_batch

    add_figures(units["郑州"], open_period, IPKind.TRADEMARK, "0", 0, 0, state=ReportState.DRAFT)
    preview = parse_contracts(
        read_rows(zhengzhou_contracts()), open_period, user=zhengzhou_submitter, as_draft=True
    )
    apply_contracts(preview, zhengzhou_submitter, "合同.xlsx", as_draft=True)
    withdraw_batch(ContractBatch.objects.get(), zhengzhou_submitter)
    assert not PledgeFigures.objects.filter(kind=IPKind.PATENT).exists()


@pytest.mark.parametrize(
    ("column", "change"),
    [
        ("出质人", {2: "企" * 201}),
        ("质权人（银行）", {5: "河南" * 100 + "银行"}),
        ("质押登记号", {6: "Y" * 61}),
        ("件数", {7: "3000000000"}),
        ("贷款期限（月）", {10: "40000"}),
    ],
)
def test_text_and_numbers_beyond_the_columns_are_named_in_the_preview(
    client, reviewer, open_period, column, change
):
    row = contract(unit="郑州", day="2021-03-05")
    for index, value in change.items():
        row[index] = value
    client.force_login(reviewer)
    response = post_contracts(client, xlsx([HEAD, row]), open_period)
    assert response.status_code == 400
    assert f"第 2 行「{column}」" in response.content.decode()
    assert not PendingImport.objects.exists() and not PledgeContract.objects.exists()


def test_a_municipal_contract_file_for_another_unit_reads_nothing_of_it(
    client, luoyang_submitter, typed_draft, open_period
):
    client.force_login(luoyang_submitter)
    response = post_contracts(client, zhengzhou_contracts(), open_period)
    assert response.status_code == 400
    html = response.content.decode()
    assert "您只能导入本单位的数据" in html
    assert "21500" not in html


def test_a_bank_name_of_150_characters_imports(reviewer, open_period, units):
    bank = "河南" * 74 + "银行"
    row = contract(unit="郑州", day="2021-03-05", bank=bank)
    preview = parse_contracts(read_rows(xlsx([HEAD, row])), open_period, user=reviewer)
    assert preview.ok, [r.errors for r in preview.rows]
    apply_contracts(preview, reviewer, "合同.xlsx")
    assert PledgeContract.objects.get().bank_group == bank


def test_the_preview_gives_the_figures_the_database_derives(reviewer, units, open_period):
    from contracts.imports import derived_figures

    rows = [HEAD,
            contract(unit="郑州", n=1, amount="1500", sme="是", day="2021-03-05"),
            contract(unit="郑州", n=1, amount="999.99", sme="是", day="2021-04-05"),
            contract(unit="郑州", n=2, amount="20", sme="否", items=5, day="2021-05-05")]  # fmt: skip
    rows[2][6] = "Y2021SECOND"
    preview = parse_contracts(read_rows(xlsx(rows)), open_period, kind="patent", user=reviewer)
    assert preview.ok, [r.errors for r in preview.rows]
    expected = preview.groups[0].after
    apply_contracts(preview, reviewer, "合同.xlsx")
    report = units["郑州"].reports.get(period=open_period)
    assert derived_figures(report, IPKind.PATENT) == expected
    assert expected.as_tuple() == (Decimal("2519.99"), 3, 9, 2, 1, 2)


def test_a_withdrawal_without_a_version_is_refused_with_a_message(
    client, zhengzhou_submitter, units, open_period
):
    preview = parse_contracts(
        read_rows(zhengzhou_contracts()), open_period, user=zhengzhou_submitter, as_draft=True
    )
    apply_contracts(preview, zhengzhou_submitter, "合同.xlsx", as_draft=True)
    client.force_login(zhengzhou_submitter)
    batch = ContractBatch.objects.get()
    response = client.post(
        f"/contracts/batches/{batch.pk}/withdraw/", {"version": "x"}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["请求无效，请刷新页面后重试。"]
    assert PledgeContract.objects.count() == 3
