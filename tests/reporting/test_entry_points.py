"""Every move of the table through every entry point that can make it: exactly one log row
each, and the e-mails the move calls for."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from reporting.models import IPKind, ReportTransition
from reporting.services import Figures, save_figures
from tests.support import golden
from tests.support.contracts import HEAD, contract, xlsx
from tests.support.factories import add_figures
from tests.support.files import as_csv
from uploads.models import PendingImport
from workflow.models import ReportState

pytestmark = pytest.mark.django_db

FIGURES = {
    IPKind.PATENT: Figures(Decimal("100"), 2, 5, 2),
    IPKind.TRADEMARK: Figures(Decimal("0"), 0, 0),
}


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run an entry point; return the log rows it wrote and who was mailed."""

    def run(action):
        before = set(ReportTransition.objects.values_list("pk", flat=True))
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            action()
        rows = ReportTransition.objects.exclude(pk__in=before)
        moves = [(r.report.unit.short_name, r.action, r.from_state, r.to_state) for r in rows]
        return moves, sorted(address for message in mail.outbox for address in message.to)

    return run


@pytest.fixture
def zhengzhou_draft(zhengzhou_submitter, units, open_period):
    return save_figures(zhengzhou_submitter, units["郑州"], open_period, FIGURES)


def version(report):
    report.refresh_from_db()
    return report.version


def test_submit_return_approve_reopen_through_the_report_page(
    client, run, zhengzhou_submitter, reviewer, zhengzhou_draft
):
    report = zhengzhou_draft
    client.force_login(zhengzhou_submitter)
    form = {"action": "submit", "version": version(report), "explanation": ""}
    for kind, values in FIGURES.items():
        names = ("amount", "projects", "items", "enterprises")
        for name, value in zip(names, values.as_tuple()[:4], strict=True):
            form[f"{kind}-{name}"] = "" if value is None else str(value)
    assert run(lambda: client.post("/periods/2021/410100/", form)) == (
        [("郑州", "submit", "draft", "submitted")],
        ["reviewer@example.org"],
    )
    client.force_login(reviewer)
    for action, from_state, to_state in (
        ("return", "submitted", "returned"),
        (None, None, None),
        ("approve", "submitted", "approved"),
        ("reopen", "approved", "reopened"),
    ):
        if action is None:  # 郑州 resubmits
            client.force_login(zhengzhou_submitter)
            form["version"] = version(report)
            run(lambda: client.post("/periods/2021/410100/", form))
            client.force_login(reviewer)
            continue
        data = {"version": version(report), "comment": "原因"}
        assert run(lambda a=action, d=data: client.post(f"/periods/2021/410100/{a}/", d)) == (
            [("郑州", action, from_state, to_state)],
            ["zhengzhou@example.org"],
        )


def test_approve_through_the_board(client, run, zhengzhou_submitter, reviewer, zhengzhou_draft):
    from workflow.services import transition

    transition(zhengzhou_draft, "submit", zhengzhou_submitter)
    client.force_login(reviewer)
    choice = f"{zhengzhou_draft.pk}:{version(zhengzhou_draft)}"
    # The board's button leads to the confirmation step, which changes nothing.
    assert run(lambda: client.post("/periods/2021/board/approve/", {"report": choice})) == ([], [])
    confirmed = {"report": choice, "confirm": "1"}
    assert run(lambda: client.post("/periods/2021/board/approve/", confirmed)) == (
        [("郑州", "approve", "submitted", "approved")],
        ["zhengzhou@example.org"],
    )


def test_import_through_the_upload_page(
    client, run, reviewer, zhengzhou_submitter, units, open_period
):
    add_figures(units["郑州"], open_period, IPKind.TRADEMARK, "0", 0, 0, state=ReportState.DRAFT)
    client.force_login(reviewer)
    rows = [golden.PATENT_HEADINGS, ["1", "郑州", "100", "2", "5"]]
    client.post(
        "/imports/",
        {
            "file": SimpleUploadedFile("a.csv", as_csv(rows)),
            "period": open_period.pk,
            "kind": "patent",
        },
    )
    pending = PendingImport.objects.get()
    assert run(lambda: client.post(f"/imports/{pending.pk}/confirm/")) == (
        [("郑州", "import", "draft", "submitted")],
        ["zhengzhou@example.org"],
    )


def test_import_through_the_contracts_page(
    client, run, reviewer, zhengzhou_submitter, units, open_period
):
    add_figures(units["郑州"], open_period, IPKind.TRADEMARK, "0", 0, 0, state=ReportState.DRAFT)
    client.force_login(reviewer)
    content = xlsx([HEAD, contract(unit="郑州", day="2021-03-05")])
    client.post(
        "/contracts/import/",
        {"file": SimpleUploadedFile("c.xlsx", content), "period": open_period.pk, "kind": "patent"},
    )
    pending = PendingImport.objects.get()
    assert run(lambda: client.post(f"/contracts/import/{pending.pk}/confirm/")) == (
        [("郑州", "import", "draft", "submitted")],
        ["zhengzhou@example.org"],
    )


def test_import_and_approve_through_the_command(
    tmp_path, run, reviewer, zhengzhou_submitter, units, open_period
):
    add_figures(units["郑州"], open_period, IPKind.TRADEMARK, "0", 0, 0, state=ReportState.DRAFT)
    path = tmp_path / "a.csv"
    path.write_bytes(as_csv([golden.PATENT_HEADINGS, ["1", "郑州", "100", "2", "5"]]))
    command = lambda: call_command(  # noqa: E731
        "import_pledges", str(path), period="2021", kind="patent", approve=True, user="reviewer"
    )
    assert run(command) == (
        [("郑州", "import", "draft", "submitted"), ("郑州", "approve", "submitted", "approved")],
        ["zhengzhou@example.org", "zhengzhou@example.org"],
    )
