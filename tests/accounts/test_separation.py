"""Separation of duties (三员分立): the 系统管理员 runs the business, the 安全管理员 the accounts,
the 审计管理员 reads the trail; no account holds two of the three; nobody changes their own
roles, units or flags, by any route."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.roles import (
    ADMINISTRATOR_GROUP,
    AUDITOR_GROUP,
    REVIEWER_GROUP,
    SECURITY_GROUP,
    SUBMITTER_GROUP,
)
from audit.models import AuditEvent, Event
from lib.requests import CurrentRequestMiddleware
from tests.support.helpers import admin_form_data

pytestmark = pytest.mark.django_db
User = get_user_model()
TWO_OF_THREE = (
    "一个账号不能同时担任系统管理员、安全管理员：系统管理员、安全管理员、审计管理员三者只能任其一。"
)


def group(name):
    return Group.objects.get(name=name)


def roles(user):
    return sorted(user.groups.values_list("name", flat=True))


def test_a_system_administrator_cannot_make_itself_superuser_and_reviewer(
    client, administrator_user
):
    """The finding: a 省级管理员 ticked 超级用户状态 and 省级审核员 on its own account, saved,
    and approved reports. Its successor has no right over accounts at all."""
    client.force_login(administrator_user)
    url = f"/admin/auth/user/{administrator_user.pk}/change/"
    assert client.get(url).status_code == 403
    response = client.post(
        url,
        {
            "username": administrator_user.username,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [group(ADMINISTRATOR_GROUP).pk, group(REVIEWER_GROUP).pk],
        },
    )
    assert response.status_code == 403
    administrator_user.refresh_from_db()
    assert not administrator_user.is_superuser
    assert roles(administrator_user) == [ADMINISTRATOR_GROUP]
    assert client.get("/admin/auth/user/").status_code == 403


def test_a_security_administrator_cannot_raise_its_own_account(client, security_user):
    client.force_login(security_user)
    url = f"/admin/auth/user/{security_user.pk}/change/"
    page = client.get(url)
    # An administrator's account is the superuser's to change: its own page is to read.
    assert page.status_code == 200 and page.context["has_change_permission"] is False
    forged = {
        "username": "security", "first_name": "安全", "is_superuser": "on", "is_staff": "on",
        "is_active": "on", "groups": [str(group(REVIEWER_GROUP).pk), str(group(AUDITOR_GROUP).pk)],
        "user_permissions": ["1", "2"],
    }  # fmt: skip
    assert client.post(url, forged).status_code == 403
    security_user.refresh_from_db()
    assert security_user.first_name == ""
    assert not security_user.is_superuser
    assert roles(security_user) == [SECURITY_GROUP]
    assert not security_user.user_permissions.exists()


def test_the_security_administrator_neither_grants_nor_takes_the_administrators_roles(
    client, security_user, auditor_user, viewer
):
    """No puppet auditor, no take-over of the real one: the three roles are the superuser's."""
    client.force_login(security_user)
    url = f"/admin/auth/user/{viewer.pk}/change/"
    page = client.get(url)
    offered = {choice.name for choice in page.context["adminform"].form.fields["groups"].queryset}
    assert offered == {SUBMITTER_GROUP, REVIEWER_GROUP}
    for role in (AUDITOR_GROUP, SECURITY_GROUP, ADMINISTRATOR_GROUP):
        response = client.post(url, admin_form_data(page, groups=[str(group(role).pk)]))
        assert response.status_code == 200, role
        assert "groups" in response.context["adminform"].form.errors
    assert roles(viewer) == []
    auditor = f"/admin/auth/user/{auditor_user.pk}"
    assert client.post(f"{auditor}/change/", {"username": "auditor"}).status_code == 403
    assert client.get(f"{auditor}/password/").status_code == 403
    assert roles(auditor_user) == [AUDITOR_GROUP]


def test_the_security_and_audit_administrators_hold_no_other_role(client, administrator, viewer):
    client.force_login(administrator)
    url = f"/admin/auth/user/{viewer.pk}/change/"
    for role in (SECURITY_GROUP, AUDITOR_GROUP):
        both = [str(group(role).pk), str(group(REVIEWER_GROUP).pk)]
        response = client.post(url, admin_form_data(client.get(url), groups=both))
        assert response.status_code == 200
        assert response.context["adminform"].form.errors["groups"] == [f"{role}不能兼任其他角色。"]
    assert roles(viewer) == []


def test_a_superuser_is_never_also_the_auditor(client, administrator):
    other = User.objects.create_superuser("root2", "root2@example.org", "pw")
    client.force_login(administrator)
    url = f"/admin/auth/user/{other.pk}/change/"
    response = client.post(
        url, admin_form_data(client.get(url), groups=[str(group(AUDITOR_GROUP).pk)])
    )
    assert response.status_code == 200
    assert "三者只能任其一" in response.context["adminform"].form.errors["groups"][0]
    assert roles(other) == []


def test_no_user_form_offers_superuser_staff_or_single_permissions(client, security_user, viewer):
    client.force_login(security_user)
    for url in ("/admin/auth/user/add/", f"/admin/auth/user/{viewer.pk}/change/"):
        fields = client.get(url).context["adminform"].form.fields
        assert {"is_superuser", "is_staff", "user_permissions"}.isdisjoint(fields), url


def test_the_security_administrator_gives_roles_and_units_and_both_are_recorded(
    client, security_user, viewer, units
):
    client.force_login(security_user)
    url = f"/admin/auth/user/{viewer.pk}/change/"
    page = client.get(url)
    data = admin_form_data(page, groups=[str(group(SUBMITTER_GROUP).pk)])
    data["ReportingUnit_submitters-0-reportingunit"] = str(units["洛阳"].pk)
    data["ReportingUnit_submitters-TOTAL_FORMS"] = "1"
    response = client.post(url, data)
    assert response.status_code == 302, (
        response.context and response.context["adminform"].form.errors
    )
    viewer.refresh_from_db()
    assert roles(viewer) == [SUBMITTER_GROUP]
    assert [unit.name for unit in viewer.reporting_units.all()] == ["洛阳市"]
    changed = {e.event: e for e in AuditEvent.objects.filter(object_id=str(viewer.pk))}
    assert changed[Event.ROLES_CHANGED].details == {"before": [], "after": [SUBMITTER_GROUP]}
    assert changed[Event.UNITS_CHANGED].details == {"before": [], "after": ["洛阳市"]}
    assert changed[Event.ROLES_CHANGED].username == "security"


def test_an_account_is_never_given_two_of_the_three_administrators(client, administrator, viewer):
    client.force_login(administrator)
    url = f"/admin/auth/user/{viewer.pk}/change/"
    both = [str(group(ADMINISTRATOR_GROUP).pk), str(group(SECURITY_GROUP).pk)]
    response = client.post(url, admin_form_data(client.get(url), groups=both))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["groups"] == [TWO_OF_THREE]
    assert roles(viewer) == []
    assert not AuditEvent.objects.filter(object_id=str(viewer.pk), event=Event.ROLES_CHANGED)


def test_two_of_the_three_are_refused_by_any_route(viewer, security_user):
    viewer.groups.add(group(AUDITOR_GROUP))
    with pytest.raises(ValidationError), transaction.atomic():
        viewer.groups.add(group(SECURITY_GROUP))
    with pytest.raises(ValidationError), transaction.atomic():
        group(ADMINISTRATOR_GROUP).user_set.add(security_user)
    assert roles(viewer) == [AUDITOR_GROUP]


def test_nobody_changes_their_own_roles_units_or_flags_by_the_orm_either(rf, security_user, units):
    """Behind the admin's read-only fields, the last line: a request by the account itself."""
    request = rf.get("/")
    request.user = security_user

    def as_themselves(change):
        middleware = CurrentRequestMiddleware(lambda request: change())
        with transaction.atomic():
            middleware(request)

    with pytest.raises(PermissionDenied):
        as_themselves(lambda: security_user.groups.add(group(REVIEWER_GROUP)))
    with pytest.raises(PermissionDenied):
        as_themselves(lambda: units["郑州"].submitters.add(security_user))
    security_user.is_superuser = True
    with pytest.raises(PermissionDenied):
        as_themselves(security_user.save)
    security_user.refresh_from_db()
    assert not security_user.is_superuser and roles(security_user) == [SECURITY_GROUP]
    assert not security_user.reporting_units.exists()


def test_accounts_are_disabled_never_deleted(client, security_user, viewer):
    client.force_login(security_user)
    assert client.get(f"/admin/auth/user/{viewer.pk}/delete/").status_code == 403
    response = client.post(
        "/admin/auth/user/", {"action": "delete_selected", "_selected_action": [viewer.pk]}
    )
    assert User.objects.filter(pk=viewer.pk).exists()
    assert response.status_code in (200, 302)
    url = f"/admin/auth/user/{viewer.pk}/change/"
    data = admin_form_data(client.get(url))
    data.pop("is_active")
    assert client.post(url, data).status_code == 302
    viewer.refresh_from_db()
    assert not viewer.is_active
    event = AuditEvent.objects.get(event=Event.ACCOUNT_DISABLED)
    assert (event.username, event.object_id) == ("security", str(viewer.pk))


def test_a_superusers_account_is_changed_by_a_superuser_only(client, security_user, administrator):
    client.force_login(security_user)
    assert client.get(f"/admin/auth/user/{administrator.pk}/change/").status_code == 200  # seen
    page = client.get(f"/admin/auth/user/{administrator.pk}/change/")
    assert page.context["has_change_permission"] is False
    assert client.get(f"/admin/auth/user/{administrator.pk}/password/").status_code == 403
    response = client.post(
        f"/admin/auth/user/{administrator.pk}/password/",
        {"usable_password": "true", "password1": "Taken#Over2026", "password2": "Taken#Over2026"},
    )
    assert response.status_code == 403
    administrator.refresh_from_db()
    assert administrator.check_password("pw")


def test_roles_are_the_codes_shown_and_never_changed_in_the_admin(
    client, administrator, security_user
):
    for user in (administrator, security_user):
        client.force_login(user)
        reviewers = group(REVIEWER_GROUP)
        assert client.get("/admin/auth/group/add/").status_code == 403
        assert (
            client.post(f"/admin/auth/group/{reviewers.pk}/change/", {"name": "x"}).status_code
            == 403
        )
        assert (
            client.post(f"/admin/auth/group/{reviewers.pk}/delete/", {"post": "yes"}).status_code
            == 403
        )
    assert Group.objects.filter(name=REVIEWER_GROUP).exists()


def test_the_system_administrator_manages_the_business_not_accounts(client, administrator_user):
    client.force_login(administrator_user)
    for url in (
        "/admin/reporting/provincebenchmark/",
        "/admin/periods/reportingperiod/",
        "/admin/cities/reportingunit/",
    ):
        assert client.get(url).status_code == 200, url
    for url in ("/admin/auth/user/", "/admin/auth/user/add/", "/admin/axes/accessattempt/"):
        assert client.get(url).status_code == 403, url


def test_a_units_page_offers_no_submitters(client, administrator_user, units):
    client.force_login(administrator_user)
    page = client.get(f"/admin/cities/reportingunit/{units['郑州'].pk}/change/")
    assert "submitters" not in page.context["adminform"].form.fields


def test_the_security_administrator_sees_no_business_data_and_no_trail(client, security_user):
    client.force_login(security_user)
    for url in ("/admin/reporting/pledgereport/", "/admin/contracts/pledgecontract/", "/audit/"):
        assert client.get(url).status_code == 403, url


def test_unlocking_an_account_is_recorded(client, security_user):
    attempt = AccessAttempt.objects.create(
        username="luoyang", ip_address="10.0.0.8", user_agent="x", http_accept="*/*",
        path_info="/accounts/login/", get_data="", post_data="", failures_since_start=5,
    )  # fmt: skip
    client.force_login(security_user)
    response = client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(event=Event.ACCOUNT_UNLOCKED)
    assert (event.username, event.object_label) == ("security", "luoyang")
    assert event.details == {"username": "luoyang", "address": "10.0.0.8"}


def test_the_auditor_has_no_admin_site(client, auditor_user):
    assert not auditor_user.is_staff
    client.force_login(auditor_user)
    assert client.get("/admin/").status_code == 302
    assert client.get("/audit/").status_code == 200
