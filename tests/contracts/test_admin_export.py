"""The admin's export of contracts: every cell that starts like a formula is escaped as the
portal's own exports escape it, numbers stay numbers, and an unknown parameter is a 400."""

import codecs
import csv
import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from contracts.models import PledgeContract
from contracts.resources import PledgeContractResource
from reporting.models import IPKind
from tests.support.factories import PledgeReportFactory, ReportingPeriodFactory

pytestmark = pytest.mark.django_db

EXPORT_URL = "/admin/contracts/pledgecontract/export/"

# What an uploader typed, and what the export must hold.
DANGEROUS = [
    ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
    ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("@SUM(1+1)", "'@SUM(1+1)"),
    ("==1+1", "'==1+1"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
]


@pytest.fixture
def contracts(units):
    report = PledgeReportFactory(unit=units["洛阳"], period=ReportingPeriodFactory(year=2020))
    for n, (typed, _safe) in enumerate(DANGEROUS, start=1):
        PledgeContract.objects.create(
            report=report,
            kind=IPKind.PATENT,
            pledgor=typed,
            uscc="91410100MA44XXXX0X",
            bank=typed,
            registration_number=f"Y{n}",
            items=n,
            amount=Decimal("500.25"),
            effective_on=datetime.date(2020, 3, n),
            loan_term_months=12,
        )


@pytest.fixture
def admin_client(client, administrator_user):
    client.force_login(administrator_user)
    return client


def format_choice(client, title):
    """The value the export form's format menu gives the format ``title`` ("csv", "xlsx")."""
    choices = client.get(EXPORT_URL).context["form"].fields["format"].choices
    return next(value for value, label in choices if label == title)


def export_form(file_format):
    """The export form as the admin posts it: every column ticked."""
    data = {"format": file_format, "resource": "0"}
    for name in PledgeContractResource().get_export_order():
        data[f"pledgecontractresource_{name}"] = "on"
    return data


def export(client, file_format, query=""):
    response = client.post(EXPORT_URL + query, export_form(file_format))
    assert response.status_code == 200, response.content[:500]
    return response


def test_the_admins_csv_export_escapes_every_formula_cell(admin_client, contracts):
    response = export(admin_client, format_choice(admin_client, "csv"))
    assert response.content.startswith(codecs.BOM_UTF8)
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert [row["pledgor"] for row in rows] == [safe for _typed, safe in DANGEROUS]
    assert [row["bank"] for row in rows] == [safe for _typed, safe in DANGEROUS]
    assert [row["registration_number"] for row in rows] == [f"Y{n}" for n in range(1, 8)]
    assert [row["amount"] for row in rows] == ["500.25"] * 7


def test_the_admins_xlsx_export_escapes_every_formula_cell_and_keeps_numbers(
    admin_client, contracts
):
    response = export(admin_client, format_choice(admin_client, "xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    headings = [cell.value for cell in sheet[1]]
    body = list(sheet.iter_rows(min_row=2))
    assert not [
        cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"
    ]
    column = {name: headings.index(name) for name in ("pledgor", "bank", "items", "amount")}
    assert [row[column["pledgor"]].value for row in body] == [safe for _typed, safe in DANGEROUS]
    assert [row[column["bank"]].value for row in body] == [safe for _typed, safe in DANGEROUS]
    assert [row[column["items"]].value for row in body] == [1, 2, 3, 4, 5, 6, 7]
    assert [row[column["amount"]].value for row in body] == [500.25] * 7
    assert {row[column["amount"]].data_type for row in body} == {"n"}


@pytest.mark.parametrize("query", ["?format=0", "?format=abc", "?format=99", "?colour=red"])
def test_an_unknown_parameter_on_the_admins_export_is_a_bad_request(admin_client, query):
    response = admin_client.get(EXPORT_URL + query)
    assert response.status_code == 400
    assert response.content.decode() == "导出地址中有无法识别的参数，请回到列表页重新导出。"


@pytest.mark.parametrize("file_format", ["abc", "99", "-1"])
def test_an_unknown_format_posted_to_the_admins_export_is_refused(admin_client, file_format):
    response = admin_client.post(EXPORT_URL, export_form(file_format))
    assert response.status_code == 200
    assert "Content-Disposition" not in response
    assert response.context["form"].errors["format"]


def test_the_admins_export_still_follows_the_change_lists_search_and_filters(
    admin_client, contracts
):
    response = export(admin_client, format_choice(admin_client, "csv"), "?q=Y2&kind__exact=patent")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert [row["registration_number"] for row in rows] == ["Y2"]
