"""A unit's measures through the pages: adding, changing and removing items, who may, the
version a form was based on, and the workflow (submit, return, approve, reopen) with its log
and e-mail."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from measures import services
from measures.models import MeasureReport, MeasureTransition
from measures.types import MEASURE_TYPES
from workflow.models import ReportState, WorkflowAction
from workflow.services import transition

pytestmark = pytest.mark.django_db

KINDS = list(MEASURE_TYPES)

# What a clerk types into each kind's form (strings, as the browser posts them).
FORM_DATA = {
    "policies": {
        "title": "郑州市知识产权质押融资贴息办法",
        "issuer": "郑州市市场监督管理局",
        "document_number": "郑知〔2021〕3号",
        "issued_on": "2021-03-05",
        "type": "interest",
        "amount": "100.50",
        "in_force": "on",
    },
    "funds": {
        "title": "郑州市质押融资风险补偿资金",
        "scope": "both",
        "size": "2000",
        "banks": "中国银行郑州分行、中原银行",
        "loans_count": "12",
        "loans_amount": "3600",
        "compensation_paid": "0",
    },
    "events": {
        "type": "matchmaking",
        "title": "质押融资银企对接会",
        "held_on": "2021-05-20",
        "place": "郑州国际会展中心",
        "organiser": "郑州市市场监督管理局",
        "banks_attending": "8",
        "enterprises_attending": "60",
        "intended_credit": "12000",
        "loans_granted": "3500",
    },
    "practices": {
        "title": "“知识产权+金融”服务进园区",
        "text": "在高新区设立质押融资服务站。\n每月组织银行走访企业。",
    },
}

# What the form above stores, field by field.
STORED = {
    "policies": {
        "title": "郑州市知识产权质押融资贴息办法",
        "issuer": "郑州市市场监督管理局",
        "document_number": "郑知〔2021〕3号",
        "issued_on": datetime.date(2021, 3, 5),
        "type": "interest",
        "amount": Decimal("100.50"),
        "in_force": True,
    },
    "funds": {
        "title": "郑州市质押融资风险补偿资金",
        "scope": "both",
        "size": Decimal("2000.00"),
        "banks": "中国银行郑州分行、中原银行",
        "loans_count": 12,
        "loans_amount": Decimal("3600.00"),
        "compensation_paid": Decimal("0.00"),
    },
    "events": {
        "type": "matchmaking",
        "title": "质押融资银企对接会",
        "held_on": datetime.date(2021, 5, 20),
        "place": "郑州国际会展中心",
        "organiser": "郑州市市场监督管理局",
        "banks_attending": 8,
        "enterprises_attending": 60,
        "intended_credit": Decimal("12000.00"),
        "loans_granted": Decimal("3500.00"),
    },
    "practices": {
        "title": "“知识产权+金融”服务进园区",
        "text": "在高新区设立质押融资服务站。\n每月组织银行走访企业。",
    },
}

# The same item as a service takes it (already converted).
VALUES = STORED

STALE = "报表在您打开后已被zhengzhou修改（{state}），请查看最新内容后再操作。"
SUBMITTED_LOCK = "报表已提交，正在等待审核，暂不能修改。"
APPROVED_LOCK = "报表已审核通过，数据已锁定。如需修改，请联系省局重新打开。"


# ── helpers ──────────────────────────────────────────────────────────────────────────────


def report_url(period, unit):
    return reverse("measures:report", args=[period.slug, unit.code])


def add_url(period, unit, kind):
    return reverse("measures:add_item", args=[period.slug, unit.code, kind])


def edit_url(period, unit, kind, pk):
    return reverse("measures:edit_item", args=[period.slug, unit.code, kind, pk])


def delete_url(period, unit, kind, pk):
    return reverse("measures:delete_item", args=[period.slug, unit.code, kind, pk])


def transition_url(period, unit, action):
    return reverse("measures:transition", args=[period.slug, unit.code, action])


def messages_of(response):
    """The messages this request added (not those left over from earlier, unfollowed redirects)."""
    return [str(message) for message in get_messages(response.wsgi_request)._queued_messages]


def stored(item, kind):
    return {name: getattr(item, name) for name in MEASURE_TYPES[kind].fields}


def report_of(unit, period):
    return MeasureReport.objects.get(unit=unit, period=period)


def add_item(user, unit, period, kind, **changes):
    """An item added through the service, as the unit's submitter would."""
    return services.save_item(
        user,
        unit,
        period,
        MEASURE_TYPES[kind],
        {**VALUES[kind], **changes},
        expected_version=None,
    )


def version_of(unit, period):
    return report_of(unit, period).version


def edited(kind):
    return {**FORM_DATA[kind], "title": "改过的名称"}


@pytest.fixture
def zhengzhou(units):
    return units["郑州"]


@pytest.fixture
def submitter_client(client, zhengzhou_submitter):
    client.force_login(zhengzhou_submitter)
    return client


@pytest.fixture
def existing(zhengzhou_submitter, zhengzhou, open_period):
    """One item of each kind already on 郑州's draft (the report at version 4)."""
    return {kind: add_item(zhengzhou_submitter, zhengzhou, open_period, kind) for kind in KINDS}


def snapshot(unit, period):
    """Everything a refused request must leave as it was."""
    report = MeasureReport.objects.filter(unit=unit, period=period).first()
    items = {}
    for kind in MEASURE_TYPES.values():
        items[kind.slug] = sorted(
            tuple(sorted(stored(item, kind.slug).items())) + (item.pk,)
            for item in kind.model.objects.all()
        )
    history = sum(kind.model.history.count() for kind in MEASURE_TYPES.values())
    return (
        report and (report.version, report.state),
        items,
        history,
        MeasureTransition.objects.count(),
    )


# ── the unit's own submitter ─────────────────────────────────────────────────────────────


@pytest.mark.parametrize("kind", KINDS)
def test_the_units_submitter_adds_an_item_through_the_page(
    submitter_client, zhengzhou_submitter, zhengzhou, open_period, kind
):
    page = submitter_client.get(add_url(open_period, zhengzhou, kind))
    assert page.status_code == 200
    assert page.context["form"]["version"].value() == 0

    response = submitter_client.post(
        add_url(open_period, zhengzhou, kind), {**FORM_DATA[kind], "version": 0}
    )

    assert response.status_code == 302
    assert response["Location"] == report_url(open_period, zhengzhou)
    assert messages_of(response) == [f"已保存：{FORM_DATA[kind]['title']}。"]
    model = MEASURE_TYPES[kind].model
    [item] = model.objects.all()
    assert stored(item, kind) == STORED[kind]
    report = report_of(zhengzhou, open_period)
    assert item.report == report
    assert (report.version, report.state, report.updated_by) == (
        1,
        ReportState.DRAFT,
        zhengzhou_submitter,
    )
    [record] = item.history.all()
    assert (record.history_type, record.history_user, record.title) == (
        "+",
        zhengzhou_submitter,
        FORM_DATA[kind]["title"],
    )


@pytest.mark.parametrize("kind", KINDS)
def test_the_units_submitter_changes_an_item_and_the_change_is_recorded(
    submitter_client, zhengzhou_submitter, zhengzhou, open_period, kind
):
    item = add_item(zhengzhou_submitter, zhengzhou, open_period, kind)
    url = edit_url(open_period, zhengzhou, kind, item.pk)
    page = submitter_client.get(url)
    assert page.status_code == 200
    assert page.context["form"]["version"].value() == 1
    assert page.context["form"]["title"].value() == STORED[kind]["title"]

    response = submitter_client.post(url, {**edited(kind), "version": 1})

    assert response.status_code == 302
    assert messages_of(response) == ["已保存：改过的名称。"]
    item.refresh_from_db()
    assert stored(item, kind) == {**STORED[kind], "title": "改过的名称"}
    assert version_of(zhengzhou, open_period) == 2
    assert [(r.history_type, r.history_user, r.title) for r in item.history.all()] == [
        ("~", zhengzhou_submitter, "改过的名称"),
        ("+", zhengzhou_submitter, STORED[kind]["title"]),
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_the_units_submitter_deletes_an_item_and_the_removal_is_recorded(
    submitter_client, zhengzhou_submitter, zhengzhou, open_period, kind
):
    item = add_item(zhengzhou_submitter, zhengzhou, open_period, kind)
    model = MEASURE_TYPES[kind].model

    response = submitter_client.post(
        delete_url(open_period, zhengzhou, kind, item.pk), {"version": 1}
    )

    assert response.status_code == 302
    assert response["Location"] == report_url(open_period, zhengzhou)
    assert messages_of(response) == [f"已删除：{STORED[kind]['title']}。"]
    assert model.objects.count() == 0
    assert version_of(zhengzhou, open_period) == 2
    assert [(r.history_type, r.history_user) for r in model.history.filter(id=item.pk)] == [
        ("-", zhengzhou_submitter),
        ("+", zhengzhou_submitter),
    ]


def test_the_report_page_lists_the_items_with_links_to_change_and_remove_them(
    submitter_client, zhengzhou, open_period, existing
):
    page = submitter_client.get(report_url(open_period, zhengzhou))

    assert page.status_code == 200
    content = page.content.decode()
    for kind, item in existing.items():
        assert f'href="{edit_url(open_period, zhengzhou, kind, item.pk)}"' in content
        assert f'action="{delete_url(open_period, zhengzhou, kind, item.pk)}"' in content
    assert content.count('<input type="hidden" name="version" value="4">') == 4


# ── others may not ───────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("kind", KINDS)
def test_another_units_submitter_gets_404_on_every_item_page_and_nothing_changes(
    client, luoyang_submitter, zhengzhou, open_period, existing, kind
):
    client.force_login(luoyang_submitter)
    item = existing[kind]
    before = snapshot(zhengzhou, open_period)
    data = {**edited(kind), "version": 4}

    answers = [
        client.get(add_url(open_period, zhengzhou, kind)).status_code,
        client.post(add_url(open_period, zhengzhou, kind), data).status_code,
        client.get(edit_url(open_period, zhengzhou, kind, item.pk)).status_code,
        client.post(edit_url(open_period, zhengzhou, kind, item.pk), data).status_code,
        client.post(delete_url(open_period, zhengzhou, kind, item.pk), data).status_code,
    ]

    assert answers == [404, 404, 404, 404, 404]
    assert snapshot(zhengzhou, open_period) == before


def test_the_delete_address_answers_only_post(submitter_client, zhengzhou, open_period, existing):
    url = delete_url(open_period, zhengzhou, "policies", existing["policies"].pk)
    assert submitter_client.get(url).status_code == 405


@pytest.mark.parametrize("persona", ["reviewer", "administrator_user"])
@pytest.mark.parametrize("kind", KINDS)
def test_province_staff_get_403_on_every_item_page_and_nothing_changes(
    request, client, zhengzhou, open_period, existing, kind, persona
):
    client.force_login(request.getfixturevalue(persona))
    item = existing[kind]
    before = snapshot(zhengzhou, open_period)
    data = {**edited(kind), "version": 4}

    answers = [
        client.get(add_url(open_period, zhengzhou, kind)).status_code,
        client.post(add_url(open_period, zhengzhou, kind), data).status_code,
        client.get(edit_url(open_period, zhengzhou, kind, item.pk)).status_code,
        client.post(edit_url(open_period, zhengzhou, kind, item.pk), data).status_code,
        client.post(delete_url(open_period, zhengzhou, kind, item.pk), data).status_code,
    ]

    assert answers == [403, 403, 403, 403, 403]
    assert snapshot(zhengzhou, open_period) == before


@pytest.mark.parametrize("persona", ["reviewer", "administrator_user"])
def test_province_staff_cannot_start_a_units_measures(
    request, client, zhengzhou, open_period, persona
):
    client.force_login(request.getfixturevalue(persona))

    answers = [
        client.get(add_url(open_period, zhengzhou, "events")).status_code,
        client.post(
            add_url(open_period, zhengzhou, "events"), {**FORM_DATA["events"], "version": 0}
        ).status_code,
        client.post(transition_url(open_period, zhengzhou, "submit"), {"version": 0}).status_code,
    ]

    assert answers == [403, 403, 403]
    assert MeasureReport.objects.count() == 0


# ── the version a form was based on ──────────────────────────────────────────────────────


@pytest.mark.parametrize("kind", KINDS)
def test_an_add_form_opened_before_another_change_is_refused_and_nothing_is_saved(
    submitter_client, zhengzhou_submitter, zhengzhou, open_period, existing, kind
):
    page = submitter_client.get(add_url(open_period, zhengzhou, kind))
    seen = page.context["form"]["version"].value()
    add_item(zhengzhou_submitter, zhengzhou, open_period, "practices", title="另一个标签页")
    before = snapshot(zhengzhou, open_period)

    response = submitter_client.post(
        add_url(open_period, zhengzhou, kind), {**edited(kind), "version": seen}
    )

    assert (seen, response.status_code) == (4, 200)
    assert response.context["form"].non_field_errors() == [STALE.format(state="草稿")]
    assert f'<ul class="errorlist"><li>{STALE.format(state="草稿")}</li></ul>' in (
        response.content.decode()
    )
    assert snapshot(zhengzhou, open_period) == before
    assert version_of(zhengzhou, open_period) == 5


@pytest.mark.parametrize("kind", KINDS)
def test_an_edit_form_opened_before_another_change_is_refused_and_nothing_is_saved(
    submitter_client, zhengzhou_submitter, zhengzhou, open_period, existing, kind
):
    add_item(zhengzhou_submitter, zhengzhou, open_period, "practices", title="另一个标签页")
    before = snapshot(zhengzhou, open_period)

    response = submitter_client.post(
        edit_url(open_period, zhengzhou, kind, existing[kind].pk), {**edited(kind), "version": 4}
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [STALE.format(state="草稿")]
    assert snapshot(zhengzhou, open_period) == before


@pytest.mark.parametrize("kind", KINDS)
def test_a_delete_based_on_an_older_version_is_refused_and_nothing_is_removed(
    submitter_client, zhengzhou_submitter, zhengzhou, open_period, existing, kind
):
    add_item(zhengzhou_submitter, zhengzhou, open_period, "practices", title="另一个标签页")
    before = snapshot(zhengzhou, open_period)

    response = submitter_client.post(
        delete_url(open_period, zhengzhou, kind, existing[kind].pk), {"version": 4}
    )

    assert response.status_code == 302
    assert messages_of(response) == [STALE.format(state="草稿")]
    assert snapshot(zhengzhou, open_period) == before


def test_a_form_opened_before_the_report_existed_is_refused_once_another_tab_saved(
    submitter_client, zhengzhou_submitter, zhengzhou, open_period
):
    add_item(zhengzhou_submitter, zhengzhou, open_period, "events")

    response = submitter_client.post(
        add_url(open_period, zhengzhou, "policies"), {**FORM_DATA["policies"], "version": 0}
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [STALE.format(state="草稿")]
    assert MEASURE_TYPES["policies"].model.objects.count() == 0
    assert version_of(zhengzhou, open_period) == 1


# ── the workflow ─────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("kind", KINDS)
def test_once_submitted_the_submitter_can_no_longer_add_change_or_remove_items(
    submitter_client, zhengzhou, open_period, existing, kind
):
    submitted = submitter_client.post(
        transition_url(open_period, zhengzhou, "submit"), {"version": 4}
    )
    assert messages_of(submitted) == ["郑州市的政策措施报表已提交。"]
    assert report_of(zhengzhou, open_period).state == ReportState.SUBMITTED
    before = snapshot(zhengzhou, open_period)
    item = existing[kind]

    responses = [
        submitter_client.get(add_url(open_period, zhengzhou, kind)),
        submitter_client.post(
            add_url(open_period, zhengzhou, kind), {**edited(kind), "version": 5}
        ),
        submitter_client.get(edit_url(open_period, zhengzhou, kind, item.pk)),
        submitter_client.post(
            edit_url(open_period, zhengzhou, kind, item.pk), {**edited(kind), "version": 5}
        ),
        submitter_client.post(delete_url(open_period, zhengzhou, kind, item.pk), {"version": 5}),
    ]

    for response in responses:
        assert response.status_code == 302
        assert response["Location"] == report_url(open_period, zhengzhou)
        assert messages_of(response) == [SUBMITTED_LOCK]
    assert snapshot(zhengzhou, open_period) == before


def test_the_report_page_of_a_submitted_report_offers_no_changes_to_its_submitter(
    submitter_client, zhengzhou, open_period, existing
):
    submitter_client.post(transition_url(open_period, zhengzhou, "submit"), {"version": 4})

    content = submitter_client.get(report_url(open_period, zhengzhou)).content.decode()

    assert f'<div class="callout locked" id="lock-reason">{SUBMITTED_LOCK}</div>' in content
    assert add_url(open_period, zhengzhou, "policies") not in content
    assert "/delete/" not in content


def test_a_return_needs_a_reason_and_the_unit_sees_it_and_can_correct_the_report(
    client, reviewer, zhengzhou_submitter, zhengzhou, open_period, existing
):
    client.force_login(zhengzhou_submitter)
    client.post(transition_url(open_period, zhengzhou, "submit"), {"version": 4})
    client.force_login(reviewer)

    refused = client.post(
        transition_url(open_period, zhengzhou, "return"), {"version": 5, "comment": "  "}
    )
    assert messages_of(refused) == ["请填写退回的原因。"]
    assert report_of(zhengzhou, open_period).state == ReportState.SUBMITTED

    returned = client.post(
        transition_url(open_period, zhengzhou, "return"),
        {"version": 5, "comment": "请补充政策文件。"},
    )
    assert messages_of(returned) == ["郑州市的政策措施报表已退回。"]
    report = report_of(zhengzhou, open_period)
    assert (report.state, report.version, report.return_reason()) == (
        ReportState.RETURNED,
        6,
        "请补充政策文件。",
    )

    client.force_login(zhengzhou_submitter)
    content = client.get(report_url(open_period, zhengzhou)).content.decode()
    assert (
        '<div class="callout returned" id="review-comment"><strong>审核意见：</strong>'
        "请补充政策文件。</div>"
    ) in content
    assert 'id="lock-reason"' not in content
    item = existing["policies"]
    saved = client.post(
        edit_url(open_period, zhengzhou, "policies", item.pk),
        {**edited("policies"), "version": 6},
    )
    assert messages_of(saved) == ["已保存：改过的名称。"]
    item.refresh_from_db()
    assert item.title == "改过的名称"


def test_approving_locks_the_report_and_reopening_with_a_reason_unlocks_it(
    client, reviewer, zhengzhou_submitter, zhengzhou, open_period, existing
):
    item = existing["events"]
    client.force_login(zhengzhou_submitter)
    client.post(transition_url(open_period, zhengzhou, "submit"), {"version": 4})
    client.force_login(reviewer)
    approved = client.post(transition_url(open_period, zhengzhou, "approve"), {"version": 5})
    assert messages_of(approved) == ["郑州市的政策措施报表已审核通过。"]

    client.force_login(zhengzhou_submitter)
    locked = client.post(
        edit_url(open_period, zhengzhou, "events", item.pk), {**edited("events"), "version": 6}
    )
    assert messages_of(locked) == [APPROVED_LOCK]
    item.refresh_from_db()
    assert item.title == STORED["events"]["title"]
    assert (
        client.post(transition_url(open_period, zhengzhou, "submit"), {"version": 6}).status_code
        == 302
    )
    assert report_of(zhengzhou, open_period).state == ReportState.APPROVED

    client.force_login(reviewer)
    refused = client.post(transition_url(open_period, zhengzhou, "reopen"), {"version": 6})
    assert messages_of(refused) == ["请填写重新打开的原因。"]
    assert report_of(zhengzhou, open_period).state == ReportState.APPROVED
    reopened = client.post(
        transition_url(open_period, zhengzhou, "reopen"),
        {"version": 6, "comment": "活动日期有误。"},
    )
    assert messages_of(reopened) == ["郑州市的政策措施报表已重新打开。"]

    client.force_login(zhengzhou_submitter)
    page = client.get(report_url(open_period, zhengzhou)).content.decode()
    assert "<strong>审核意见：</strong>活动日期有误。</div>" in page
    saved = client.post(
        edit_url(open_period, zhengzhou, "events", item.pk), {**edited("events"), "version": 7}
    )
    assert messages_of(saved) == ["已保存：改过的名称。"]
    item.refresh_from_db()
    assert item.title == "改过的名称"


def test_every_move_is_logged_with_its_actor_and_comment(
    client, reviewer, zhengzhou_submitter, zhengzhou, open_period, existing
):
    def act(user, action, version, comment=""):
        client.force_login(user)
        client.post(
            transition_url(open_period, zhengzhou, action),
            {"version": version, "comment": comment},
        )

    act(zhengzhou_submitter, "submit", 4)
    act(reviewer, "return", 5, "请补充。")
    act(zhengzhou_submitter, "submit", 6)
    act(reviewer, "approve", 7)
    act(reviewer, "reopen", 8, "数据有误。")

    report = report_of(zhengzhou, open_period)
    assert [
        (move.action, move.from_state, move.to_state, move.actor, move.comment)
        for move in report.transitions.all()
    ] == [
        ("submit", "draft", "submitted", zhengzhou_submitter, ""),
        ("return", "submitted", "returned", reviewer, "请补充。"),
        ("submit", "returned", "submitted", zhengzhou_submitter, ""),
        ("approve", "submitted", "approved", reviewer, ""),
        ("reopen", "approved", "reopened", reviewer, "数据有误。"),
    ]
    assert (report.state, report.version, report.updated_by) == ("reopened", 9, reviewer)


def test_a_submitter_cannot_review_and_a_reviewer_cannot_submit(
    client, reviewer, zhengzhou_submitter, zhengzhou, open_period, existing
):
    client.force_login(reviewer)
    assert (
        client.post(transition_url(open_period, zhengzhou, "submit"), {"version": 4}).status_code
        == 403
    )
    client.force_login(zhengzhou_submitter)
    client.post(transition_url(open_period, zhengzhou, "submit"), {"version": 4})
    answers = [
        client.post(
            transition_url(open_period, zhengzhou, action), {"version": 5, "comment": "x"}
        ).status_code
        for action in ("approve", "return", "reopen")
    ]
    assert answers == [403, 403, 403]
    assert [move.action for move in MeasureTransition.objects.all()] == ["submit"]


# ── e-mail ───────────────────────────────────────────────────────────────────────────────


def test_submitting_emails_the_reviewers(
    client,
    django_capture_on_commit_callbacks,
    reviewer,
    administrator_user,
    luoyang_submitter,
    zhengzhou_submitter,
    zhengzhou,
    open_period,
    existing,
):
    client.force_login(zhengzhou_submitter)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(transition_url(open_period, zhengzhou, "submit"), {"version": 4})

    assert [(message.to, message.subject) for message in mail.outbox] == [
        (["reviewer@example.org"], "[质押融资报送] 郑州市 2021年 政策措施已提交")
    ]
    body = mail.outbox[0].body
    assert "郑州市 2021年 的政策措施报表状态已变为“已提交”（操作人：zhengzhou）。" in body
    # (the link's host is the configured portal address: the e-mail leaves after the request)
    lines = body.splitlines()
    assert lines[:2] == [
        "郑州市 2021年 的政策措施报表状态已变为“已提交”（操作人：zhengzhou）。",
        "",
    ]
    assert lines[2].startswith("查看报表： http")
    assert lines[2].endswith(report_url(open_period, zhengzhou))


@pytest.mark.parametrize(
    ("action", "comment", "state"),
    [("return", "请补充政策文件。", "已退回"), ("approve", "", "已审核")],
)
def test_the_provinces_answer_emails_the_units_submitters(
    client,
    django_capture_on_commit_callbacks,
    make_submitter,
    reviewer,
    luoyang_submitter,
    zhengzhou_submitter,
    zhengzhou,
    open_period,
    existing,
    action,
    comment,
    state,
):
    make_submitter("zhengzhou2", zhengzhou)
    client.force_login(zhengzhou_submitter)
    client.post(transition_url(open_period, zhengzhou, "submit"), {"version": 4})
    mail.outbox.clear()
    client.force_login(reviewer)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            transition_url(open_period, zhengzhou, action), {"version": 5, "comment": comment}
        )

    subject = f"[质押融资报送] 郑州市 2021年 政策措施{state}"
    assert [(message.to, message.subject) for message in mail.outbox] == [
        (["zhengzhou2@example.org"], subject),
        (["zhengzhou@example.org"], subject),
    ]
    if comment:
        assert f"意见或原因：\n{comment}\n" in mail.outbox[0].body


def test_a_refused_move_sends_no_email(
    client, django_capture_on_commit_callbacks, reviewer, zhengzhou, open_period, existing
):
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(transition_url(open_period, zhengzhou, "approve"), {"version": 4})
    assert (callbacks, mail.outbox) == ([], [])


# ── the deadline ─────────────────────────────────────────────────────────────────────────


def pass_deadline(period):
    period.deadline = timezone.localdate() - datetime.timedelta(days=1)
    period.save()
    return f"本期报送已于 {period.deadline.isoformat()} 截止。如需补报，请联系省局为本单位延期。"


@pytest.mark.parametrize("kind", KINDS)
def test_a_draft_past_the_deadline_can_be_neither_changed_nor_submitted(
    submitter_client, zhengzhou, open_period, existing, kind
):
    lock = pass_deadline(open_period)
    before = snapshot(zhengzhou, open_period)
    item = existing[kind]

    page = submitter_client.get(report_url(open_period, zhengzhou)).content.decode()
    changes = [
        submitter_client.get(add_url(open_period, zhengzhou, kind)),
        submitter_client.post(
            add_url(open_period, zhengzhou, kind), {**edited(kind), "version": 4}
        ),
        submitter_client.post(
            edit_url(open_period, zhengzhou, kind, item.pk), {**edited(kind), "version": 4}
        ),
        submitter_client.post(delete_url(open_period, zhengzhou, kind, item.pk), {"version": 4}),
        submitter_client.post(transition_url(open_period, zhengzhou, "submit"), {"version": 4}),
    ]

    assert f'<div class="callout locked" id="lock-reason">{lock}</div>' in page
    assert [messages_of(response) for response in changes] == [[lock]] * 5
    assert snapshot(zhengzhou, open_period) == before
    assert report_of(zhengzhou, open_period).state == ReportState.DRAFT


def test_a_returned_report_past_the_deadline_can_still_be_corrected_and_submitted(
    submitter_client, reviewer, zhengzhou_submitter, zhengzhou, open_period, existing
):
    report = report_of(zhengzhou, open_period)
    transition(report, WorkflowAction.SUBMIT, zhengzhou_submitter, notify=False)
    transition(report, WorkflowAction.RETURN, reviewer, comment="请更正。", notify=False)
    pass_deadline(open_period)
    item = existing["funds"]

    saved = submitter_client.post(
        edit_url(open_period, zhengzhou, "funds", item.pk), {**edited("funds"), "version": 6}
    )
    submitted = submitter_client.post(
        transition_url(open_period, zhengzhou, "submit"), {"version": 7}
    )

    assert messages_of(saved) == ["已保存：改过的名称。"]
    assert messages_of(submitted) == ["郑州市的政策措施报表已提交。"]
    item.refresh_from_db()
    assert item.title == "改过的名称"
    assert report_of(zhengzhou, open_period).state == ReportState.SUBMITTED


def test_a_refused_nil_return_after_the_deadline_leaves_no_report_behind(
    submitter_client, zhengzhou, open_period
):
    lock = pass_deadline(open_period)

    response = submitter_client.post(
        transition_url(open_period, zhengzhou, "submit"), {"version": 0}
    )

    assert messages_of(response) == [lock]
    assert MeasureReport.objects.count() == 0


# ── a nil return ─────────────────────────────────────────────────────────────────────────


def test_an_empty_report_can_be_submitted_and_shows_none_in_each_section_to_the_reviewer(
    client, reviewer, zhengzhou_submitter, zhengzhou, open_period
):
    client.force_login(zhengzhou_submitter)
    response = client.post(transition_url(open_period, zhengzhou, "submit"), {"version": 0})

    assert messages_of(response) == ["郑州市的政策措施报表已提交。"]
    report = report_of(zhengzhou, open_period)
    assert (report.state, report.version) == (ReportState.SUBMITTED, 1)
    assert [(m.action, m.from_state, m.to_state, m.actor) for m in report.transitions.all()] == [
        ("submit", "draft", "submitted", zhengzhou_submitter)
    ]
    client.force_login(reviewer)
    content = client.get(report_url(open_period, zhengzhou)).content.decode()
    assert content.count('<p class="empty">无</p>') == 4
    assert "尚未添加。" not in content
    assert '<span class="state state-submitted" id="report-state">已提交</span>' in content


def test_an_empty_draft_shows_not_yet_added_to_its_submitter(
    submitter_client, zhengzhou, open_period
):
    content = submitter_client.get(report_url(open_period, zhengzhou)).content.decode()

    assert content.count('<p class="empty">尚未添加。</p>') == 4
    assert '<span class="state state-none" id="report-state">未开始</span>' in content


# ── what the form refuses ────────────────────────────────────────────────────────────────

BAD_INPUTS = {
    "bad document number": (
        "policies",
        {"document_number": "2021年8号"},
        "document_number",
        "文号“2021年8号”格式不对，应如 豫知〔2021〕8号：机关代字、〔年份〕、顺序号和“号”。",
    ),
    "policy issued after the period": (
        "policies",
        {"issued_on": "2022-01-01"},
        "issued_on",
        "印发日期晚于本报送周期（截至 2021-12-31），请在以后的周期报送。",
    ),
    "negative policy amount": ("policies", {"amount": "-1"}, "amount", "确保该值大于或等于0。"),
    "event before the period": (
        "events",
        {"held_on": "2020-12-31"},
        "held_on",
        "举办日期应在本报送周期内（2021-01-01 至 2021-12-31）。",
    ),
    "event after the period": (
        "events",
        {"held_on": "2022-01-01"},
        "held_on",
        "举办日期应在本报送周期内（2021-01-01 至 2021-12-31）。",
    ),
    "negative intended credit": (
        "events",
        {"intended_credit": "-5"},
        "intended_credit",
        "确保该值大于或等于0。",
    ),
    "negative loans granted": (
        "events",
        {"loans_granted": "-0.01"},
        "loans_granted",
        "确保该值大于或等于0。",
    ),
    "negative loans amount": (
        "funds",
        {"loans_amount": "-100"},
        "loans_amount",
        "确保该值大于或等于0。",
    ),
    "negative compensation": (
        "funds",
        {"compensation_paid": "-1"},
        "compensation_paid",
        "确保该值大于或等于0。",
    ),
    "fund of size 0": ("funds", {"size": "0"}, "size", "确保该值大于或等于0.01。"),
    "fund loans without a count": (
        "funds",
        {"loans_count": "0", "loans_amount": "500"},
        "loans_count",
        "有覆盖贷款金额，贷款笔数不能为 0。",
    ),
    "fund without a bank": ("funds", {"banks": "、，"}, "banks", "请填写至少一家合作银行。"),
    "practice text too long": (
        "practices",
        {"text": "字" * 5001},
        "text",
        "确保该变量包含不超过 5000 字符 (目前字符数 5001)。",
    ),
}


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_a_bad_input_is_shown_on_the_form_and_nothing_is_saved(
    submitter_client, zhengzhou_submitter, zhengzhou, open_period, case
):
    kind, changes, field, message = BAD_INPUTS[case]
    add_item(zhengzhou_submitter, zhengzhou, open_period, "practices", title="已有")
    before = snapshot(zhengzhou, open_period)

    response = submitter_client.post(
        add_url(open_period, zhengzhou, kind), {**FORM_DATA[kind], **changes, "version": 1}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert f'<span class="error">{message}</span>' in response.content.decode()
    assert snapshot(zhengzhou, open_period) == before
    assert version_of(zhengzhou, open_period) == 1


@pytest.mark.parametrize("case", ["bad document number", "event before the period"])
def test_a_bad_change_leaves_the_item_as_it_was(
    submitter_client, zhengzhou_submitter, zhengzhou, open_period, case
):
    kind, changes, field, message = BAD_INPUTS[case]
    item = add_item(zhengzhou_submitter, zhengzhou, open_period, kind)
    before = snapshot(zhengzhou, open_period)

    response = submitter_client.post(
        edit_url(open_period, zhengzhou, kind, item.pk),
        {**FORM_DATA[kind], **changes, "version": 1},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert snapshot(zhengzhou, open_period) == before


@pytest.mark.parametrize(
    ("typed", "stored_as"),
    [
        ("郑知[2021]03号", "郑知〔2021〕3号"),
        ("郑知【2021】3号", "郑知〔2021〕3号"),
        ("郑政（2020）12号", "郑政〔2020〕12号"),
        (" 郑知〔2021〕3号 ", "郑知〔2021〕3号"),
    ],
)
def test_a_document_number_is_stored_in_its_standard_form(
    submitter_client, zhengzhou, open_period, typed, stored_as
):
    response = submitter_client.post(
        add_url(open_period, zhengzhou, "policies"),
        {**FORM_DATA["policies"], "document_number": typed, "version": 0},
    )

    assert response.status_code == 302
    [policy] = MEASURE_TYPES["policies"].model.objects.all()
    assert policy.document_number == stored_as


def test_a_document_number_changed_with_brackets_is_stored_in_its_standard_form(
    submitter_client, zhengzhou_submitter, zhengzhou, open_period
):
    policy = add_item(zhengzhou_submitter, zhengzhou, open_period, "policies")

    submitter_client.post(
        edit_url(open_period, zhengzhou, "policies", policy.pk),
        {**FORM_DATA["policies"], "document_number": "郑知[2021]9号", "version": 1},
    )

    policy.refresh_from_db()
    assert policy.document_number == "郑知〔2021〕9号"


def test_a_fund_stores_its_banks_grouped_as_the_bank_ranking_names_them(
    submitter_client, zhengzhou, open_period
):
    submitter_client.post(
        add_url(open_period, zhengzhou, "funds"), {**FORM_DATA["funds"], "version": 0}
    )

    [fund] = MEASURE_TYPES["funds"].model.objects.all()
    assert fund.bank_names() == ["中国银行郑州分行", "中原银行"]
    assert fund.bank_groups == ["中国银行", "中原银行"]
