"""An issued circular can be withdrawn (撤销) by an administrator, with a reason: the page says
so, the archived PDF stays as it was, its download is marked, and its number stays taken."""

import hashlib
from urllib.parse import quote

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditEvent, Event
from circulars import services
from circulars.models import Circular, CircularState
from tests.support.circulars import form_data
from tests.support.factories import CircularFactory

pytestmark = pytest.mark.django_db

REASON = "附件2的数据有误，另行印发。"


@pytest.fixture
def admin_client(client, administrator_user):
    client.force_login(administrator_user)
    return client


@pytest.fixture
def issued(circular, administrator_user):
    return services.issue(circular, administrator_user)


@pytest.fixture
def withdrawn(issued, administrator_user):
    return services.withdraw(issued, administrator_user, REASON)


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def stored(circular):
    return Circular.objects.get(pk=circular.pk)


def withdrawal_of(circular):
    circular = stored(circular)
    return (
        circular.state,
        circular.withdrawn_at,
        circular.withdrawn_by_id,
        circular.withdrawal_reason,
        circular.updated_at,
    )


def test_an_administrator_withdraws_an_issued_circular_with_a_reason(
    admin_client, administrator_user, issued
):
    detail = admin_client.get(f"/circulars/{issued.pk}/").content.decode()
    assert f'href="/circulars/{issued.pk}/withdraw/" id="withdraw-link">撤销通知…</a>' in detail
    page = admin_client.get(f"/circulars/{issued.pk}/withdraw/")
    assert page.status_code == 200
    assert f'name="revision" value="{issued.revision}"' in page.content.decode()

    frozen = stored(issued).frozen_tables
    before = timezone.now()
    response = admin_client.post(
        f"/circulars/{issued.pk}/withdraw/",
        {"revision": issued.revision, "reason": f"  {REASON}  "},
        follow=True,
    )
    assert response.redirect_chain == [(f"/circulars/{issued.pk}/", 302)]
    assert messages_of(response) == ["已撤销。存档 PDF 未改动，仍可下载，文件名标有“已撤销”。"]
    circular = stored(issued)
    assert circular.state == CircularState.WITHDRAWN
    assert circular.withdrawn_by == administrator_user
    assert before <= circular.withdrawn_at <= timezone.now()
    assert circular.withdrawal_reason == REASON
    assert (circular.archived_sha256, bytes(circular.archived_pdf)) == (
        issued.archived_sha256,
        bytes(issued.archived_pdf),
    )
    assert circular.frozen_tables == frozen
    issuing, withdrawing = AuditEvent.objects.filter(
        event__in=[Event.CIRCULAR_ISSUED, Event.CIRCULAR_WITHDRAWN]
    ).order_by("pk")
    assert (issuing.event, issuing.user, issuing.object_id) == (
        Event.CIRCULAR_ISSUED,
        administrator_user,
        str(issued.pk),
    )
    assert issuing.details == {"sha256": issued.archived_sha256}
    assert (withdrawing.event, withdrawing.details) == (
        Event.CIRCULAR_WITHDRAWN,
        {"reason": REASON},
    )


def test_the_page_of_a_withdrawn_circular_says_who_when_and_why(admin_client, withdrawn):
    html = admin_client.get(f"/circulars/{withdrawn.pk}/").content.decode()
    when = timezone.localtime(withdrawn.withdrawn_at).strftime("%Y-%m-%d %H:%M")
    assert '<span class="state state-withdrawn" id="circular-state">已撤销</span>' in html
    banner = html[html.index('<div class="callout warning" id="withdrawn">') :]
    banner = banner[: banner.index("</div>")]
    assert f"<p><strong>已撤销</strong> · provadmin 于 {when} 撤销</p>" in banner
    assert f"<p>撤销原因：{REASON}</p>" in banner
    assert (
        f"下载的 PDF 为印发时的存档文件，未作改动（SHA-256：{withdrawn.archived_sha256}），"
        "文件名标有“（已撤销）”。该通知不再有效，其发文字号不再使用。"
    ) in banner
    assert '<p class="downloads">下载：<strong>（已撤销）</strong>' in html
    assert "/withdraw/" not in html and "/issue/" not in html and "/edit/" not in html
    listing = admin_client.get("/circulars/").content.decode()
    assert '<span class="state state-withdrawn">已撤销</span>' in listing


def test_the_archived_pdf_of_a_withdrawn_circular_downloads_unchanged_under_a_marked_name(
    admin_client, issued, administrator_user
):
    sha = issued.archived_sha256
    services.withdraw(issued, administrator_user, REASON)
    response = admin_client.get(f"/circulars/{issued.pk}/file.pdf")
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == sha
    assert response.content == bytes(issued.archived_pdf)
    name = "豫知〔2021〕8号河南省知识产权局（已撤销）"
    assert response["Content-Disposition"].endswith(f"''{quote(name)}.pdf")
    # A copy kept from before the withdrawal is not reused: it downloads under the old name.
    assert response["ETag"] == f'"{sha}-withdrawn"'
    again = admin_client.get(f"/circulars/{issued.pk}/file.pdf", HTTP_IF_NONE_MATCH=f'"{sha}"')
    assert again.status_code == 200
    same = admin_client.get(
        f"/circulars/{issued.pk}/file.pdf", HTTP_IF_NONE_MATCH=f'"{sha}-withdrawn"'
    )
    assert same.status_code == 304
    for fmt, suffix in (("docx", ".docx"), ("xlsx", "附件.xlsx")):
        other = admin_client.get(f"/circulars/{issued.pk}/file.{fmt}")
        assert other["Content-Disposition"].endswith(f"''{quote(name + suffix)}")


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_withdrawal_without_a_reason_is_refused(admin_client, issued, reason):
    before = withdrawal_of(issued)
    response = admin_client.post(
        f"/circulars/{issued.pk}/withdraw/", {"revision": issued.revision, "reason": reason}
    )
    assert response.status_code == 400
    assert messages_of(response) == ["内容有误，未撤销。请按提示修改。"]
    assert '<span class="error">这个字段是必填项。</span>' in response.content.decode()
    assert withdrawal_of(issued) == before


def test_the_service_refuses_a_withdrawal_without_a_reason(administrator_user, issued):
    before = withdrawal_of(issued)
    with pytest.raises(services.CircularError) as refused:
        services.withdraw(issued, administrator_user, " \n ")
    assert refused.value.message == "请填写撤销原因。"
    assert withdrawal_of(issued) == before


def test_a_withdrawal_without_its_revision_is_refused(admin_client, issued):
    before = withdrawal_of(issued)
    response = admin_client.post(f"/circulars/{issued.pk}/withdraw/", {"reason": REASON})
    assert response.status_code == 400
    assert messages_of(response) == ["内容有误，未撤销。请按提示修改。"]
    assert withdrawal_of(issued) == before


def test_the_service_refuses_a_revision_the_circular_has_left(administrator_user, issued):
    before = withdrawal_of(issued)
    with pytest.raises(services.StaleCircular):
        services.withdraw(issued, administrator_user, REASON, revision="2021-03-05T00:00:00+00:00")
    assert withdrawal_of(issued) == before


@pytest.mark.parametrize("persona", ["reviewer", "zhengzhou_submitter"])
def test_only_an_administrator_withdraws(client, request, issued, persona):
    user = request.getfixturevalue(persona)
    before = withdrawal_of(issued)
    client.force_login(user)
    assert client.get(f"/circulars/{issued.pk}/withdraw/").status_code == 403
    response = client.post(
        f"/circulars/{issued.pk}/withdraw/", {"revision": issued.revision, "reason": REASON}
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.withdraw(issued, user, REASON)
    assert withdrawal_of(issued) == before


def test_a_reviewer_sees_the_withdrawal_but_no_way_to_withdraw(client, reviewer, issued):
    client.force_login(reviewer)
    assert "/withdraw/" not in client.get(f"/circulars/{issued.pk}/").content.decode()


def test_a_superuser_withdraws_as_an_administrator(client, administrator, issued):
    client.force_login(administrator)
    client.post(
        f"/circulars/{issued.pk}/withdraw/", {"revision": issued.revision, "reason": REASON}
    )
    assert stored(issued).withdrawn_by == administrator


def test_a_draft_cannot_be_withdrawn(admin_client, administrator_user, circular):
    for method in ("get", "post"):
        response = getattr(admin_client, method)(
            f"/circulars/{circular.pk}/withdraw/",
            {"revision": circular.revision, "reason": REASON},
            follow=True,
        )
        assert response.redirect_chain == [(f"/circulars/{circular.pk}/", 302)]
        assert messages_of(response) == ["只有已印发的通知可以撤销；草稿可以直接修改。"]
    with pytest.raises(services.CircularError) as refused:
        services.withdraw(circular, administrator_user, REASON)
    assert refused.value.message == "只有已印发的通知可以撤销；草稿可以直接修改。"
    assert stored(circular).state == CircularState.DRAFT


def test_withdrawing_twice_says_it_is_done(admin_client, administrator_user, withdrawn):
    before = withdrawal_of(withdrawn)
    for method in ("get", "post"):
        response = getattr(admin_client, method)(
            f"/circulars/{withdrawn.pk}/withdraw/",
            {"revision": withdrawn.revision, "reason": "再撤一次"},
            follow=True,
        )
        assert response.redirect_chain == [(f"/circulars/{withdrawn.pk}/", 302)]
        assert messages_of(response) == ["该通知已经撤销。"]
    with pytest.raises(services.AlreadyDone) as done:
        services.withdraw(withdrawn, administrator_user, "再撤一次")
    assert done.value.message == "该通知已经撤销。"
    assert withdrawal_of(withdrawn) == before


def test_a_withdrawn_circular_cannot_be_edited(admin_client, withdrawn):
    before = withdrawal_of(withdrawn)
    response = admin_client.get(f"/circulars/{withdrawn.pk}/edit/", follow=True)
    assert response.redirect_chain == [(f"/circulars/{withdrawn.pk}/", 302)]
    assert messages_of(response) == ["已撤销的通知不能修改。"]
    response = admin_client.post(
        f"/circulars/{withdrawn.pk}/edit/", form_data(year="2021", number="8"), follow=True
    )
    assert messages_of(response) == ["已撤销的通知不能修改。"]
    response = admin_client.post(f"/circulars/{withdrawn.pk}/redraft/", follow=True)
    assert response.redirect_chain == [(f"/circulars/{withdrawn.pk}/", 302)]
    assert messages_of(response) == ["已撤销的通知不能修改。"]
    circular = stored(withdrawn)
    assert (circular.title, circular.situation) == (withdrawn.title, withdrawn.situation)
    assert withdrawal_of(withdrawn) == before


def test_a_withdrawn_circular_cannot_be_issued_again(admin_client, administrator_user, withdrawn):
    before = withdrawal_of(withdrawn)
    response = admin_client.get(f"/circulars/{withdrawn.pk}/issue/", follow=True)
    assert response.redirect_chain == [(f"/circulars/{withdrawn.pk}/", 302)]
    assert messages_of(response) == ["已撤销的通知不能再印发。"]
    response = admin_client.post(
        f"/circulars/{withdrawn.pk}/issue/", {"revision": withdrawn.revision}, follow=True
    )
    assert messages_of(response) == ["已撤销的通知不能再印发。"]
    with pytest.raises(services.CircularError) as refused:
        services.issue(withdrawn, administrator_user, allow_open_periods=True)
    assert refused.value.message == "已撤销的通知不能再印发。"
    assert withdrawal_of(withdrawn) == before
    assert stored(withdrawn).archived_sha256 == withdrawn.archived_sha256


def test_the_number_of_a_withdrawn_circular_is_never_used_again(admin_client, withdrawn, demo_2020):
    count = Circular.objects.count()
    attachment = {"attachments-0-period": demo_2020.pk}
    taken = {"code": "豫知", "year": "2021", "number": "8", **attachment}
    response = admin_client.post("/circulars/new/", form_data(**taken))
    assert response.status_code == 400
    assert "该发文字号已被使用。" in response.content.decode()
    assert Circular.objects.count() == count

    other = admin_client.post("/circulars/new/", form_data(number="40", **attachment))
    assert other.status_code == 302
    draft = Circular.objects.get(year=2022, number=40)
    taken["attachments-0-id"] = draft.attachments.get().pk
    taken["attachments-INITIAL_FORMS"] = "1"
    response = admin_client.post(
        f"/circulars/{draft.pk}/edit/", form_data(revision=draft.revision, **taken)
    )
    assert response.status_code == 400
    assert "该发文字号已被使用。" in response.content.decode()
    assert (stored(draft).year, stored(draft).number) == (2022, 40)


def test_the_database_keeps_a_withdrawal_whole(withdrawn):
    """A withdrawn circular says who, when and why; any other circular carries no withdrawal."""
    draft = CircularFactory(number=30)
    cases = [
        (withdrawn, {"withdrawal_reason": ""}),
        (withdrawn, {"withdrawn_at": None}),
        (withdrawn, {"withdrawn_by": None}),
        (withdrawn, {"state": CircularState.ISSUED}),
        (draft, {"withdrawal_reason": "未撤销的通知没有撤销原因"}),
    ]
    for circular, change in cases:
        with pytest.raises(IntegrityError), transaction.atomic():
            Circular.objects.filter(pk=circular.pk).update(**change)
    assert withdrawal_of(withdrawn)[:4] == (
        CircularState.WITHDRAWN,
        withdrawn.withdrawn_at,
        withdrawn.withdrawn_by_id,
        REASON,
    )
    assert withdrawal_of(draft)[:4] == (CircularState.DRAFT, None, None, "")


# ── A new draft from a circular already issued ──


def test_a_withdrawn_circular_is_copied_into_a_new_draft_to_correct_and_issue_again(
    admin_client, withdrawn
):
    page = admin_client.get(f"/circulars/{withdrawn.pk}/").content.decode()
    assert f'action="/circulars/{withdrawn.pk}/copy/"' in page
    before = (withdrawal_of(withdrawn), bytes(stored(withdrawn).archived_pdf))
    response = admin_client.post(f"/circulars/{withdrawn.pk}/copy/", follow=True)
    copy = Circular.objects.exclude(pk=withdrawn.pk).get(code=withdrawn.code, title=withdrawn.title)
    assert response.redirect_chain == [(f"/circulars/{copy.pk}/edit/", 302)]
    assert messages_of(response) == [
        f"已将{withdrawn.document_number}复制为新草稿{copy.document_number}，请修改后再印发。"
    ]
    today = timezone.localdate()
    taken = Circular.objects.filter(code=withdrawn.code, year=today.year).exclude(pk=copy.pk)
    assert (copy.state, copy.year, copy.signed_on, copy.printed_on) == (
        CircularState.DRAFT, today.year, today, today,
    )  # fmt: skip
    assert copy.number == max([0, *taken.values_list("number", flat=True)]) + 1
    for name in services.COPIED_FIELDS:
        assert getattr(copy, name) == getattr(withdrawn, name), name
    assert (copy.frozen_tables, copy.archived_pdf, copy.archived_sha256) == (None, None, "")
    assert [(a.position, a.period_id, a.kind, a.form) for a in copy.attachments.all()] == [
        (a.position, a.period_id, a.kind, a.form) for a in withdrawn.attachments.all()
    ]
    # The circular copied is as it was: withdrawn, its archive untouched.
    assert (withdrawal_of(withdrawn), bytes(stored(withdrawn).archived_pdf)) == before


def test_a_draft_is_not_copied_and_nobody_but_an_administrator_copies(
    admin_client, client, reviewer, circular, issued
):
    draft = CircularFactory(number=40)
    response = admin_client.post(f"/circulars/{draft.pk}/copy/", follow=True)
    assert messages_of(response) == ["草稿可以直接修改，无需复制。"]
    assert not Circular.objects.filter(number=41).exists()
    client.force_login(reviewer)
    assert client.post(f"/circulars/{issued.pk}/copy/").status_code == 403
    with pytest.raises(PermissionDenied):
        services.copy_to_draft(issued, reviewer)
    assert Circular.objects.count() == 3  # the demo's 8号 and 9号, and the draft above


def test_the_issuer_and_the_withdrawer_are_named_as_people_not_by_log_in(
    admin_client, administrator_user, withdrawn
):
    administrator_user.first_name = "王伟"
    administrator_user.save()
    html = admin_client.get(f"/circulars/{withdrawn.pk}/").content.decode()
    assert "王伟 于 " in html and " 印发" in html
    assert "王伟 于 " in html.split('id="withdrawn"')[1]
    assert "provadmin 于" not in html
