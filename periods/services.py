"""What changes a period's deadlines: the extensions the province grants to single units."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import can

from .models import DeadlineExtension


class PeriodError(Exception):
    """A change of a period's deadlines that cannot be made, with a message for the user."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


def submission_deadline(period, unit):
    """The last day this unit may first submit: the period's deadline or its extension."""
    extension = DeadlineExtension.objects.filter(period=period, unit=unit).first()
    if extension and extension.until > period.deadline:
        return extension.until
    return period.deadline


@transaction.atomic
def grant_extension(user, period, unit, until, reason):
    """Let a unit submit after the deadline until ``until`` (replacing an earlier extension)."""
    if not can(user, "periods.grant_extension"):
        raise PermissionDenied(_("您没有权限执行此操作。"))
    if until < period.deadline:
        raise PeriodError(
            _("延期日期不能早于本期截止日期（{date}）。").format(date=period.deadline)
        )
    extension, _created = DeadlineExtension.objects.update_or_create(
        period=period, unit=unit, defaults={"until": until, "reason": reason, "granted_by": user}
    )
    return extension
