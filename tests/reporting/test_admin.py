"""The admin shows reports and their history, and changes nothing: no back door around the workflow."""

from decimal import Decimal

import pytest

from reporting import services
from reporting.models import IPKind, PledgeReport
from reporting.services import Figures
from workflow.models import ReportState, WorkflowAction
from workflow.services import transition

pytestmark = pytest.mark.django_db

FIGURES = {
    IPKind.PATENT: Figures(Decimal("100"), 2, 5, 2, 1, 2),
    IPKind.TRADEMARK: Figures(Decimal("0"), 0, 0),
}


@pytest.fixture
def reopened(units, open_period, zhengzhou_submitter, reviewer):
    """郑州's report, approved and then reopened: its history holds the approved version."""
    report = services.save_figures(
        zhengzhou_submitter, units["郑州"], open_period, FIGURES, expected_version=0
    )
    transition(report, WorkflowAction.SUBMIT, zhengzhou_submitter, notify=False)
    transition(report, WorkflowAction.APPROVE, reviewer, notify=False)
    transition(report, WorkflowAction.REOPEN, reviewer, "数据有误", notify=False)
    report.refresh_from_db()
    assert report.state == ReportState.REOPENED
    return report


def snapshot(report):
    report = PledgeReport.objects.get(pk=report.pk)
    return {
        "state": report.state,
        "version": report.version,
        "updated_by": report.updated_by_id,
        "explanation": report.explanation,
        "figures": sorted(report.figures.values_list("kind", "amount", "projects", "items")),
        "transitions": report.transitions.count(),
    }


def approved_version(report):
    return report.history.filter(state=ReportState.APPROVED).latest("history_date")


def history_url(report, record):
    return f"/admin/reporting/pledgereport/{report.pk}/history/{record.history_id}/"


@pytest.fixture(params=["view-only 系统管理员", "superuser"])
def admin_user(request, administrator_user, administrator):
    return {"view-only 系统管理员": administrator_user, "superuser": administrator}[request.param]


@pytest.mark.parametrize("disabled_in_settings", [True, False])
def test_nobody_can_revert_a_report_to_an_earlier_version(
    client, settings, admin_user, reopened, disabled_in_settings
):
    # The admin class refuses by itself, whatever the setting says.
    settings.SIMPLE_HISTORY_REVERT_DISABLED = disabled_in_settings
    before = snapshot(reopened)
    client.force_login(admin_user)
    response = client.post(history_url(reopened, approved_version(reopened)), {})
    assert response.status_code == 403
    assert snapshot(reopened) == before
    assert before["state"] == ReportState.REOPENED


def test_a_reports_history_stays_viewable_without_a_revert_button(client, admin_user, reopened):
    client.force_login(admin_user)
    listing = client.get(f"/admin/reporting/pledgereport/{reopened.pk}/history/")
    assert listing.status_code == 200
    assert listing.context["revert_disabled"] is True
    version = client.get(history_url(reopened, approved_version(reopened)))
    assert version.status_code == 200
    assert version.context["revert_disabled"] is True
    assert 'name="_save"' not in version.content.decode()


def test_nobody_can_change_a_report_in_the_admin(client, admin_user, reopened):
    before = snapshot(reopened)
    client.force_login(admin_user)
    url = f"/admin/reporting/pledgereport/{reopened.pk}/change/"
    response = client.post(url, {"state": ReportState.APPROVED, "explanation": "改"})
    assert response.status_code == 403
    assert snapshot(reopened) == before


def test_revert_is_disabled_in_the_settings():
    from django.conf import settings

    assert settings.SIMPLE_HISTORY_REVERT_DISABLED is True


def test_every_admin_of_a_model_with_history_or_a_workflow_is_read_only(rf, administrator):
    from django.contrib import admin
    from simple_history.models import HistoricalChanges

    from lib.admin import ViewOnlyHistoryAdmin

    request = rf.post("/admin/")
    request.user = administrator
    checked = []
    for model, model_admin in admin.site._registry.items():
        history = getattr(model._meta, "simple_history_manager_attribute", None)
        has_workflow = any(field.name == "state" for field in model._meta.get_fields())
        if not (history or has_workflow):
            continue
        checked.append(model._meta.label)
        if history:
            assert isinstance(model_admin, ViewOnlyHistoryAdmin), model
            assert issubclass(getattr(model, history).model, HistoricalChanges)
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)
    assert sorted(checked) == ["measures.MeasureReport", "reporting.PledgeReport"]


def test_the_admin_has_no_second_import_door_and_links_the_portals(client, administrator):
    from django.urls import NoReverseMatch, reverse

    client.force_login(administrator)
    with pytest.raises(NoReverseMatch):
        reverse("admin:reporting_pledgereport_import")
    html = client.get("/admin/reporting/pledgereport/").content.decode()
    assert '<a href="/imports/">导入统计表（在门户中预览后确认）</a>' in html


@pytest.mark.parametrize(
    "path",
    [
        "/admin/reporting/pledgereport/{report}/history/abc/",
        "/admin/reporting/pledgereport/abc/history/{record}/",
        "/admin/reporting/pledgereport/{report}/history/1.5/",
    ],
)
def test_a_malformed_history_address_is_not_found_not_a_server_error(
    client, administrator, reopened, path
):
    record = PledgeReport.history.filter(id=reopened.pk).first()
    client.force_login(administrator)
    response = client.get(path.format(report=reopened.pk, record=record.history_id))
    assert response.status_code == 404
