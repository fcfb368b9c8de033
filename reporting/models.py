"""A unit's pledge-financing figures per period (patent and trademark), the peer provinces'
published figures, and the reminders sent about reports not yet submitted."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cities.models import ReportingUnit
from periods.models import ReportingPeriod
from workflow.models import LoggedMove, ReportState, UnitReport

# Amounts are 万元 with two decimals: up to 999,999,999,999.99 万元 fits.
AMOUNT_FIELD = {"max_digits": 14, "decimal_places": 2}


class IPKind(models.TextChoices):
    PATENT = "patent", _("专利")
    TRADEMARK = "trademark", _("商标")

    @property
    def amount_heading(self):
        """The amount column's heading, as 豫知〔2021〕8号 prints it for this kind."""
        return {
            IPKind.PATENT: _("质押金额（万元）"),
            IPKind.TRADEMARK: _("金额（万元）"),
        }[self]

    @property
    def items_heading(self):
        return {IPKind.PATENT: _("专利数"), IPKind.TRADEMARK: _("商标件数")}[self]


def table_title(period, kind):
    """``2020年河南省专利质押融资统计表``."""
    return _("{period}河南省{kind}质押融资统计表").format(
        period=period.label, kind=IPKind(kind).label
    )


def open_table_title(period, kind):
    """The title while reporting is still open, marked as the province chose
    (``OPEN_TABLE_MARK``): 初步统计表, or （征求意见稿） after the title."""
    if settings.OPEN_TABLE_MARK == "consultation":
        return _("{title}（征求意见稿）").format(title=table_title(period, kind))
    return _("{period}河南省{kind}质押融资初步统计表").format(
        period=period.label, kind=IPKind(kind).label
    )


class PledgeReport(UnitReport):
    """One unit's pledge-financing figures for one period, patent and trademark together."""

    unit = models.ForeignKey(
        ReportingUnit, on_delete=models.PROTECT, related_name="reports", verbose_name=_("填报单位")
    )
    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("报送周期"),
    )
    explanation = models.TextField(
        _("上报说明"),
        blank=True,
        help_text=_("数据与上年同期相比变动超过 ±50%，或有项目而无惠及企业时，须在此说明原因。"),
    )

    # Named here: django-simple-history would call it "historical 质押融资报表", in no language.
    history = HistoricalRecords(
        excluded_fields=["version", "updated_at", "created_at"],
        verbose_name=_("质押融资报表的历史版本"),
        verbose_name_plural=_("质押融资报表的历史版本"),
    )

    class Meta:
        ordering = ["period", "unit__code"]
        verbose_name = _("质押融资报表")
        verbose_name_plural = _("质押融资报表")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period"],
                name="report_unique_per_unit_and_period",
                violation_error_message=_("该单位在该周期已有报表。"),
            ),
        ]

    def __str__(self):
        return f"{self.unit} · {self.period}"

    def figures_by_kind(self):
        return {figure.kind: figure for figure in self.figures.all()}

    @cached_property
    def year_earlier(self):
        """The same period a year earlier (or None) and this unit's figures in it, by kind.

        Fetched once per report object: the warnings and the comparison both need it.
        """
        return figures_a_year_earlier(self.unit_id, self.period)

    # The workflow's hooks (``workflow.models.WorkflowHooks``).

    def missing(self):
        from .services import missing_figures

        return missing_figures(self)

    def warnings(self):
        from .services import submission_warnings

        return submission_warnings(self)

    def notify(self, move):
        from .notifications import notify_transition

        notify_transition(move)


def figures_a_year_earlier(unit_id, period):
    """The same period a year earlier (or None) and the unit's approved figures in it, by kind:
    what a report is compared with (its warnings, its page), and what its form shows before the
    report exists. Figures not approved (a draft, a report returned or reopened) are no
    comparison: they may still change."""
    earlier = period.year_earlier()
    if earlier is None:
        return None, {}
    figures = PledgeFigures.objects.filter(
        report__unit_id=unit_id, report__period=earlier, report__state__in=ReportState.final()
    )
    return earlier, {figure.kind: figure for figure in figures}


# The figures a report gives for each kind, in the order forms, histories and comparisons show them.
FIGURE_FIELDS = ("amount", "projects", "items", "enterprises", "smes", "inclusive_projects")


class FigureSource(models.TextChoices):
    """Where a kind's figures come from: typed (form, table import) or summed from line items."""

    TYPED = "typed", _("填报")
    DERIVED = "derived", _("由质押合同汇总")


class PledgeFigures(models.Model):
    """Amount, projects and items pledged for one kind of IP within a report."""

    report = models.ForeignKey(
        PledgeReport, on_delete=models.CASCADE, related_name="figures", verbose_name=_("报表")
    )
    kind = models.CharField(_("类别"), max_length=20, choices=IPKind.choices)
    amount = models.DecimalField(
        _("质押金额（万元）"),
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
        **AMOUNT_FIELD,
    )
    projects = models.PositiveIntegerField(_("项目数"), default=0)
    items = models.PositiveIntegerField(_("质押件数"), default=0, help_text=_("专利数或商标件数"))
    enterprises = models.PositiveIntegerField(_("惠及企业数"), null=True, blank=True)
    smes = models.PositiveIntegerField(_("其中中小微企业数"), null=True, blank=True)
    inclusive_projects = models.PositiveIntegerField(
        _("普惠项目数"), null=True, blank=True, help_text=_("单笔金额低于 1000 万元的项目")
    )
    # Never both: derived figures change only by importing or withdrawing their line items.
    source = models.CharField(
        _("数据来源"), max_length=10, choices=FigureSource.choices, default=FigureSource.TYPED
    )

    history = HistoricalRecords(
        verbose_name=_("质押融资数据的历史版本"),
        verbose_name_plural=_("质押融资数据的历史版本"),
    )

    class Meta:
        ordering = ["report", "kind"]
        verbose_name = _("质押融资数据")
        verbose_name_plural = _("质押融资数据")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "kind"],
                name="figures_unique_per_report_and_kind",
                violation_error_message=_("该报表已有此类别的数据。"),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="figures_amount_not_negative",
                violation_error_message=_("质押金额不能为负数。"),
            ),
            models.CheckConstraint(
                condition=Q(amount=0, projects=0) | Q(amount__gt=0, projects__gt=0),
                name="figures_amount_iff_projects",
                violation_error_message=_("质押金额大于 0 与项目数大于 0 必须同时成立。"),
            ),
            models.CheckConstraint(
                condition=Q(items__gte=F("projects")),
                name="figures_items_at_least_projects",
                violation_error_message=_("质押件数不能少于项目数。"),
            ),
            models.CheckConstraint(
                condition=Q(enterprises__isnull=True) | Q(enterprises__lte=F("projects")),
                name="figures_enterprises_at_most_projects",
                violation_error_message=_("惠及企业数不能多于项目数。"),
            ),
            models.CheckConstraint(
                condition=Q(smes__isnull=True)
                | Q(enterprises__isnull=False, smes__lte=F("enterprises")),
                name="figures_smes_within_enterprises",
                violation_error_message=_("中小微企业数不能多于惠及企业数。"),
            ),
            models.CheckConstraint(
                condition=Q(inclusive_projects__isnull=True)
                | Q(inclusive_projects__lte=F("projects")),
                name="figures_inclusive_within_projects",
                violation_error_message=_("普惠项目数不能多于项目数。"),
            ),
        ]

    def __str__(self):
        return f"{self.report} · {self.get_kind_display()}"

    def clean(self):
        super().clean()
        validate_figures(
            self.kind,
            self.amount,
            self.projects,
            self.items,
            enterprises=self.enterprises,
            smes=self.smes,
            inclusive_projects=self.inclusive_projects,
        )


def validate_figures(
    kind, amount, projects, items, enterprises=None, smes=None, inclusive_projects=None
):
    """The rules every set of figures obeys, with messages naming the field at fault."""
    errors = {}
    items_label = IPKind(kind).items_heading if kind in IPKind.values else _("质押件数")
    if amount is not None and amount < 0:
        errors["amount"] = _("质押金额不能为负数。")
    if projects is not None and projects < 0:
        errors["projects"] = _("项目数不能为负数。")
    if items is not None and items < 0:
        errors["items"] = _("{items}不能为负数。").format(items=items_label)
    if errors or None in (amount, projects, items):
        if errors:
            raise ValidationError(errors)
        return
    if projects > 0 and amount == 0:
        errors["amount"] = _("有质押项目时，质押金额必须大于 0。")
    elif amount > 0 and projects == 0:
        errors["projects"] = _("质押金额大于 0 时，项目数至少为 1。")
    if items < projects:
        errors["items"] = _(
            "{items}（{count}）不能少于项目数（{projects}）：每个项目至少质押 1 件。"
        ).format(items=items_label, count=items, projects=projects)
    if enterprises is not None and enterprises > projects:
        errors["enterprises"] = _("惠及企业数（{count}）不能多于项目数（{projects}）。").format(
            count=enterprises, projects=projects
        )
    if smes is not None and enterprises is None:
        errors["smes"] = _("填写中小微企业数时，须同时填写惠及企业数。")
    elif smes is not None and smes > enterprises:
        errors["smes"] = _("中小微企业数（{count}）不能多于惠及企业数（{enterprises}）。").format(
            count=smes, enterprises=enterprises
        )
    if inclusive_projects is not None and inclusive_projects > projects:
        errors["inclusive_projects"] = _(
            "普惠项目数（{count}）不能多于项目数（{projects}）。"
        ).format(count=inclusive_projects, projects=projects)
    if errors:
        raise ValidationError(errors)


class ProvinceBenchmark(models.Model):
    """Another province's published pledge figures, for comparison with Henan's."""

    province = models.CharField(_("省份"), max_length=20)
    year = models.PositiveSmallIntegerField(
        _("年份"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    kind = models.CharField(_("类别"), max_length=20, choices=IPKind.choices)
    items = models.PositiveIntegerField(_("质押数（件）"))
    amount = models.DecimalField(
        _("质押金额（万元）"), validators=[MinValueValidator(0)], **AMOUNT_FIELD
    )
    source = models.CharField(_("来源"), max_length=200, blank=True)

    class Meta:
        ordering = ["-year", "kind", "-amount"]
        verbose_name = _("外省对标数据")
        verbose_name_plural = _("外省对标数据")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year", "kind"],
                name="benchmark_unique",
                violation_error_message=_("该省份该年度该类别的数据已存在。"),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="benchmark_amount_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.province} {self.year} {self.get_kind_display()}"

    @property
    def amount_yi(self):
        """The amount in 亿元, as circulars quote it (2005400 万元 → 200.54)."""
        return self.amount / Decimal(10000)


class ReportTransition(LoggedMove):
    """Append-only log of a report's state changes."""

    report = models.ForeignKey(
        PledgeReport, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("报表")
    )

    class Meta(LoggedMove.Meta):
        verbose_name = _("状态变更记录")
        verbose_name_plural = _("状态变更记录")


class DeadlineReminder(models.Model):
    """A reminder sent: one per unit, period, deadline and day, however often the job runs."""

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="+", verbose_name=_("报送周期")
    )
    unit = models.ForeignKey(
        ReportingUnit, on_delete=models.CASCADE, related_name="+", verbose_name=_("填报单位")
    )
    deadline = models.DateField(_("截止日期"))
    days = models.SmallIntegerField(_("距截止天数"))  # negative: days overdue
    recipients = models.PositiveSmallIntegerField(_("收件人数"), default=0)
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("截止提醒")
        verbose_name_plural = _("截止提醒")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "unit", "deadline", "days"], name="reminder_sent_once"
            ),
        ]

    def __str__(self):
        return f"{self.unit} · {self.period} · {self.deadline} ({self.days:+d})"
