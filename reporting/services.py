"""What changes a unit's figures. Views, commands, imports and the admin call these; none
writes around them. The report's state moves through ``workflow.services.transition``."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lib.numbers import CENT, growth
from lib.wording import join_names
from workflow.models import ReportState, WorkflowAction
from workflow.services import (
    WorkflowError,
    check_version,
    lock_or_create,
    lock_reason,
    province_lock_reason,
    refuse,
    touch,
    transition,
)

from .models import (
    FIGURE_FIELDS,
    FigureSource,
    IPKind,
    PledgeFigures,
    PledgeReport,
)
from .queries import figure_label, show_figure


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


# A change against the same period a year earlier beyond ±this many percent (``growth``, rounded
# half up to one decimal) must be explained; so must a figure that was 0 then. The report form
# warns by the same rule as the clerk types.
CHANGE_NEEDING_EXPLANATION = 50
COMPARED_FIELDS = ("amount", "projects", "items")


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
        for field in COMPARED_FIELDS:
            old, new = getattr(before, field), getattr(figure, field)
            change = growth(new, old)
            if change.new:
                warnings.append(_new_figure_warning(kind, field, show_figure(new)))
            elif change.is_number and abs(change.percent) > CHANGE_NEEDING_EXPLANATION:
                warnings.append(_change_warning(kind, field, show_figure(old), change))
    return warnings


def change_warning_texts(kind, field, old):
    """The two warnings of ``submission_warnings`` for one figure whose value a year earlier was
    ``old``, with ``{new}`` and ``{change}`` left for the report form's script to fill in."""
    kind = IPKind(kind)
    return {
        "new": _new_figure_warning(kind, field, "{new}"),
        "change": _change_warning(kind, field, show_figure(old), "{change}"),
    }


def _new_figure_warning(kind, field, new):
    return _("{kind}：{label}上年同期为 0，本期为 {new}。").format(
        kind=kind.label, label=figure_label(kind, field), new=new
    )


def _change_warning(kind, field, old, change):
    return _("{kind}：{label}较上年同期（{old}）变动 {change}。").format(
        kind=kind.label, label=figure_label(kind, field), old=old, change=change
    )


def source_conflict(figure, kind, source, *, replace_source=False, new=None):
    """Why figures from ``source`` may not replace the stored ``figure`` of ``kind``, or None.

    A kind's figures come either from the form and tables or from pledge contracts, never
    both silently: typed figures cannot overwrite derived ones, and contracts replace typed
    figures only when the user confirmed it (``replace_source``) or nothing would change.
    """
    if figure is None or figure.source == source or replace_source:
        return None
    kind = IPKind(kind)
    if figure.source == FigureSource.DERIVED:
        return _(
            "{kind}数据由质押合同汇总，不能直接填写或用统计表导入；请重新导入质押合同，或先撤回已导入的合同。"
        ).format(kind=kind.label)
    if new is not None and figure.pk and _stored(figure) == new.as_tuple():
        return None
    return _("导入的质押合同将替换手工填写的{kind}数据，须确认后才能导入。").format(kind=kind.label)


def _stored(figure):
    return tuple(getattr(figure, name) for name in FIGURE_FIELDS)


@transaction.atomic
def save_figures(
    user,
    unit,
    period,
    figures_by_kind,
    explanation=None,
    expected_version=None,
    *,
    source=FigureSource.TYPED,
    replace_source=False,
    on_behalf=False,
):
    """Save a unit's figures for a period, without changing its state (creating it on first save).

    The unit's own submitter saves while the report is editable and, for a draft, before
    the deadline; the province (``on_behalf``) changes an editable report's figures, e.g.
    withdrawing contracts it imported. ``expected_version`` is the report version the user's
    form was based on (0 for a report that did not exist yet). A kind given as None loses its
    figures. Returns the report.
    """
    report, created = lock_or_create(unit, period, user, PledgeReport)
    check_version(report, expected_version)
    if on_behalf:
        reason = province_lock_reason(user, report, submitting=False)
        refuse(reason, user, "import", report)
    else:
        reason = lock_reason(user, unit, period, None if created else report, model=PledgeReport)
        refuse(reason, user, "edit", report)

    changed = bool(_write_figures(report, figures_by_kind, user, source, replace_source))
    if explanation is not None and explanation != report.explanation:
        report.explanation = explanation
        changed = True
    if changed or created:
        touch(report, user)
    return report


@transaction.atomic
def import_figures(
    user,
    unit,
    period,
    figures_by_kind,
    *,
    filename,
    expected_version=None,
    source=FigureSource.TYPED,
    replace_source=False,
    approve=False,
):
    """The province enters a unit's figures from a file (a table or its pledge contracts).

    The figures are saved; once the report has both kinds it is submitted on the unit's
    behalf (the move 省局导入, logged with the file's name, the unit told by e-mail), and
    approved as well with ``approve`` (reviewers only). Returns the report.
    """
    report, created = lock_or_create(unit, period, user, PledgeReport)
    check_version(report, expected_version)
    refuse(province_lock_reason(user, report, submitting=True), user, "import", report)
    changed = _write_figures(report, figures_by_kind, user, source, replace_source)
    whole = not missing_kinds(report)
    # The move itself bumps the version and records who; a report left incomplete is touched.
    if whole and (changed or report.state != ReportState.SUBMITTED):
        comment = _("从文件“{name}”导入").format(name=filename)
        transition(report, WorkflowAction.IMPORT, user, comment=comment)
    elif changed or created:
        touch(report, user)
    if approve and whole:
        transition(report, WorkflowAction.APPROVE, user, comment=_("导入时审核通过"))
    return report


def missing_kinds(report):
    """The kinds the report gives no figures for (it cannot be submitted until it does)."""
    present = set(report.figures.values_list("kind", flat=True))
    return [kind for kind in IPKind if kind.value not in present]


def _write_figures(report, figures_by_kind, user, source, replace_source):
    """Validate every kind's figures, then write the ones that changed, and return those."""
    existing = report.figures_by_kind()
    pending, removed, errors = [], [], {}
    for kind, values in figures_by_kind.items():
        kind = IPKind(kind)
        figure = existing.get(kind)
        conflict = source_conflict(figure, kind, source, replace_source=replace_source, new=values)
        if conflict:
            raise WorkflowError(conflict)
        if values is None:
            if figure is not None:
                removed.append(figure)
            continue
        figure = figure or PledgeFigures(report=report, kind=kind)
        new = values.as_tuple()
        if figure.pk and _stored(figure) == new and figure.source == source:
            continue
        for field, value in zip(FIGURE_FIELDS, new, strict=True):
            setattr(figure, field, value)
        figure.source = source
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
    for figure in removed:
        figure._history_user = user
        figure.delete()
    return pending + removed


def missing_figures(report):
    """Why a report of figures cannot be submitted yet: a kind without figures."""
    missing = missing_kinds(report)
    if not missing:
        return []
    return [
        _("请先填写并保存{kinds}数据（没有发生请填 0）。").format(
            kinds=join_names(kind.label for kind in missing)
        )
    ]


@transaction.atomic
def record_published_figures(unit, period, figures_by_kind):
    """Store figures that were already published (e.g. a past circular) as final data.

    A command's move (载入已发布数据, no actor, no e-mail). Every figure is validated
    before anything is written; re-running with the same figures changes nothing; an
    approved report is left as it is. Returns the number of figure rows created or changed.
    """
    report, created = lock_or_create(unit, period, None, PledgeReport)
    if report.state == ReportState.APPROVED:
        return 0
    changed = _write_figures(report, figures_by_kind, None, FigureSource.TYPED, False)
    if changed or created:
        touch(report, None)
    transition(report, WorkflowAction.LOAD_PUBLISHED, None, comment=_("载入已发布的数据"))
    return len(changed)
