"""What changes a unit's measures. Views, imports, the demo and commands call these.

A measure report moves through the figures' workflow (``workflow.services.transition``):
it is registered there as a kind of report. Its items change only while the report is
editable by the unit's own submitter (the same ``lock_reason`` as the figures: the deadline
bars a draft, a returned or reopened report can be corrected), each change in one
transaction with the report locked, at the version the user saw, and recorded.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from workflow.models import ReportState, WorkflowAction
from workflow.services import (
    check_version,
    open_report,
    refuse,
    touch,
    transition,
)
from workflow.services import lock_reason as workflow_lock_reason

from .documents import check_upload, digest
from .models import MeasureDocument, MeasureReport
from .types import MEASURE_TYPES


def lock_reason(user, unit, period, report=None):
    """Why ``user`` cannot change this unit's measures for the period now, or None."""
    return workflow_lock_reason(
        user, unit, period, report if report and report.pk else None, model=MeasureReport
    )


def open_for_change(user, unit, period, expected_version):
    """The unit's measure report, locked, at the version the user saw, if ``user`` may change it."""
    report = open_report(unit, period, user, model=MeasureReport)
    reason = lock_reason(user, unit, period, None if report.version == 0 else report)
    refuse(reason, user, "edit", report)
    # After the rule: someone who may not change the report at all is refused as such.
    check_version(report, expected_version)
    return report


@transaction.atomic
def move(user, unit, period, report, action, *, comment, expected_version):
    """A move of the unit's measures (``transition``). ``report``: None when the unit has
    added nothing yet: submitting then says it has nothing to report, and creates the report
    (a refused submission leaves no empty report behind)."""
    if report is None:
        report = open_for_change(user, unit, period, expected_version)
        expected_version = report.version
    return transition(report, action, user, comment=comment, expected_version=expected_version)


def period_problems(measure_type, item, period):
    """Dates that do not belong to the period: an event is reported in the period it was held."""
    errors = {}
    if (
        measure_type.slug == "events"
        and item.held_on
        and not (period.starts_on <= item.held_on <= period.ends_on)
    ):
        errors["held_on"] = _("举办日期应在本报送周期内（{start} 至 {end}）。").format(
            start=period.starts_on.isoformat(), end=period.ends_on.isoformat()
        )
    if measure_type.slug == "policies" and item.issued_on and item.issued_on > period.ends_on:
        errors["issued_on"] = _(
            "印发日期晚于本报送周期（截至 {end}），请在以后的周期报送。"
        ).format(end=period.ends_on.isoformat())
    return errors


def store_document(user, report, upload):
    """Keep an uploaded document for the report: its type checked by content, its size capped."""
    filename, content_type, content = check_upload(upload)
    return MeasureDocument.objects.create(
        report=report,
        filename=filename,
        content_type=content_type,
        size=len(content),
        sha256=digest(content),
        content=content,
        uploaded_by=user,
    )


def build_item(measure_type, report, values, item=None):
    """The item with ``values`` set, checked (field rules, then the period's), not saved.

    Raises ``ValidationError`` naming the fields. ``values`` maps the kind's field names to
    values already converted (a form's cleaned data, an import's parsed row).
    """
    item = item or measure_type.model(report=report)
    for name in measure_type.fields:
        if name in values:
            setattr(item, name, values[name])
    errors = {}
    try:
        item.full_clean(exclude=["report", "document"])
    except ValidationError as error:
        errors.update(error.message_dict)
    for name, message in period_problems(measure_type, item, report.period).items():
        errors.setdefault(name, []).append(message)
    if errors:
        raise ValidationError(errors)
    return item


@transaction.atomic
def save_item(
    user, unit, period, measure_type, values, *, item=None, expected_version, upload=None
):
    """Add an item of ``kind`` to the unit's measures for the period, or change ``item``.

    ``upload``: a document for the item (a policy's text, a practice's material), replacing
    the one it had. Returns the saved item.
    """
    report = open_for_change(user, unit, period, expected_version)
    if item is not None and item.report_id != report.pk:
        raise PermissionDenied
    item = build_item(measure_type, report, values, item)
    if upload is not None:
        if not measure_type.has_document:
            raise ValidationError({"document": _("这类措施不能上传附件。")})
        from .documents import DocumentError

        try:
            item.document = store_document(user, report, upload)
        except DocumentError as error:
            raise ValidationError({"document": [str(error)]}) from None
    item._history_user = user
    item.save()
    touch(report, user)
    return item


@transaction.atomic
def delete_item(user, unit, period, measure_type, item, *, expected_version):
    """Remove an item from the unit's measures (recorded in its history)."""
    report = open_for_change(user, unit, period, expected_version)
    if item.report_id != report.pk:
        raise PermissionDenied
    item._history_user = user
    item.delete()
    touch(report, user)


@transaction.atomic
def replace_items(user, report, measure_type, items):
    """Replace every item of ``kind`` in a locked, editable report by ``items`` (built by
    ``build_item``): what an import does, all of them or none. Returns the number saved."""
    old = list(measure_type.items(report))
    for item in old:
        item._history_user = user
        item.delete()
    for item in items:
        item.report = report
        item._history_user = user
        item.save()
    touch(report, user)
    return len(items)


@transaction.atomic
def record_published_measures(unit, period, values_by_kind):
    """Store measures already known to the province (the demo's 2020) as approved data.

    A command's move (载入已发布数据, no actor, no e-mail), like the published figures: every
    item is checked before anything is written, and an approved report is left as it is.
    ``values_by_kind``: {kind slug: [values, ...]}. Returns the number of items saved.
    """
    report = open_report(unit, period, None, model=MeasureReport)
    if report.state == ReportState.APPROVED:
        return 0
    built = {
        slug: [build_item(MEASURE_TYPES[slug], report, values) for values in rows]
        for slug, rows in values_by_kind.items()
    }
    saved = sum(
        replace_items(None, report, MEASURE_TYPES[slug], items) for slug, items in built.items()
    )
    transition(report, WorkflowAction.LOAD_PUBLISHED, None, comment=_("载入已掌握的情况"))
    return saved
