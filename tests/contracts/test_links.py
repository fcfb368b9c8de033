"""The contracts template, a report's contracts and a unit's history are within reach."""

import io

import pytest
from openpyxl import load_workbook

from contracts.models import validate_uscc

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitter_client(client, zhengzhou_submitter):
    client.force_login(zhengzhou_submitter)
    return client


def test_the_import_page_links_the_template_of_each_of_a_submitters_units(
    submitter_client, open_period
):
    html = submitter_client.get("/contracts/import/").content.decode()
    assert '<a href="/contracts/template/2021/410100.xlsx">郑州市2021年质押合同模板</a>' in html
    assert "410300" not in html  # 洛阳 is not theirs


def test_the_province_picks_period_and_unit_and_gets_that_template(client, reviewer, open_period):
    client.force_login(reviewer)
    html = client.get("/contracts/import/").content.decode()
    assert 'action="/contracts/template/"' in html and '<option value="410300">' in html
    response = client.get("/contracts/template/?period=2021&unit=410300")
    assert response.url == "/contracts/template/2021/410300.xlsx"
    assert client.get(response.url).status_code == 200


@pytest.mark.parametrize(
    "query", ["", "?period=2021", "?period=20x1&unit=410300", "?period=2021&unit=<script>"]
)
def test_a_template_choice_without_a_valid_period_and_unit_says_what_to_do(
    client, reviewer, open_period, query
):
    client.force_login(reviewer)
    response = client.get(f"/contracts/template/{query}", follow=True)
    assert response.redirect_chain == [("/contracts/import/", 302)]
    assert "请选择报送周期和填报单位。" in response.content.decode()


def test_the_templates_example_passes_the_check_every_import_applies(submitter_client, open_period):
    response = submitter_client.get("/contracts/template/2021/410100.xlsx")
    example = load_workbook(io.BytesIO(response.content))["示例"]
    validate_uscc(example["C2"].value)


def test_a_report_page_links_its_contracts_and_its_units_history(
    submitter_client, units, open_period, zhengzhou_submitter
):
    from decimal import Decimal

    from reporting import services
    from reporting.models import IPKind

    figures = {IPKind.PATENT: services.Figures(Decimal("1"), 1, 1, 1)}
    services.save_figures(zhengzhou_submitter, units["郑州"], open_period, figures)
    html = submitter_client.get("/periods/2021/410100/").content.decode()
    assert 'href="/periods/2021/410100/contracts/"' in html
    assert 'href="/analysis/units/410100/"' in html
    html = submitter_client.get("/periods/2021/410100/contracts/").content.decode()
    assert 'href="/contracts/template/2021/410100.xlsx"' in html


def test_a_clerk_of_one_unit_finds_it_chosen_on_the_import_form(submitter_client, units):
    html = submitter_client.get("/contracts/import/").content.decode()
    assert f'<option value="{units["郑州"].pk}" selected>郑州市</option>' in html
