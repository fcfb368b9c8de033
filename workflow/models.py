"""The one workflow every kind of a unit's report moves through (its figures, its measures).

Its states and moves, and abstract bases: ``UnitReport`` (a state, a version, who changed it
last) and ``LoggedMove`` (a row of a report's append-only log of moves). A kind of report
subclasses both and adds its unit and period.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.roles import is_provincial


class ReportState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("report state", "草稿")
    SUBMITTED = "submitted", pgettext_lazy("report state", "已提交")
    RETURNED = "returned", pgettext_lazy("report state", "已退回")
    APPROVED = "approved", pgettext_lazy("report state", "已审核")
    # Approved, then reopened by the province for a correction: its figures are withdrawn from
    # the tables until it is approved again.
    REOPENED = "reopened", pgettext_lazy("report state", "更正中")

    @classmethod
    def editable(cls):
        """States in which the unit may change its figures."""
        return [cls.DRAFT, cls.RETURNED, cls.REOPENED]

    @classmethod
    def final(cls):
        """States whose figures are official and count in the ranked tables."""
        return [cls.APPROVED]

    @classmethod
    def provisional(cls):
        """States counted in the reviewers' provisional view."""
        return [cls.SUBMITTED, cls.APPROVED]


class UnitReportQuerySet(models.QuerySet):
    def for_user(self, user):
        """The reports this user may see: every report for provincial staff, else their units' own."""
        if is_provincial(user):
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(unit__submitters=user)

    def unsubmitted_drafts(self):
        return self.filter(state=ReportState.DRAFT)

    def approved(self):
        """Reports whose figures are final: those the tables count."""
        return self.filter(state__in=ReportState.final())


class WorkflowHooks:
    """What the workflow (``services.transition``) asks of a kind of report: each kind overrides
    what differs. By default nothing is missing and nothing needs explaining: an empty report
    is a statement too."""

    def missing(self):
        """What must be filled in before the report is submitted or approved (messages)."""
        return []

    def warnings(self):
        """What needs a written explanation (the report's ``explanation``, which a kind that
        warns must have) before the report is submitted (messages)."""
        return []

    def notify(self, move):
        """Send the e-mail a logged ``move`` calls for; called once the move is committed."""
        raise NotImplementedError(f"{type(self).__name__} says nobody about its moves")

    @classmethod
    def rule(cls, verb):
        """The name of this kind's rule of ``verb`` in ``accounts.roles``: ``edit`` is
        ``reporting.edit_report`` for the figures, ``measures.edit_report`` for the measures."""
        return f"{cls._meta.app_label}.{verb}_report"


class UnitReport(WorkflowHooks, models.Model):
    """What every kind of a unit's report for a period has (its figures, its measures): a state
    of the one workflow, a version, who changed it last, and a log ``transitions`` of its moves.
    A kind adds its ``unit`` and ``period`` and overrides the ``WorkflowHooks`` it needs."""

    state = models.CharField(
        _("状态"), max_length=20, choices=ReportState.choices, default=ReportState.DRAFT
    )
    # Bumped by every change: a form or action based on an older version is refused (no lost updates).
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("最后修改人"),
    )

    objects = UnitReportQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_unsubmitted_draft(self):
        """Never submitted: what it says is its unit's alone (the rule
        ``<app>.view_content_report``)."""
        return self.state == ReportState.DRAFT

    def return_reason(self):
        """Why the province returned or reopened this report, while it is so; else None."""
        sent_back = [ReportState.RETURNED, ReportState.REOPENED]
        if self.state not in sent_back:
            return None
        moves = self.transitions.filter(to_state__in=sent_back).order_by("-at")
        return moves.values_list("comment", flat=True).first()


class WorkflowAction(models.TextChoices):
    SAVE = "save", _("保存")
    SUBMIT = "submit", _("提交")
    RETURN = "return", _("退回")
    APPROVE = "approve", _("审核通过")
    REOPEN = "reopen", _("重新打开")
    # The province enters a unit's figures from a file: the report counts as submitted.
    IMPORT = "import", _("省局导入")
    # Figures already published in a circular, loaded by a command: final at once.
    LOAD_PUBLISHED = "load_published", _("载入已发布数据")


class LoggedMove(models.Model):
    """A row of a report's append-only log of moves: who, when, from, to, why (each kind of
    report has its log, with its ``report``)."""

    action = models.CharField(_("操作"), max_length=20, choices=WorkflowAction.choices)
    from_state = models.CharField(_("原状态"), max_length=20, choices=ReportState.choices)
    to_state = models.CharField(_("新状态"), max_length=20, choices=ReportState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    comment = models.TextField(_("意见或原因"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.report}: {self.get_from_state_display()} → {self.get_to_state_display()}"
