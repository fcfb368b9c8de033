"""The one door for a report's state: the table of moves and ``transition``.

Every change runs in one transaction with the report's row locked (``select_for_update``),
so two people acting on one report at once end with one winner; the other gets a
``WorkflowError`` whose message says what happened. Any kind of report built on
``workflow.models.UnitReport`` moves here.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import can
from lib.wording import join_clauses
from periods.services import submission_deadline

from .models import ReportState, WorkflowAction


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
class Move:
    action: str
    sources: frozenset
    target: str
    # The rule the actor must pass; None: no person may, only a management command (actor None).
    permission: str | None
    needs_comment: bool = False
    notify: bool = True


# The one table of allowed moves: action → from which states, to which state, who may.
# Every change of a report's state, by any path (form, board, import, contracts, command),
# is one of these, made by ``transition()``.
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
    # The province imports a unit's figures from a file: the report is submitted on the unit's
    # behalf. Not bound by the deadline (the province enters what reached it by other channels);
    # an approved report must be reopened first.
    WorkflowAction.IMPORT: Move(
        WorkflowAction.IMPORT,
        frozenset({*ReportState.editable(), ReportState.SUBMITTED}),
        ReportState.SUBMITTED,
        "reporting.import_report",
    ),
    # Figures already published in an issued circular, loaded by a command (``loaddemo``).
    WorkflowAction.LOAD_PUBLISHED: Move(
        WorkflowAction.LOAD_PUBLISHED,
        frozenset({*ReportState.editable(), ReportState.SUBMITTED}),
        ReportState.APPROVED,
        None,
        notify=False,
    ),
}

# The moves a reviewer makes on the report page (submitting is part of the report form).
REVIEW_ACTIONS = tuple(
    action for action, move in MOVES.items() if move.permission == "reporting.review_report"
)

_ALREADY = {
    ReportState.SUBMITTED: gettext_lazy("报表已经提交，无需重复提交。"),
    ReportState.RETURNED: gettext_lazy("报表已经退回。"),
    ReportState.APPROVED: gettext_lazy("报表已经审核通过。"),
    ReportState.REOPENED: gettext_lazy("报表已经重新打开。"),
}


def may_move(user, report, action):
    """Whether ``user`` may make this move on the report in its present state."""
    move = MOVES[WorkflowAction(action)]
    return (
        report is not None
        and report.state in move.sources
        and move.permission is not None
        and can(user, move.permission, report)
    )


def available_moves(user, report):
    """{action: True} for every move this user may make now: what the page offers."""
    return {action.value: True for action in MOVES if may_move(user, report, action)}


def today():
    return timezone.localdate()


def lock_reason(user, unit, period, report=None, on=None, deadline=None):
    """Why ``user`` cannot change this unit's figures for the period now, or ``None``.

    The deadline bars a report that was never submitted; a report the province
    returned or reopened can always be corrected. ``deadline``: the unit's
    ``submission_deadline``, when the caller has it already.
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
        if period.closed_at is not None and period.closed_at <= timezone.now():
            return _("省局已于 {date} 结束本期报送。如需补报，请联系省局。").format(
                date=timezone.localtime(period.closed_at).strftime("%Y-%m-%d %H:%M")
            )
        deadline = deadline or submission_deadline(period, unit)
        if (on or today()) > deadline:
            return _("本期报送已于 {date} 截止。如需补报，请联系省局为本单位延期。").format(
                date=deadline.isoformat()
            )
    return None


def _lock(report):
    return (
        type(report).objects.select_for_update().select_related("unit", "period").get(pk=report.pk)
    )


def lock_or_create(unit, period, user, model):
    """The unit's report for the period, created if missing (version 0: nothing saved yet), locked."""
    # Version 0 until the first save in this transaction: a form opened before the report
    # existed sends 0.
    report, created = model.objects.get_or_create(
        unit=unit, period=period, defaults={"updated_by": user, "version": 0}
    )
    return _lock(report), created


def open_report(unit, period, user, *, model, expected_version=None):
    """The unit's report for the period (created if missing), locked, at the version the user saw.

    For changes made in several steps inside one transaction (contracts, then their figures).
    ``model``: the kind of report (``register_report``): the figures, a unit's measures.
    A report created here has version 0 until its first change is saved.
    """
    report, _created = lock_or_create(unit, period, user, model)
    check_version(report, expected_version)
    return report


def check_version(report, expected_version):
    if expected_version is not None and report.version != expected_version:
        editor = report.updated_by
        who = (editor.get_full_name() or editor.get_username()) if editor else ""
        raise StaleReport(
            _("报表在您打开后已被{who}修改（{state}），请查看最新内容后再操作。").format(
                who=who or _("他人"), state=report.get_state_display()
            )
        )


def province_lock_reason(user, report, *, submitting):
    """Why the province cannot change this report's figures now (an import, a withdrawal), or None.

    ``submitting``: the change is a province import, which submits the report on the unit's
    behalf (a submitted report may then be corrected); anything else needs an editable report.
    """
    if not can(user, "reporting.import_report", report):
        return _("只有省级人员可以代各单位导入数据。")
    state = report.state if report else ReportState.DRAFT
    if state == ReportState.APPROVED:
        return _("报表已审核通过，数据已锁定。如需更正，请先重新打开。")
    if state == ReportState.SUBMITTED and not submitting:
        return _("报表已提交，正在等待审核，暂不能修改。")
    return None


def refuse(reason, user, permission, report):
    """Raise for a ``reason`` to refuse (None: nothing to refuse): 403 for someone without the
    right, else a message."""
    if reason is None:
        return
    if not can(user, permission, report):
        raise PermissionDenied(reason)
    raise WorkflowError(reason)


def touch(report, user):
    """Record that ``user`` changed the report (or its items): a new version, saved."""
    report.version += 1
    report.updated_by = user
    report._history_user = user
    report.save()


@dataclass(frozen=True)
class ReportKind:
    """What the workflow needs to know of one kind of report (the figures, a unit's measures).

    Every kind has a unit, a period, a ``state`` of ``ReportState``, a ``version``, an
    ``updated_by`` and a log ``transitions`` (rows with action, from_state, to_state, actor and
    comment); it moves by the one table ``MOVES`` through ``transition``. ``missing(report)``:
    what must be filled in before it is submitted or approved (a list of messages);
    ``warnings(report)``: what needs a written explanation (the report's ``explanation``, which
    a kind that can warn must have) before it is submitted;
    ``notify(logged)``: the e-mail a move calls for, sent once the move is committed.
    """

    missing: object
    warnings: object
    notify: object


_kinds = {}


def _nothing(report):
    return []


def register_report(model, *, notify, missing=_nothing, warnings=_nothing):
    """Let ``model`` (an app's own kind of report) move through ``transition``. By default
    nothing is missing and nothing needs explaining: an empty report is a statement too."""
    _kinds[model] = ReportKind(missing=missing, warnings=warnings, notify=notify)


def _kind_of(report):
    try:
        return _kinds[type(report)]
    except KeyError:
        raise TypeError(f"{type(report).__name__} is not a registered kind of report") from None


@transaction.atomic
def transition(report, action, user, comment="", expected_version=None, on=None, notify=True):
    """Move a report through the workflow (a move of ``MOVES``): the one door for state changes.

    Checks the move table, the user's right, the version, the comment, and for a
    submission the content, the warnings and the deadline; then saves, logs the move and
    (once committed) notifies. Any registered kind of report (``register_report``) moves
    here. Returns the logged move.
    """
    kind = _kind_of(report)
    move = MOVES[WorkflowAction(action)]
    report = _lock(report)
    _check_move(report, move, user, expected_version)
    comment = (comment or "").strip()
    if move.needs_comment and not comment:
        raise WorkflowError(_("请填写{action}的原因。").format(action=WorkflowAction(action).label))
    if move.action == WorkflowAction.SUBMIT:
        _check_submittable(report, kind, user, on)
    elif move.target in (ReportState.SUBMITTED, ReportState.APPROVED):
        _check_complete(report, kind)

    from_state = report.state
    report.state = move.target
    touch(report, user)
    logged = report.transitions.create(
        action=move.action,
        from_state=from_state,
        to_state=move.target,
        actor=user,
        comment=comment,
    )
    if notify and move.notify:
        transaction.on_commit(lambda: kind.notify(logged))
    return logged


def _check_move(report, move, user, expected_version):
    """Raise unless ``user`` may make ``move`` on the report as it stands, at the version seen."""
    if report.state == move.target and report.state not in move.sources:
        raise AlreadyDone(_ALREADY[move.target])
    if move.permission is None:
        if user is not None:  # a command's move, never a person's
            raise PermissionDenied(_("您没有权限执行此操作。"))
    elif not can(user, move.permission, report):
        raise PermissionDenied(_("您没有权限执行此操作。"))
    check_version(report, expected_version)
    if report.state not in move.sources:
        raise WorkflowError(
            _("报表当前状态为“{state}”，不能{action}。").format(
                state=report.get_state_display(), action=WorkflowAction(move.action).label
            )
        )


def _check_complete(report, kind):
    missing = kind.missing(report)
    if missing:
        raise WorkflowError(join_clauses(missing))


def _check_submittable(report, kind, user, on):
    if report.state == ReportState.DRAFT:
        reason = lock_reason(user, report.unit, report.period, report, on=on)
        if reason:
            raise WorkflowError(reason)
    _check_complete(report, kind)
    warnings = kind.warnings(report)
    if warnings and not report.explanation.strip():
        raise WorkflowError(
            _("以下情况须在“上报说明”中说明原因后才能提交：{warnings}").format(
                warnings=join_clauses(warnings)
            )
        )


def approve_many(selection, user):
    """Approve several reports, each at the version the reviewer saw, each in its own transaction.

    ``selection``: (report, version seen) pairs. A report changed since (returned and
    resubmitted, say) is skipped and named. Returns (approved, refused messages).
    """
    approved, refused = [], []
    for report, version in selection:
        try:
            transition(report, WorkflowAction.APPROVE, user, expected_version=version)
        except (WorkflowError, PermissionDenied) as error:
            refused.append(_approval_refused(report, error))
        else:
            approved.append(report)
    return approved, refused


def approval_refusals(selection, user):
    """What ``approve_many`` would refuse now, changing nothing: {report pk: message}.

    The confirmation step of a bulk approval lists these before the reviewer confirms; the
    reports are read as they are (load them with ``updated_by``), not locked.
    """
    move = MOVES[WorkflowAction.APPROVE]
    refused = {}
    for report, version in selection:
        try:
            _check_move(report, move, user, version)
        except (WorkflowError, PermissionDenied) as error:
            refused[report.pk] = _approval_refused(report, error)
    return refused


def _approval_refused(report, error):
    """Why one report of a bulk approval was not approved, naming its unit."""
    if isinstance(error, StaleReport):
        return _("{unit}：{reason}未审核通过。").format(unit=report.unit, reason=error.message)
    return _("{unit}：{reason}").format(unit=report.unit, reason=getattr(error, "message", error))
