"""What changes pledge contracts outside an import: withdrawing an imported batch."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import can
from reporting import services
from reporting.models import FIGURE_FIELDS, FigureSource
from workflow.services import (
    AlreadyDone,
    WorkflowError,
    lock,
    lock_reason,
    province_lock_reason,
)

from .models import ContractBatch


def may_withdraw(user, batch):
    """Whoever may change the report's figures now: its unit while editable, else the province."""
    report = batch.report
    if can(user, "reporting.edit_report", report):
        return lock_reason(user, report.unit, report.period, report) is None
    return province_lock_reason(user, report, submitting=False) is None


@transaction.atomic
def withdraw_batch(batch, user, expected_version=None):
    """Take an imported batch of contracts back: its contracts go, the kind's figures return
    to what they were before the import (typed again), and the report records who did it.

    Raises ``AlreadyDone`` for a batch already withdrawn, ``WorkflowError`` for one that a
    later import replaced or a report that cannot change now, ``PermissionDenied`` otherwise.
    """
    # The report first, then its batch: the order every change of a report's contracts
    # locks them in (an import locks the report, then replaces its contracts).
    report = lock(batch.report)
    batch = ContractBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.withdrawn_at is not None:
        raise AlreadyDone(_("这批质押合同已经撤回。"))
    if not batch.contracts.exists():
        raise WorkflowError(_("这批质押合同已被之后导入的合同替换，不能撤回。"))
    own_unit = can(user, "reporting.edit_report", report)
    if not own_unit and not can(user, "reporting.import_report", report):
        raise PermissionDenied(_("您没有权限执行此操作。"))
    before = batch.figures_before
    figures = None
    if before is not None:
        values = {
            name: None if before.get(name) is None else _number(name, before[name])
            for name in FIGURE_FIELDS
        }
        figures = services.Figures(**values)
    batch.contracts.all().delete()
    services.save_figures(
        user,
        report.unit,
        report.period,
        {batch.kind: figures},
        expected_version=expected_version,
        source=FigureSource.TYPED,
        replace_source=True,
        on_behalf=not own_unit,
    )
    batch.withdrawn_by = user
    batch.withdrawn_at = timezone.now()
    batch.save(update_fields=["withdrawn_by", "withdrawn_at"])
    return batch


def _number(name, text):
    return Decimal(text) if name == "amount" else int(text)
