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
from audit.models import Event
from audit.services import record
from lib.wording import join_sentences
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
    # The rule the actor must pass, by its verb (each kind of report names its own rules:
    # ``edit`` is ``reporting.edit_report`` for the figures, ``measures.edit_report`` for the
    # measures); None: no person may, only a management command (actor None).
    verb: str | None
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
        "edit",
    ),
    WorkflowAction.RETURN: Move(
        WorkflowAction.RETURN,
        frozenset({ReportState.SUBMITTED}),
        ReportState.RETURNED,
        "review",
        needs_comment=True,
    ),
    WorkflowAction.APPROVE: Move(
        WorkflowAction.APPROVE,
        frozenset({ReportState.SUBMITTED}),
        ReportState.APPROVED,
        "review",
    ),
    WorkflowAction.REOPEN: Move(
        WorkflowAction.REOPEN,
        frozenset({ReportState.APPROVED}),
        ReportState.REOPENED,
        "review",
        needs_comment=True,
    ),
    # The province imports a unit's figures from a file: the report is submitted on the unit's
    # behalf. Not bound by the deadline (the province enters what reached it by other channels);
    # an approved report must be reopened first.
    WorkflowAction.IMPORT: Move(
        WorkflowAction.IMPORT,
        frozenset({*ReportState.editable(), ReportState.SUBMITTED}),
        ReportState.SUBMITTED,
        "import",
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
REVIEW_ACTIONS = tuple(action for action, move in MOVES.items() if move.verb == "review")

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
        and move.verb is not None
        and can(user, report.rule(move.verb), report)
    )


def available_moves(user, report):
    """{action: True} for every move this user may make now: what the page offers."""
    return {action.value: True for action in MOVES if may_move(user, report, action)}


def today():
    return timezone.localdate()


def lock_reason(user, unit, period, report=None, *, model=None, on=None, deadline=None):
    """Why ``user`` cannot change this unit's report for the period now, or ``None``.

    ``report``: the unit's report, or None when it has none yet (then ``model`` names its
    kind). The deadline bars a report that was never submitted; a report the province
    returned or reopened can always be corrected. ``deadline``: the unit's
    ``submission_deadline``, when the caller has it already.
    """
    model = type(report) if report is not None else model
    if not can(user, model.rule("edit"), report or unit):
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


def lock(report):
    """The report, read again with its row locked until the transaction ends. A change of a
    report and its items locks the report first, before any of its items: one lock order
    everywhere, so that two changes of one report wait for each other instead of deadlocking."""
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
    return lock(report), created


def open_report(unit, period, user, *, model, expected_version=None):
    """The unit's report for the period (created if missing), locked, at the version the user saw.

    For changes made in several steps inside one transaction (contracts, then their figures).
    ``model``: the kind of report (a ``UnitReport``): the figures, a unit's measures.
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


def province_lock_reason(user, report, *, submitting, model=None):
    """Why the province cannot change this report now (an import, a withdrawal), or None.

    ``submitting``: the change is a province import, which submits the report on the unit's
    behalf (a submitted report may then be corrected); anything else needs an editable report.
    ``report``: None when the unit has none yet (then ``model`` names its kind).
    """
    model = type(report) if report is not None else model
    if not can(user, model.rule("import"), report):
        return _("只有省级人员可以代各单位导入数据。")
    state = report.state if report else ReportState.DRAFT
    if state == ReportState.APPROVED:
        return _("报表已审核通过，数据已锁定。如需更正，请先重新打开。")
    if state == ReportState.SUBMITTED and not submitting:
        return _("报表已提交，正在等待审核，暂不能修改。")
    return None


def refuse(reason, user, verb, report):
    """Raise for a ``reason`` to refuse (None: nothing to refuse): 403 for someone without the
    right (the report's rule of ``verb``), else a message."""
    if reason is None:
        return
    if not can(user, report.rule(verb), report):
        raise PermissionDenied(reason)
    raise WorkflowError(reason)


def touch(report, user):
    """Record that ``user`` changed the report (or its items): a new version, saved."""
    report.version += 1
    report.updated_by = user
    report._history_user = user
    report.save()


@transaction.atomic
def transition(report, action, user, comment="", expected_version=None, on=None, notify=True):
    """Move a report through the workflow (a move of ``MOVES``): the one door for state changes.

    Checks the move table, the user's right, the version, the comment, and for a
    submission the content, the warnings and the deadline; then saves, logs the move and
    (once committed) notifies. Any kind of report (a ``UnitReport``) moves here, asked for
    what differs through its ``WorkflowHooks``. Returns the logged move.
    """
    move = MOVES[WorkflowAction(action)]
    report = lock(report)
    _check_move(report, move, user, expected_version)
    comment = (comment or "").strip()
    if move.needs_comment and not comment:
        raise WorkflowError(_("请填写{action}的原因。").format(action=WorkflowAction(action).label))
    if move.action == WorkflowAction.SUBMIT:
        _check_submittable(report, user, on)
    elif move.target in (ReportState.SUBMITTED, ReportState.APPROVED):
        _check_complete(report)

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
    # In the move's transaction, after the report's row (the one lock order): no move without
    # its line in the audit trail.
    record(
        Event.WORKFLOW_MOVE,
        user=user,
        obj=report,
        details={
            "move": WorkflowAction(move.action).label,
            "from": ReportState(from_state).label,
            "to": ReportState(move.target).label,
        },
    )
    if notify and move.notify:
        transaction.on_commit(lambda: report.notify(logged))
    return logged


def _check_move(report, move, user, expected_version):
    """Raise unless ``user`` may make ``move`` on the report as it stands, at the version seen."""
    if report.state == move.target and report.state not in move.sources:
        raise AlreadyDone(_ALREADY[move.target])
    if move.verb is None:
        if user is not None:  # a command's move, never a person's
            raise PermissionDenied(_("您没有权限执行此操作。"))
    elif not can(user, report.rule(move.verb), report):
        raise PermissionDenied(_("您没有权限执行此操作。"))
    check_version(report, expected_version)
    if report.state not in move.sources:
        raise WorkflowError(
            _("报表当前状态为“{state}”，不能{action}。").format(
                state=report.get_state_display(), action=WorkflowAction(move.action).label
            )
        )


def _check_complete(report):
    missing = report.missing()
    if missing:
        raise WorkflowError(join_sentences(missing))


def _check_submittable(report, user, on):
    if report.state == ReportState.DRAFT:
        reason = lock_reason(user, report.unit, report.period, report, on=on)
        if reason:
            raise WorkflowError(reason)
    _check_complete(report)
    warnings = report.warnings()
    if warnings and not report.explanation.strip():
        raise WorkflowError(
            _("以下情况须在“上报说明”中说明原因后才能提交：{warnings}").format(
                warnings=join_sentences(warnings)
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
