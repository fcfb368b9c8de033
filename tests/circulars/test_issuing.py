"""Issuing asks first: a confirmation page shows what will be frozen, and an attachment whose
period is still open is issued only when the administrator says so."""

import re

import pytest
from django.core.exceptions import PermissionDenied

from circulars import services
from circulars.models import Circular, CircularState
from reporting.models import IPKind
from tests.support.factories import CircularFactory

pytestmark = pytest.mark.django_db

STATUS = re.compile(r"报送中 · 截至 \d{4}-\d\d-\d\d \d\d:\d\d 已审核 0 / 28 个单位")
CONFIRM = "附件中有报送尚未结束的周期，数据为初步统计：确认仍要印发"


@pytest.fixture
def admin_client(client, administrator_user):
    client.force_login(administrator_user)
    return client


@pytest.fixture
def open_circular(open_period, demo_2020):
    """A draft with the closed 2020 table and a table of the 2021 period, still open."""
    return CircularFactory(
        number=20, attachments=[(demo_2020, IPKind.PATENT), (open_period, IPKind.TRADEMARK)]
    )


def revision_on_page(admin_client, circular):
    page = admin_client.get(f"/circulars/{circular.pk}/issue/")
    assert page.status_code == 200
    return page.context["form"].initial["revision"]


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def nothing_frozen(circular):
    stored = Circular.objects.get(pk=circular.pk)
    return (stored.state, stored.frozen_tables, stored.archived_pdf, stored.issued_at) == (
        CircularState.DRAFT,
        None,
        None,
        None,
    )


def test_the_issue_button_leads_to_a_confirmation_page_and_issues_nothing(admin_client, circular):
    detail = admin_client.get(f"/circulars/{circular.pk}/").content.decode()
    assert f'href="/circulars/{circular.pk}/issue/" id="issue-link">印发…</a>' in detail
    assert f'action="/circulars/{circular.pk}/issue/"' not in detail, "no one-click issue"

    page = admin_client.get(f"/circulars/{circular.pk}/issue/")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<td id="document-number">豫知〔2021〕8号</td>' in html
    assert '<td id="signed-on">2021年3月5日</td>' in html
    assert '<td id="printed-on">2021年3月5日</td>' in html
    rows = re.findall(r"<td>(\d)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", html)
    assert rows == [
        ("1", "2020年河南省专利质押融资统计表", "2020年", "报送已结束"),
        ("2", "2020年河南省商标质押融资统计表", "2020年", "报送已结束"),
    ]
    assert CONFIRM not in html, "every period has closed: nothing to confirm"
    assert f'name="revision" value="{circular.revision}"' in html
    assert nothing_frozen(circular)


def test_the_confirmation_page_says_which_period_is_still_open(admin_client, open_circular):
    html = admin_client.get(f"/circulars/{open_circular.pk}/issue/").content.decode()
    rows = re.findall(r"<td>(\d)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", html)
    assert [row[:3] for row in rows] == [
        ("1", "2020年河南省专利质押融资统计表", "2020年"),
        ("2", "2021年河南省商标质押融资统计表", "2021年"),
    ]
    assert rows[0][3] == "报送已结束"
    assert STATUS.fullmatch(rows[1][3].removeprefix("<strong>").removesuffix("</strong>"))
    assert (
        f'<label><input type="checkbox" name="allow_open_periods" value="1"> {CONFIRM}</label>'
        in html
    )


def test_an_open_period_is_not_issued_without_the_confirmation(admin_client, open_circular):
    revision = revision_on_page(admin_client, open_circular)
    response = admin_client.post(f"/circulars/{open_circular.pk}/issue/", {"revision": revision})
    assert response.status_code == 400
    assert messages_of(response) == [
        "附件中有报送尚未结束的周期（2021年），数据为初步统计，未印发。"
    ]
    assert '<span class="error">请确认后再印发。</span>' in response.content.decode()
    assert nothing_frozen(open_circular)


def test_an_open_period_is_issued_when_the_administrator_confirms(admin_client, open_circular):
    revision = revision_on_page(admin_client, open_circular)
    response = admin_client.post(
        f"/circulars/{open_circular.pk}/issue/",
        {"revision": revision, "allow_open_periods": "1"},
        follow=True,
    )
    open_circular.refresh_from_db()
    assert open_circular.state == CircularState.ISSUED
    assert messages_of(response) == [
        f"已印发，PDF 已存档（SHA-256：{open_circular.archived_sha256}）。"
    ]
    patent, trademark = services.printed_tables(open_circular)
    assert patent.note == ""
    assert STATUS.fullmatch(trademark.note), "the frozen table says its figures were preliminary"


def test_the_service_refuses_an_open_period_unless_allowed(administrator_user, open_circular):
    with pytest.raises(services.OpenPeriods) as refused:
        services.issue(open_circular, administrator_user)
    assert refused.value.message == "附件中有报送尚未结束的周期（2021年），数据为初步统计，未印发。"
    assert nothing_frozen(open_circular)
    services.issue(open_circular, administrator_user, allow_open_periods=True)
    assert Circular.objects.get(pk=open_circular.pk).state == CircularState.ISSUED


def test_a_circular_changed_since_the_confirmation_page_is_not_issued(admin_client, circular):
    revision = revision_on_page(admin_client, circular)
    circular.title = "河南省知识产权局\n关于改过标题的通知"
    circular.save()
    response = admin_client.post(
        f"/circulars/{circular.pk}/issue/", {"revision": revision}, follow=True
    )
    assert response.redirect_chain == [(f"/circulars/{circular.pk}/issue/", 302)]
    assert messages_of(response) == ["通知在您打开此页后已被修改，请核对最新内容后再操作。"]
    assert nothing_frozen(circular)
    assert "关于改过标题的通知" in response.content.decode(), "the page shows the circular as it is"


def test_the_service_refuses_a_revision_the_circular_has_left(administrator_user, circular):
    with pytest.raises(services.StaleCircular):
        services.issue(circular, administrator_user, revision="2021-03-05T00:00:00+00:00")
    assert nothing_frozen(circular)


@pytest.mark.parametrize("data", [{}, {"revision": ""}])
def test_a_confirmation_without_its_revision_is_refused(admin_client, circular, data):
    response = admin_client.post(f"/circulars/{circular.pk}/issue/", data, follow=True)
    assert response.redirect_chain == [(f"/circulars/{circular.pk}/issue/", 302)]
    assert messages_of(response) == ["请求无效，请刷新页面后重试。"]
    assert nothing_frozen(circular)


def test_a_circular_without_text_or_attachments_is_not_issued(admin_client, demo_2020):
    empty = CircularFactory(number=21, situation="", body="", attachments=[])
    revision = revision_on_page(admin_client, empty)
    response = admin_client.post(
        f"/circulars/{empty.pk}/issue/", {"revision": revision}, follow=True
    )
    assert messages_of(response) == ["通知没有正文，不能印发。"]
    assert nothing_frozen(empty)


def test_the_confirmation_page_of_an_issued_circular_leads_back_to_it(
    admin_client, administrator_user, circular
):
    services.issue(circular, administrator_user)
    response = admin_client.get(f"/circulars/{circular.pk}/issue/", follow=True)
    assert response.redirect_chain == [(f"/circulars/{circular.pk}/", 302)]
    assert messages_of(response) == ["该通知已经印发。"]


def test_only_an_administrator_issues(client, reviewer, circular):
    client.force_login(reviewer)
    assert client.get(f"/circulars/{circular.pk}/issue/").status_code == 403
    response = client.post(f"/circulars/{circular.pk}/issue/", {"revision": circular.revision})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.issue(circular, reviewer)
    assert nothing_frozen(circular)


def test_an_edit_saved_after_the_circular_was_issued_is_refused(administrator_user, circular):
    """The edit page was opened on the draft; the circular was issued before it was saved."""
    from circulars.forms import AttachmentFormSet, CircularForm

    opened = Circular.objects.get(pk=circular.pk)
    data = {field: getattr(opened, field) for field in CircularForm._meta.fields} | {
        "title": "河南省知识产权局\n关于迟到的修改的通知"
    }
    form = CircularForm(data, instance=opened)
    formset = AttachmentFormSet(
        {
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
            "attachments-MIN_NUM_FORMS": "0",
            "attachments-MAX_NUM_FORMS": "1000",
        },
        instance=opened,
    )
    assert form.is_valid() and formset.is_valid(), (form.errors, formset.errors)
    services.issue(circular, administrator_user)
    with pytest.raises(services.CircularError) as refused:
        services.save_draft(form, formset)
    assert refused.value.message == "已印发的通知不能修改。"
    stored = Circular.objects.get(pk=circular.pk)
    assert stored.title == "河南省知识产权局\n关于进一步加强知识产权质押融资工作的通知"
    assert stored.state == CircularState.ISSUED


@pytest.mark.usefixtures("reference_data")
def test_issuing_renders_the_pdf_with_no_transaction_open(monkeypatch, administrator_user):
    """The PDF takes a while: rendered while a row is locked, it would hold back every other
    change of the circular (on SQLite, every write of the portal) for as long."""
    from django.db import connection

    from circulars import pdf
    from tests.support.factories import ReportingPeriodFactory

    period = ReportingPeriodFactory(year=2020)
    circular = CircularFactory(number=21, attachments=[(period, IPKind.PATENT)])
    render = pdf.html_to_pdf
    seen = []

    def watched(html):
        seen.append(connection.in_atomic_block)
        return render(html)

    monkeypatch.setattr(pdf, "html_to_pdf", watched)
    services.issue(circular, administrator_user, revision=circular.revision)
    assert seen == [False]
    assert Circular.objects.get(pk=circular.pk).state == CircularState.ISSUED


@pytest.mark.usefixtures("reference_data")
def test_a_circular_changed_while_its_pdf_renders_is_not_issued(monkeypatch, administrator_user):
    from circulars import pdf
    from tests.support.factories import ReportingPeriodFactory

    period = ReportingPeriodFactory(year=2020)
    circular = CircularFactory(number=22, attachments=[(period, IPKind.PATENT)])
    render = pdf.html_to_pdf

    def edited_meanwhile(html):
        Circular.objects.filter(pk=circular.pk).update(body="另一位管理员改过的正文。")
        Circular.objects.get(pk=circular.pk).save()  # a save moves the revision
        return render(html)

    monkeypatch.setattr(pdf, "html_to_pdf", edited_meanwhile)
    with pytest.raises(services.StaleCircular):
        services.issue(circular, administrator_user, revision=circular.revision)
    stored = Circular.objects.get(pk=circular.pk)
    assert (stored.state, stored.archived_pdf) == (CircularState.DRAFT, None)
