"""A unit's unsubmitted draft is the unit's: the province sees that it exists and its state, never
its figures, explanation, contracts or their files — on the report's page, its contracts' page,
the admin, or an import's preview. Once submitted, everything is visible. (The crawl checks every
page for the markers; here, each page's own wording.)"""

from decimal import Decimal

import pytest

from contracts.imports import parse_contracts
from reporting.imports import parse_figures
from reporting.models import IPKind
from tests.support.contracts import HEAD, contract
from tests.support.factories import add_figures, report_in
from tests.support.files import as_csv
from uploads.readers import read_rows
from workflow.models import ReportState, WorkflowAction
from workflow.services import transition

pytestmark = pytest.mark.django_db
SECRET = "郑州草稿说明ABC"


@pytest.fixture
def draft(units, open_period):
    report = report_in(ReportState.DRAFT, units["郑州"], open_period)
    report.explanation = SECRET
    report.save()
    return report


def test_the_report_page_shows_the_province_a_draft_exists_and_not_what_it_says(
    client, reviewer, draft, zhengzhou_submitter
):
    url = f"/periods/{draft.period.slug}/410100/"
    client.force_login(reviewer)
    page = client.get(url).content.decode()
    assert "草稿" in page and 'id="draft-private"' in page
    assert SECRET not in page and 'class="list figures"' not in page
    client.force_login(zhengzhou_submitter)
    assert SECRET in client.get(url).content.decode()
    transition(draft, WorkflowAction.SUBMIT, zhengzhou_submitter)
    client.force_login(reviewer)
    assert SECRET in client.get(url).content.decode()


def test_the_admin_shows_a_drafts_state_not_its_content_nor_its_history(
    client, administrator, draft, zhengzhou_submitter
):
    client.force_login(administrator)
    page = client.get(f"/admin/reporting/pledgereport/{draft.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "草稿" in html and SECRET not in html
    assert "explanation" not in page.context["adminform"].form.fields
    history = client.get(f"/admin/reporting/pledgereport/{draft.pk}/history/")
    assert history.status_code == 403
    assert "是尚未提交的草稿" in history.content.decode()
    transition(draft, WorkflowAction.SUBMIT, zhengzhou_submitter)
    assert (
        SECRET in client.get(f"/admin/reporting/pledgereport/{draft.pk}/change/").content.decode()
    )
    assert client.get(f"/admin/reporting/pledgereport/{draft.pk}/history/").status_code == 200


def test_a_province_import_over_a_draft_says_it_replaces_it_without_its_values(
    reviewer, units, open_period
):
    add_figures(units["郑州"], open_period, IPKind.PATENT, "777.77", 7, 7, state=ReportState.DRAFT)
    add_figures(
        units["洛阳"], open_period, IPKind.PATENT, "555.55", 5, 5, state=ReportState.SUBMITTED
    )
    rows = [["序号", "地市", "质押金额（万元）", "项目数", "专利数"],
            ["1", "郑州", "777.77", "7", "7"], ["2", "洛阳", "600", "6", "6"]]  # fmt: skip
    preview = parse_figures(read_rows(as_csv(rows)), open_period, IPKind.PATENT, user=reviewer)
    zhengzhou, luoyang = preview.rows
    # Even the same figures say nothing of the draft's: the row replaces it.
    assert (zhengzhou.replaces_draft, zhengzhou.previous, zhengzhou.status) == (True, None, "draft")
    assert zhengzhou in preview.changes
    assert (luoyang.replaces_draft, luoyang.status) == (False, "changed")
    assert luoyang.previous == (Decimal("555.55"), 5, 5)


def test_a_province_contracts_import_over_a_draft_shows_none_of_its_figures(
    reviewer, units, open_period
):
    add_figures(units["郑州"], open_period, IPKind.PATENT, "777.77", 7, 7, state=ReportState.DRAFT)
    day = f"{open_period.year}-03-05"
    rows = [HEAD, contract(unit="郑州", n=1, amount="300", day=day)]
    preview = parse_contracts(read_rows(as_csv(rows)), open_period, user=reviewer)
    assert preview.ok, preview.errors
    (group,) = preview.groups
    assert (group.replaces_draft, group.status) == (True, "draft")
    assert all(old == "—" for _label, old, _new in group.change_rows)
    assert "777.77" not in str(group.change_rows)


def test_the_admin_list_cannot_be_filtered_by_what_a_draft_says(client, administrator, draft):
    """Found from outside: ?explanation__contains= told the explanation a character at a time."""
    client.force_login(administrator)
    answers = {
        text: client.get(f"/admin/reporting/pledgereport/?explanation__contains={text}")
        for text in ("郑州草稿", "不在其中")
    }
    assert {response.status_code for response in answers.values()} == {400}


def test_a_province_contracts_import_asks_nothing_that_would_tell_a_drafts_figures(
    reviewer, units, open_period
):
    """Found from outside: “将替换手工填写的数据” appeared unless the file matched the draft."""
    add_figures(units["郑州"], open_period, IPKind.PATENT, "777.77", 7, 7, state=ReportState.DRAFT)
    day = f"{open_period.year}-03-05"
    for amount in ("300", "777.77"):
        rows = [HEAD, contract(unit="郑州", n=1, amount=amount, items=7, day=day)]
        preview = parse_contracts(read_rows(as_csv(rows)), open_period, user=reviewer)
        (group,) = preview.groups
        assert (group.replaces_typed, preview.needs_confirmation) == (False, False), amount
