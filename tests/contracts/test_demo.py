"""The demo's pledge contracts: 鹤壁's 2021 patents (approved) and 洛阳's trademarks (submitted)."""

import io
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from stdnum.cn import uscc

from accounts import demo as accounts_demo
from contracts import demo as contracts_demo
from contracts.imports import derived_figures
from contracts.models import INCLUSIVE_LIMIT, ContractBatch, PledgeContract
from contracts.queries import rank_banks
from reporting import demo as reporting_demo
from reporting.models import FigureSource, IPKind, PledgeReport
from workflow.models import ReportState, WorkflowAction
from workflow.services import transition

pytestmark = pytest.mark.django_db

RANKING_2021 = [
    ["1", "中国银行", "4700", "2", "1", "1"],
    ["2", "中国工商银行", "4500", "1", "1", "1"],
    ["3", "中国建设银行", "2800", "1", "1", "1"],
    ["4", "中国农业银行", "2300", "1", "1", "1"],
    ["5", "交通银行", "2100", "1", "1", "1"],
    ["6", "中原银行", "1500", "2", "2", "2"],
    ["7", "中国邮政储蓄银行", "600", "1", "1", "1"],
]


def report_2021(unit):
    return PledgeReport.objects.get(period__year=2021, unit__short_name=unit)


def table_rows(page):
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    return [
        re.findall(r"<td[^>]*>([^<]*)</td>", row) for row in body.split("</tr>") if "<td" in row
    ]


def test_the_demo_contracts_add_up_to_the_figures_of_the_reporting_demo():
    """The two demos are written apart: their numbers must agree, or loaddemo would refuse."""
    for unit, (kind, contracts) in contracts_demo.CONTRACTS_2021.items():
        amounts = [Decimal(amount) for _name, _sme, _bank, _items, amount, _day, _term in contracts]
        sums = (
            sum(amounts),
            len(contracts),
            sum(items for _name, _sme, _bank, items, *_rest in contracts),
            len({name for name, *_rest in contracts}),
            len({name for name, sme, *_rest in contracts if sme}),
            sum(1 for amount in amounts if amount < INCLUSIVE_LIMIT),
        )
        _state, figures = reporting_demo.DEMO_2021[unit]
        amount, *counts = figures[kind]
        assert sums == (Decimal(amount), *counts), unit
        assert 5 <= len(contracts) <= 10


def test_after_loaddemo_the_bank_ranking_ranks_the_banks_of_approved_reports(local_demo, client):
    client.force_login(get_user_model().objects.get(username="reviewer"))
    page = client.get("/reports/2021/banks/").content.decode()
    assert table_rows(page) == RANKING_2021  # 鹤壁's: 洛阳's report is not approved yet
    page = client.get("/reports/2021/banks/?kind=trademark").content.decode()
    assert "本期还没有已审核的质押合同。" in page


def test_approving_luoyang_brings_its_banks_into_the_ranking(local_demo):
    reviewer = get_user_model().objects.get(username="reviewer")
    report = report_2021("洛阳")
    transition(report, WorkflowAction.APPROVE, reviewer, notify=False)
    ranking = {row["bank_group"]: row["amount"] for row in rank_banks(report.period)}
    assert ranking["中国银行"] == Decimal("7900")  # 鹤壁's 4700 and 洛阳's 3200
    assert ranking["洛阳银行"] == Decimal("600") and ranking["洛阳农商银行"] == Decimal("350")
    trademarks = [row["bank_group"] for row in rank_banks(report.period, IPKind.TRADEMARK)]
    assert trademarks == ["中国银行", "中国工商银行", "洛阳银行", "中原银行", "洛阳农商银行"]


def test_the_demo_reports_show_the_sums_of_their_contracts(local_demo):
    for unit, (kind, contracts) in contracts_demo.CONTRACTS_2021.items():
        report = report_2021(unit)
        figure = report.figures.get(kind=kind)
        assert figure.source == FigureSource.DERIVED
        stored = tuple(getattr(figure, name) for name in ("amount", "projects", "items",
                       "enterprises", "smes", "inclusive_projects"))  # fmt: skip
        assert stored == derived_figures(report, kind).as_tuple()
        assert report.contracts.count() == len(contracts)
        batch = ContractBatch.objects.get(report=report)
        assert (batch.kind, batch.filename, batch.imported_by.username) == (
            kind,
            "演示质押合同.xlsx",
            accounts_demo.SUBMITTERS[unit],
        )
    assert report_2021("鹤壁").state == ReportState.APPROVED
    assert report_2021("洛阳").state == ReportState.SUBMITTED


def test_every_demo_report_shows_the_figures_the_reporting_demo_gives(local_demo):
    for unit, (_state, figures) in reporting_demo.DEMO_2021.items():
        stored = {
            f.kind: (str(f.amount.normalize()), f.projects, f.items, f.enterprises, f.smes,
                     f.inclusive_projects)
            for f in report_2021(unit).figures.all()
        }  # fmt: skip
        given = {
            kind: (str(Decimal(amount).normalize()), *counts)
            for kind, (amount, *counts) in figures.items()
        }
        assert stored == given, unit


def test_the_demo_enterprises_say_they_are_a_demo_and_carry_valid_codes(local_demo):
    contracts = PledgeContract.objects.filter(report__period__year=2021)
    assert contracts.count() == 15
    for contract in contracts:
        assert "演示" in contract.pledgor
        assert uscc.is_valid(contract.uscc), contract.uscc
        assert contract.uscc[2:8] == contract.report.unit.code
    # One enterprise, one code: 鹤壁's 电子科技 and 洛阳's 轴承 have two contracts each.
    assert contracts.values("uscc").distinct().count() == 13
    assert contracts.values("pledgor").distinct().count() == 13
    assert not PledgeContract.objects.exclude(report__period__year=2021).exists()


def test_loaddemo_again_adds_no_contract(local_demo, settings):
    settings.DEBUG = True
    before = list(PledgeContract.objects.order_by("pk").values_list("pk", "amount"))
    out = io.StringIO()
    call_command("loaddemo", stdout=out)
    assert "Demo pledge contracts" not in out.getvalue()
    assert list(PledgeContract.objects.order_by("pk").values_list("pk", "amount")) == before
    assert ContractBatch.objects.count() == 2


def test_loaddemo_says_what_contracts_it_added(local_demo):
    assert "Demo pledge contracts: 9 for 鹤壁市 (patent)" in local_demo.output
    assert "Demo pledge contracts: 6 for 洛阳市 (trademark)" in local_demo.output
