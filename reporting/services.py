"""What changes reporting data. Views, commands, imports and the admin call these; none writes around them.

Every change runs in one transaction with the report's row locked (``select_for_update``),
so two people acting on one report at once end with one winner; the other gets a
``WorkflowError`` whose message says what happened.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import can
from lib.numbers import CENT

from .models import (
    FIGURE_FIELDS,
    DeadlineExtension,
    IPKind,
    PledgeFigures,
    PledgeReport,
    ReportState,
    ReportTransition,
    WorkflowAction,
)


class WorkflowError(Exception):
    """An action that cannot be done, with a message for the user."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


class AlreadyDone(WorkflowError):
    """The action was already done (a double click, or a colleague was quicker): nothing to do."""


class StaleReport(WorkflowError):
    """The report changed since the user loaded it."""


@dataclass(frozen=True)
class Figures:
    amount: Decimal
    projects: int
    items: int
    enterprises: int | None = None
    smes: int | None = None
    inclusive_projects: int | None = None

    def as_tuple(self):
        return (
            Decimal(self.amount).quantize(CENT),
            self.projects,
            self.items,
            self.enterprises,
            self.smes,
            self.inclusive_projects,
        )


@dataclass(frozen=True)
class Move:
    action: str
    sources: frozenset
    target: str
    permission: str
    needs_comment: bool = False


# The one table of allowed moves: action → from which states, to which state, who may.
MOVES = {
    WorkflowAction.SUBMIT: Move(
        WorkflowAction.SUBMIT,
        frozenset(ReportState.editable()),
        ReportState.SUBMITTED,
        "reporting.edit_report",
    ),
    WorkflowAction.RETURN: Move(
        WorkflowAction.RETURN,
        frozenset({ReportState.SUBMITTED}),
        ReportState.RETURNED,
        "reporting.review_report",
        needs_comment=True,
    ),
    WorkflowAction.APPROVE: Move(
        WorkflowAction.APPROVE,
        frozenset({ReportState.SUBMITTED}),
        ReportState.APPROVED,
        "reporting.review_report",
    ),
    WorkflowAction.REOPEN: Move(
        WorkflowAction.REOPEN,
        frozenset({ReportState.APPROVED}),
        ReportState.REOPENED,
        "reporting.review_report",
        needs_comment=True,
    ),
}

_ALREADY = {
    ReportState.SUBMITTED: gettext_lazy("报表已经提交，无需重复提交。"),
    ReportState.RETURNED: gettext_lazy("报表已经退回。"),
    ReportState.APPROVED: gettext_lazy("报表已经审核通过。"),
    ReportState.REOPENED: gettext_lazy("报表已经重新打开。"),
}


def today():
    return timezone.localdate()


def submission_deadline(period, unit):
    """The last day this unit may first submit: the period's deadline or its extension."""
    extension = DeadlineExtension.objects.filter(period=period, unit=unit).first()
    if extension and extension.until > period.deadline:
        return extension.until
    return period.deadline


def lock_reason(user, unit, period, report=None, on=None):
    """Why ``user`` cannot change this unit's figures for the period now, or ``None``.

    The deadline bars a report that was never submitted; a report the province
    returned or reopened can always be corrected.
    """
    target = report or unit
    if not can(user, "reporting.edit_report", target):
        return _("只有本单位的填报员可以修改本报表。")
    state = report.state if report else ReportState.DRAFT
    if state == ReportState.APPROVED:
        return _("报表已审核通过，数据已锁定。如需修改，请联系省局重新打开。")
    if state == ReportState.SUBMITTED:
        return _("报表已提交，正在等待审核，暂不能修改。")
    if state == ReportState.DRAFT:
        deadline = submission_deadline(period, unit)
        if (on or today()) > deadline:
            return _("本期报送已于 {date} 截止。如需补报，请联系省局为本单位延期。").format(
                date=deadline.isoformat()
            )
    return None


def submission_warnings(report):
    """What needs a written explanation (上报说明) before the report can be submitted."""
    warnings = []
    figures = report.figures_by_kind()
    _previous_period, previous = report.year_earlier
    for kind in IPKind:
        figure = figures.get(kind)
        if figure is None:
            continue
        if figure.projects > 0 and not figure.enterprises:
            warnings.append(
                _("{kind}：有 {projects} 个质押项目，但惠及企业数为空或 0。").format(
                    kind=kind.label, projects=figure.projects
                )
            )
        before = previous.get(kind)
        if before is None:
            continue
        for field, label in (
            ("amount", _("质押金额")),
            ("projects", _("项目数")),
            ("items", kind.items_heading),
        ):
            old, new = getattr(before, field), getattr(figure, field)
            if old == new == 0:
                continue
            if old == 0:
                warnings.append(
                    _("{kind}{label}：上年同期为 0，本期为 {new}。").format(
                        kind=kind.label, label=label, new=new
                    )
                )
                continue
            change = (Decimal(new) - Decimal(old)) / Decimal(old) * 100
            if abs(change) > 50:
                warnings.append(
                    _("{kind}{label}：较上年同期（{old}）变动 {change}%。").format(
                        kind=kind.label,
                        label=label,
                        old=old,
                        change=f"{change:+.1f}",
                    )
                )
    return warnings


def _lock(report):
    return (
        PledgeReport.objects.select_for_update().select_related("unit", "period").get(pk=report.pk)
    )


def _check_version(report, expected_version):
    if expected_version is not None and report.version != expected_version:
        editor = report.updated_by
        who = (editor.get_full_name() or editor.get_username()) if editor else ""
        raise StaleReport(
            _("报表在您打开后已被{who}修改（{state}），请查看最新内容后再操作。").format(
                who=who or _("他人"), state=report.get_state_display()
            )
        )


@transaction.atomic
def save_figures(user, unit, period, figures_by_kind, explanation=None, expected_version=None):
    """Save a unit's figures for a period as a draft (creating the report on first save).

    ``expected_version`` is the report version the user's form was based on (0 for a
    report that did not exist yet): a save based on an older version is refused.
    Returns the report.
    """
    report, created = PledgeReport.objects.get_or_create(
        unit=unit, period=period, defaults={"updated_by": user}
    )
    report = _lock(report)
    if created:
        report.version = 0  # nothing saved yet: a form opened before creation sends 0
    _check_version(report, expected_version)
    reason = lock_reason(user, unit, period, None if created else report)
    if reason:
        if not can(user, "reporting.edit_report", report):
            raise PermissionDenied(reason)
        raise WorkflowError(reason)

    changed = bool(_write_figures(report, figures_by_kind, user))
    if explanation is not None and explanation != report.explanation:
        report.explanation = explanation
        changed = True
    if changed or created:
        report.version += 1
        report.updated_by = user
        report._history_user = user
        report.save()
    return report


def _write_figures(report, figures_by_kind, user):
    """Validate every kind's figures, then write the ones that changed, and return those."""
    existing = report.figures_by_kind()
    pending, errors = [], {}
    for kind, values in figures_by_kind.items():
        kind = IPKind(kind)
        figure = existing.get(kind) or PledgeFigures(report=report, kind=kind)
        new = values.as_tuple()
        if figure.pk and tuple(getattr(figure, f) for f in FIGURE_FIELDS) == new:
            continue
        for field, value in zip(FIGURE_FIELDS, new, strict=True):
            setattr(figure, field, value)
        try:
            figure.full_clean(exclude=["report"])
        except ValidationError as error:
            errors.update(
                {
                    f"{kind.value}-{field}": messages
                    for field, messages in error.message_dict.items()
                }
            )
        pending.append(figure)
    if errors:
        raise ValidationError(errors)
    for figure in pending:
        figure._history_user = user
        figure.save()
    return pending


@transaction.atomic
def transition(report, action, user, comment="", expected_version=None, on=None, notify=True):
    """Move a report through the workflow: submit, return, approve, reopen.

    Checks the move table, the user's right, the comment, and for a submission
    the figures, the warnings and the deadline; then saves, logs the move and
    (once committed) notifies. Returns the ``ReportTransition``.
    """
    move = MOVES[WorkflowAction(action)]
    report = _lock(report)
    if report.state == move.target and report.state not in move.sources:
        raise AlreadyDone(_ALREADY[move.target])
    if not can(user, move.permission, report):
        raise PermissionDenied(_("您没有权限执行此操作。"))
    _check_version(report, expected_version)
    if report.state not in move.sources:
        raise WorkflowError(
            _("报表当前状态为“{state}”，不能{action}。").format(
                state=report.get_state_display(), action=WorkflowAction(action).label
            )
        )
    comment = (comment or "").strip()
    if move.needs_comment and not comment:
        raise WorkflowError(_("请填写{action}的原因。").format(action=WorkflowAction(action).label))
    if move.action == WorkflowAction.SUBMIT:
        _check_submittable(report, user, on)

    logged = _move(report, move.action, move.target, user, comment)
    if notify:
        from .notifications import notify_transition

        transaction.on_commit(lambda: notify_transition(logged))
    return logged


def _move(report, action, to_state, user, comment):
    """Put a locked report in ``to_state``, bump its version and log the move. Returns the log."""
    from_state = report.state
    report.state = to_state
    report.version += 1
    report.updated_by = user
    report._history_user = user
    report.save()
    return ReportTransition.objects.create(
        report=report,
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor=user,
        comment=comment,
    )


def _check_submittable(report, user, on):
    if report.state == ReportState.DRAFT:
        reason = lock_reason(user, report.unit, report.period, report, on=on)
        if reason:
            raise WorkflowError(reason)
    figures = report.figures_by_kind()
    missing = [str(kind.label) for kind in IPKind if kind not in figures]
    if missing:
        raise WorkflowError(
            _("请先填写并保存{kinds}数据（没有发生请填 0）。").format(kinds="、".join(missing))
        )
    warnings = submission_warnings(report)
    if warnings and not report.explanation.strip():
        raise WorkflowError(
            _("以下情况须在“上报说明”中说明原因后才能提交：{warnings}").format(
                warnings="；".join(warnings)
            )
        )


def approve_many(reports, user):
    """Approve several reports, each in its own transaction. Returns (approved, refused messages)."""
    approved, refused = [], []
    for report in reports:
        try:
            transition(report, WorkflowAction.APPROVE, user)
        except (WorkflowError, PermissionDenied) as error:
            refused.append(f"{report.unit}：{getattr(error, 'message', error)}")
        else:
            approved.append(report)
    return approved, refused


@transaction.atomic
def grant_extension(user, period, unit, until, reason):
    """Let a unit submit after the deadline until ``until`` (replacing an earlier extension)."""
    if not can(user, "reporting.grant_extension"):
        raise PermissionDenied(_("您没有权限执行此操作。"))
    if until < period.deadline:
        raise WorkflowError(
            _("延期日期不能早于本期截止日期（{date}）。").format(date=period.deadline)
        )
    extension, _created = DeadlineExtension.objects.update_or_create(
        period=period, unit=unit, defaults={"until": until, "reason": reason, "granted_by": user}
    )
    return extension


@transaction.atomic
def record_published_figures(unit, period, figures_by_kind, user=None):
    """Store figures that were already published (e.g. a past circular) as final data.

    Every figure is validated before anything is written; re-running with the same
    figures changes nothing. Returns the number of figure rows created or changed.
    """
    report, _created = PledgeReport.objects.get_or_create(unit=unit, period=period)
    report = _lock(report)
    changed = _write_figures(report, figures_by_kind, user)
    if report.state != ReportState.APPROVED:
        _move(report, WorkflowAction.APPROVE, ReportState.APPROVED, user, _("载入已发布的数据"))
    return len(changed)
