"""Every URL of the portal × every persona → the expected answer.

The list of URLs comes from the URLconf: a new URL without an entry here fails
``test_every_url_of_the_portal_is_in_the_matrix``.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from reporting.models import IPKind
from tests.factories import PledgeFiguresFactory, PledgeReportFactory
from workflow.models import ReportState

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "submitter", "other_submitter", "reviewer", "administrator"]
LOGIN = "login"  # a redirect to the log-in page

# name → (method, path, data, {persona: expected status or LOGIN})
# The report under test belongs to 郑州 (unit 410100, the submitter's unit), period 2021, submitted.
MATRIX = {
    "home": ("get", "/", None, dict(anonymous=LOGIN, submitter=200, other_submitter=200, reviewer=200, administrator=200)),
    "favicon": ("get", "/favicon.ico", None, dict(anonymous=302, submitter=302, other_submitter=302, reviewer=302, administrator=302)),
    "login": ("get", "/accounts/login/", None, dict(anonymous=200, submitter=200, other_submitter=200, reviewer=200, administrator=200)),
    "logout": ("post", "/accounts/logout/", {}, dict(anonymous=302, submitter=302, other_submitter=302, reviewer=302, administrator=302)),
    "password_change": ("get", "/accounts/password/change/", None, dict(anonymous=LOGIN, submitter=200, other_submitter=200, reviewer=200, administrator=200)),
    "password_change_done": ("get", "/accounts/password/change/done/", None, dict(anonymous=LOGIN, submitter=200, other_submitter=200, reviewer=200, administrator=200)),
    "password_reset": ("get", "/accounts/password/reset/", None, dict(anonymous=200, submitter=200, other_submitter=200, reviewer=200, administrator=200)),
    "password_reset_done": ("get", "/accounts/password/reset/sent/", None, dict(anonymous=200, submitter=200, other_submitter=200, reviewer=200, administrator=200)),
    "password_reset_confirm": ("get", "/accounts/password/reset/MQ/bad-token/", None, dict(anonymous=200, submitter=200, other_submitter=200, reviewer=200, administrator=200)),
    "password_reset_complete": ("get", "/accounts/password/reset/complete/", None, dict(anonymous=200, submitter=200, other_submitter=200, reviewer=200, administrator=200)),
    "set_language": ("post", "/i18n/setlang/", {"language": "en", "next": "/"}, dict(anonymous=302, submitter=302, other_submitter=302, reviewer=302, administrator=302)),
    "admin:index": ("get", "/admin/", None, dict(anonymous=302, submitter=302, other_submitter=302, reviewer=302, administrator=200)),
    "reporting:ranked_table": ("get", "/reports/2021/patent/", None, dict(anonymous=LOGIN, submitter=200, other_submitter=200, reviewer=200, administrator=200)),
    "reporting:ranked_table provisional": ("get", "/reports/2021/patent/?provisional=1", None, dict(anonymous=LOGIN, submitter=403, other_submitter=403, reviewer=200, administrator=403)),
    "reporting:board": ("get", "/periods/2021/board/", None, dict(anonymous=LOGIN, submitter=403, other_submitter=403, reviewer=200, administrator=200)),
    "reporting:bulk_approve": ("post", "/periods/2021/board/approve/", {"report": "REPORT"}, dict(anonymous=LOGIN, submitter=403, other_submitter=403, reviewer=200, administrator=403)),
    "reporting:bulk_approve confirmed": ("post", "/periods/2021/board/approve/", {"report": "REPORT", "confirm": "1"}, dict(anonymous=LOGIN, submitter=403, other_submitter=403, reviewer=302, administrator=403)),
    "reporting:report": ("get", "/periods/2021/410100/", None, dict(anonymous=LOGIN, submitter=200, other_submitter=404, reviewer=200, administrator=200)),
    "reporting:report save": ("post", "/periods/2021/410100/", "FORM", dict(anonymous=LOGIN, submitter=302, other_submitter=404, reviewer=403, administrator=403)),
    "reporting:transition": ("post", "/periods/2021/410100/approve/", {"version": "VERSION"}, dict(anonymous=LOGIN, submitter=403, other_submitter=404, reviewer=302, administrator=403)),
    "reporting:extension": ("post", "/periods/2021/410100/extension/", {"until": "2099-01-01", "reason": "x"}, dict(anonymous=LOGIN, submitter=403, other_submitter=404, reviewer=302, administrator=403)),
    "circulars:list": ("get", "/circulars/", None, dict(anonymous=LOGIN, submitter=403, other_submitter=403, reviewer=200, administrator=200)),
    "circulars:create": ("get", "/circulars/new/", None, dict(anonymous=LOGIN, submitter=403, other_submitter=403, reviewer=403, administrator=200)),
    "circulars:detail": ("get", "/circulars/CIRCULAR/", None, dict(anonymous=LOGIN, submitter=403, other_submitter=403, reviewer=200, administrator=200)),
    "circulars:edit": ("get", "/circulars/CIRCULAR/edit/", None, dict(anonymous=LOGIN, submitter=403, other_submitter=403, reviewer=403, administrator=200)),
    "circulars:redraft": ("post", "/circulars/CIRCULAR/redraft/", {}, dict(anonymous=LOGIN, submitter=403, other_submitter=403, reviewer=403, administrator=302)),
    "circulars:issue": ("get", "/circulars/CIRCULAR/issue/", None, dict(anonymous=LOGIN, submitter=403, other_submitter=403, reviewer=403, administrator=200)),
    "circulars:issue confirm": ("post", "/circulars/CIRCULAR/issue/", {"revision": "REVISION", "allow_open_periods": "1"}, dict(anonymous=LOGIN, submitter=403, other_submitter=403, reviewer=403, administrator=302)),
    "circulars:withdraw": ("get", "/circulars/ISSUED/withdraw/", None, dict(anonymous=LOGIN, submitter=403, other_submitter=403, reviewer=403, administrator=200)),
    "circulars:withdraw confirm": ("post", "/circulars/ISSUED/withdraw/", {"revision": "REVISION", "reason": "印发有误"}, dict(anonymous=LOGIN, submitter=403, other_submitter=403, reviewer=403, administrator=302)),
    "circulars:file": ("get", "/circulars/CIRCULAR/file.xlsx", None, dict(anonymous=LOGIN, submitter=403, other_submitter=403, reviewer=200, administrator=200)),
    "circulars:attachment_pdf": ("get", "/reports/2021/patent.pdf", None, dict(anonymous=LOGIN, submitter=200, other_submitter=200, reviewer=200, administrator=200)),
    "reporting:import": ("get", "/imports/", None, dict(anonymous=LOGIN, submitter=200, other_submitter=200, reviewer=200, administrator=200)),
    "reporting:confirm_import": ("post", "/imports/PENDING/confirm/", {}, dict(anonymous=LOGIN, submitter=404, other_submitter=404, reviewer=302, administrator=404)),
    "contracts:import": ("get", "/contracts/import/", None, dict(anonymous=LOGIN, submitter=200, other_submitter=200, reviewer=200, administrator=200)),
    "contracts:confirm_import": ("post", "/contracts/import/PENDING/confirm/", {}, dict(anonymous=LOGIN, submitter=404, other_submitter=404, reviewer=404, administrator=404)),
    "contracts:template": ("get", "/contracts/template/2021/410100.xlsx", None, dict(anonymous=LOGIN, submitter=200, other_submitter=404, reviewer=200, administrator=200)),
    # A redirect to the template's own URL, which then decides (404 for another unit's).
    "contracts:template_choice": ("get", "/contracts/template/?period=2021&unit=410100", None, dict(anonymous=LOGIN, submitter=302, other_submitter=302, reviewer=302, administrator=302)),
    "contracts:report_contracts": ("get", "/periods/2021/410100/contracts/", None, dict(anonymous=LOGIN, submitter=200, other_submitter=404, reviewer=200, administrator=200)),
    "contracts:withdraw_batch": ("post", "/contracts/batches/BATCH/withdraw/", {"version": "VERSION"}, dict(anonymous=LOGIN, submitter=302, other_submitter=404, reviewer=302, administrator=302)),
    "contracts:banks": ("get", "/reports/2021/banks/", None, dict(anonymous=LOGIN, submitter=403, other_submitter=403, reviewer=200, administrator=200)),
    "circulars:practice_exchange": ("get", "/circulars/practices/", None, dict(anonymous=LOGIN, submitter=403, other_submitter=403, reviewer=403, administrator=200)),
    "analysis:dashboard": ("get", "/analysis/", None, dict(anonymous=LOGIN, submitter=403, other_submitter=403, reviewer=200, administrator=200)),
    "analysis:comparison": ("get", "/analysis/2021/patent/", None, dict(anonymous=LOGIN, submitter=403, other_submitter=403, reviewer=200, administrator=200)),
    "analysis:unit": ("get", "/analysis/units/410100/", None, dict(anonymous=LOGIN, submitter=200, other_submitter=404, reviewer=200, administrator=200)),
    # 郑州's measures for 2021, submitted, with a policy and its document.
    "measures:matrix": ("get", "/measures/2021/", None, dict(anonymous=LOGIN, submitter=403, other_submitter=403, reviewer=200, administrator=200)),
    "measures:report": ("get", "/measures/2021/410100/", None, dict(anonymous=LOGIN, submitter=200, other_submitter=404, reviewer=200, administrator=200)),
    "measures:transition": ("post", "/measures/2021/410100/approve/", {"version": "MVERSION"}, dict(anonymous=LOGIN, submitter=403, other_submitter=404, reviewer=302, administrator=403)),
    "measures:transition submit": ("post", "/measures/2021/410100/submit/", {"version": "MVERSION"}, dict(anonymous=LOGIN, submitter=302, other_submitter=404, reviewer=403, administrator=403)),
    "measures:add_item": ("get", "/measures/2021/410100/policies/new/", None, dict(anonymous=LOGIN, submitter=302, other_submitter=404, reviewer=403, administrator=403)),
    "measures:edit_item": ("get", "/measures/2021/410100/policies/MPOLICY/", None, dict(anonymous=LOGIN, submitter=302, other_submitter=404, reviewer=403, administrator=403)),
    "measures:delete_item": ("post", "/measures/2021/410100/policies/MPOLICY/delete/", {"version": "MVERSION"}, dict(anonymous=LOGIN, submitter=302, other_submitter=404, reviewer=403, administrator=403)),
    "measures:document": ("get", "/measures/documents/MDOCUMENT/", None, dict(anonymous=LOGIN, submitter=200, other_submitter=404, reviewer=200, administrator=200)),
    "measures:unit": ("get", "/measures/units/410100/", None, dict(anonymous=LOGIN, submitter=200, other_submitter=404, reviewer=200, administrator=200)),
    "measures:import": ("get", "/measures/imports/", None, dict(anonymous=LOGIN, submitter=200, other_submitter=200, reviewer=200, administrator=200)),
    "measures:confirm_import": ("post", "/measures/imports/PENDING/confirm/", {}, dict(anonymous=LOGIN, submitter=404, other_submitter=404, reviewer=404, administrator=404)),
    "measures:import_template": ("get", "/measures/imports/template/policies/", None, dict(anonymous=LOGIN, submitter=200, other_submitter=200, reviewer=200, administrator=200)),
}  # fmt: skip


def url_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                yield "admin:index"  # the admin's own URLs are Django's; its door is checked
                continue
            prefix = f"{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, prefix)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}"


def test_every_url_of_the_portal_is_in_the_matrix():
    names = set(url_names(get_resolver().url_patterns))
    covered = {key.split(" ")[0] for key in MATRIX}
    assert names - covered == set(), "add these URLs to the permission matrix"
    assert covered - names == set(), "the matrix names URLs that no longer exist"


@pytest.fixture
def people(zhengzhou_submitter, luoyang_submitter, reviewer, administrator_user):
    return {
        "anonymous": None,
        "submitter": zhengzhou_submitter,
        "other_submitter": luoyang_submitter,
        "reviewer": reviewer,
        "administrator": administrator_user,
    }


@pytest.fixture
def submitted_report(units, open_period):
    report = PledgeReportFactory(
        unit=units["郑州"], period=open_period, state=ReportState.SUBMITTED
    )
    PledgeFiguresFactory(
        report=report, kind=IPKind.PATENT, amount=10, projects=1, items=1, enterprises=1
    )
    PledgeFiguresFactory(report=report, kind=IPKind.TRADEMARK, amount=0, projects=0, items=0)
    return report


@pytest.fixture
def circular(submitted_report):
    from tests.factories import CircularFactory

    return CircularFactory(attachments=[(submitted_report.period, IPKind.PATENT)])


def form_data(report):
    data = {"action": "save", "version": report.version, "explanation": ""}
    for kind in IPKind:
        data.update(
            {
                f"{kind}-amount": "10",
                f"{kind}-projects": "1",
                f"{kind}-items": "1",
                f"{kind}-enterprises": "1",
            }
        )
    return data


@pytest.fixture
def submitted_measures(units, open_period, zhengzhou_submitter):
    """郑州's measures for the period: a policy with its document, submitted."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from measures.items import ITEM_KINDS
    from measures.services import save_item
    from workflow.models import WorkflowAction
    from workflow.services import transition

    policy = save_item(
        zhengzhou_submitter,
        units["郑州"],
        open_period,
        ITEM_KINDS["policies"],
        {
            "title": "扶持办法",
            "issuer": "郑州市市场监督管理局",
            "document_number": "郑市监〔2021〕3号",
            "issued_on": open_period.starts_on,
            "type": "subsidy",
        },
        expected_version=None,
        upload=SimpleUploadedFile("办法.pdf", b"%PDF-1.4 policy\n%%EOF\n"),
    )
    transition(policy.report, WorkflowAction.SUBMIT, zhengzhou_submitter, notify=False)
    policy.report.refresh_from_db()
    return policy


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("entry", MATRIX.keys())
def test_permission_matrix(
    client, people, units, submitted_report, submitted_measures, circular, entry, persona
):
    method, path, data, expected = MATRIX[entry]
    path = path.replace("CIRCULAR", str(circular.pk))
    path = path.replace("MPOLICY", str(submitted_measures.pk))
    path = path.replace("MDOCUMENT", str(submitted_measures.document_id))
    if "ISSUED" in path:
        # only an issued circular can be withdrawn (its 2021 table is preliminary: confirmed)
        from circulars.services import issue

        issue(circular, people["administrator"], allow_open_periods=True)
        circular.refresh_from_db()
        path = path.replace("ISSUED", str(circular.pk))
    if "BATCH" in path:
        from contracts.models import ContractBatch

        batch = ContractBatch.objects.create(
            report=submitted_report, kind="patent", filename="a.csv", contract_count=0
        )
        path = path.replace("BATCH", str(batch.pk))
    if "PENDING" in path:
        from uploads.models import PendingImport

        pending = PendingImport.objects.create(
            user=people["reviewer"],
            filename="a.csv",
            content=b"",
            period=submitted_report.period,
            kind="patent",
        )
        path = path.replace("PENDING", str(pending.pk))
    if entry == "reporting:report save":
        # a draft, so that a save is possible for those allowed to save
        submitted_report.state = ReportState.DRAFT
        submitted_report.save()
        data = form_data(submitted_report)
    elif isinstance(data, dict):
        data = {
            k: {
                "REPORT": f"{submitted_report.pk}:{submitted_report.version}",
                "VERSION": submitted_report.version,
                "REVISION": circular.revision,
                "MVERSION": submitted_measures.report.version,
            }.get(v, v)
            for k, v in data.items()
        }
    user = people[persona]
    if user is not None:
        client.force_login(user)
    response = (
        getattr(client, method)(path, data) if data is not None else getattr(client, method)(path)
    )
    want = expected[persona]
    if want == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    else:
        assert response.status_code == want, response.content.decode()[:500]
