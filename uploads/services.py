"""Confirming an upload: what its flow writes, the audit trail's line and the upload's removal,
in one transaction."""

from django.db import transaction

from audit.models import Event
from audit.services import record


@transaction.atomic
def confirm(pending, apply):
    """Run ``apply()`` (the flow's writing of the previewed rows: it returns how many changed),
    record the confirmation and drop the upload; all or nothing."""
    changed = apply()
    record(
        Event.IMPORT_CONFIRMED,
        object_type=pending.target.model_class()._meta.label_lower,
        object_id=pending.pk,
        object_label=pending.filename,
        details={
            "file": pending.filename,
            "period": str(pending.period),
            "unit": str(pending.unit) if pending.unit_id else "",
            "kind": pending.kind,
            "changed": changed,
        },
    )
    pending.delete()
    return changed
