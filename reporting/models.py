import datetime
import re
from calendar import monthrange
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, Max, Q, Value, When
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.roles import is_provincial
from cities.models import ReportingUnit

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


class Granularity(models.TextChoices):
    YEAR = "year", _("年度")
    HALF = "half", _("半年")
    QUARTER = "quarter", _("季度")
    MONTH = "month", _("月度")

    @property
    def periods_per_year(self):
        return {"year": 1, "half": 2, "quarter": 4, "month": 12}[self.value]


_SLUG = re.compile(
    r"^(?P<year>\d{4})(?:H(?P<half>[12])|Q(?P<quarter>[1-4])|-(?P<month>0[1-9]|1[0-2]))?$"
)
PERIOD_SLUG_REGEX = r"\d{4}(?:H[12]|Q[1-4]|-(?:0[1-9]|1[0-2]))?"

_HALF_LABELS = {1: _("{year}年上半年"), 2: _("{year}年下半年")}
_QUARTER_LABELS = {
    1: _("{year}年第一季度"),
    2: _("{year}年第二季度"),
    3: _("{year}年第三季度"),
    4: _("{year}年第四季度"),
}


def parse_period_slug(slug):
    """``2020`` → (2020, year, 1); ``2021H1``, ``2021Q3``, ``2021-03`` likewise.

    Raises ``ValueError`` for anything else.
    """
    match = _SLUG.match(slug or "")
    if not match:
        raise ValueError(f"not a period slug: {slug!r}")
    year = int(match["year"])
    for granularity, group in (
        (Granularity.HALF, "half"),
        (Granularity.QUARTER, "quarter"),
        (Granularity.MONTH, "month"),
    ):
        if match[group]:
            return year, granularity, int(match[group])
    return year, Granularity.YEAR, 1


# Time order of periods, computed from what a period is: its year, the month it starts in, and
# (for periods starting together: 2021, 2021H1, 2021Q1, 2021-01) its length.
START_MONTH = Case(
    When(granularity=Granularity.HALF, then=(F("number") - 1) * 6 + 1),
    When(granularity=Granularity.QUARTER, then=(F("number") - 1) * 3 + 1),
    When(granularity=Granularity.MONTH, then=F("number")),
    default=Value(1),
    output_field=models.PositiveSmallIntegerField(),
)
LENGTH_IN_MONTHS = Case(
    When(granularity=Granularity.HALF, then=Value(6)),
    When(granularity=Granularity.QUARTER, then=Value(3)),
    When(granularity=Granularity.MONTH, then=Value(1)),
    default=Value(12),
    output_field=models.PositiveSmallIntegerField(),
)


class ReportingPeriodQuerySet(models.QuerySet):
    def with_last_deadline(self):
        """Periods that know their latest extension, so ``is_closed`` needs no query per period."""
        periods = self.annotate(latest_extension=Max("extensions__until"))
        # Django leaves Meta.ordering out of a query that aggregates: keep the time order.
        return periods if self.query.order_by else periods.order_by(*self.model._meta.ordering)

    def by_slug(self, slug):
        """Filter on a slug such as ``2021Q3``; an invalid slug matches nothing."""
        try:
            year, granularity, number = parse_period_slug(slug)
        except ValueError:
            return self.none()
        return self.filter(year=year, granularity=granularity, number=number)


class ReportingPeriod(models.Model):
    """A reporting period: a year first, or a half-year, quarter or month of one."""

    year = models.PositiveSmallIntegerField(
        _("年份"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    granularity = models.CharField(
        _("周期类型"), max_length=10, choices=Granularity.choices, default=Granularity.YEAR
    )
    number = models.PositiveSmallIntegerField(
        _("序号"), default=1, help_text=_("年度填 1；半年 1–2；季度 1–4；月度 1–12。")
    )
    opens_on = models.DateField(_("开始填报日期"))
    deadline = models.DateField(_("截止日期"))
    closed_at = models.DateTimeField(
        _("提前结束报送时间"),
        null=True,
        blank=True,
        help_text=_(
            "省局提前结束本周期的报送时填写。留空时，截止日期（含各单位的延期）过后报送自动结束。"
        ),
    )

    # Computed by the database from what the period is, so that every list sorts in time order.
    start_month = models.GeneratedField(
        expression=START_MONTH, output_field=models.PositiveSmallIntegerField(), db_persist=True
    )
    length_in_months = models.GeneratedField(
        expression=LENGTH_IN_MONTHS,
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        # Newest first, in time order: 2021Q3 before 2021H1; a year before its halves, quarters
        # and months (it ends last).
        ordering = ["-year", "-start_month", "-length_in_months"]
        verbose_name = _("报送周期")
        verbose_name_plural = _("报送周期")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "granularity", "number"],
                name="period_unique",
                violation_error_message=_("该报送周期已存在。"),
            ),
            models.CheckConstraint(
                condition=(
                    Q(granularity=Granularity.YEAR, number=1)
                    | Q(granularity=Granularity.HALF, number__gte=1, number__lte=2)
                    | Q(granularity=Granularity.QUARTER, number__gte=1, number__lte=4)
                    | Q(granularity=Granularity.MONTH, number__gte=1, number__lte=12)
                ),
                name="period_number_in_range",
                violation_error_message=_("序号超出该周期类型的范围。"),
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=F("opens_on")),
                name="period_deadline_after_opening",
                violation_error_message=_("截止日期不能早于开始填报日期。"),
            ),
        ]

    def __str__(self):
        return str(self.label)

    @property
    def slug(self):
        if self.granularity == Granularity.HALF:
            return f"{self.year}H{self.number}"
        if self.granularity == Granularity.QUARTER:
            return f"{self.year}Q{self.number}"
        if self.granularity == Granularity.MONTH:
            return f"{self.year}-{self.number:02d}"
        return str(self.year)

    @property
    def label(self):
        """The period as a circular names it: 2020年, 2021年上半年, 2021年第三季度, 2021年3月."""
        if self.granularity == Granularity.HALF:
            return _HALF_LABELS[self.number].format(year=self.year)
        if self.granularity == Granularity.QUARTER:
            return _QUARTER_LABELS[self.number].format(year=self.year)
        if self.granularity == Granularity.MONTH:
            return _("{year}年{month}月").format(year=self.year, month=self.number)
        return _("{year}年").format(year=self.year)

    @property
    def starts_on(self):
        months = 12 // Granularity(self.granularity).periods_per_year
        return datetime.date(self.year, (self.number - 1) * months + 1, 1)

    @property
    def ends_on(self):
        months = 12 // Granularity(self.granularity).periods_per_year
        last_month = self.number * months
        return datetime.date(self.year, last_month, monthrange(self.year, last_month)[1])

    @cached_property
    def last_deadline(self):
        """The period's deadline, or the latest extension granted to a unit (one query, unless
        the period was loaded ``with_last_deadline``)."""
        if hasattr(self, "latest_extension"):
            latest = self.latest_extension
        else:
            latest = self.extensions.aggregate(latest=Max("until"))["latest"]
        return max(self.deadline, latest) if latest else self.deadline

    @cached_property
    def is_closed(self):
        """Reporting has ended: the province closed it, or every deadline (extensions too) passed.

        Until then, every figure of the period is provisional: tables, charts and analysis say
        报送中 and standings are not computed.
        """
        if self.closed_at is not None and self.closed_at <= timezone.now():
            return True
        return timezone.localdate() > self.last_deadline

    def year_earlier(self):
        """The same period a year earlier (2020 for 2021, 2020Q3 for 2021Q3), if the portal has it."""
        return ReportingPeriod.objects.filter(
            year=self.year - 1, granularity=self.granularity, number=self.number
        ).first()

    def table_title(self, kind):
        """``2020年河南省专利质押融资统计表``."""
        return _("{period}河南省{kind}质押融资统计表").format(
            period=self.label, kind=IPKind(kind).label
        )

    def open_table_title(self, kind):
        """The title while reporting is still open, marked as the province chose
        (``OPEN_TABLE_MARK``): 初步统计表, or （征求意见稿） after the title."""
        if settings.OPEN_TABLE_MARK == "consultation":
            return _("{title}（征求意见稿）").format(title=self.table_title(kind))
        return _("{period}河南省{kind}质押融资初步统计表").format(
            period=self.label, kind=IPKind(kind).label
        )


class ReportState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("report state", "草稿")
    SUBMITTED = "submitted", pgettext_lazy("report state", "已提交")
    RETURNED = "returned", pgettext_lazy("report state", "已退回")
    APPROVED = "approved", pgettext_lazy("report state", "已审核")
    REOPENED = "reopened", pgettext_lazy("report state", "已重新打开")

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


class UnitReport(models.Model):
    """What every kind of a unit's report for a period has (its figures, its measures): a state
    of the one workflow, a version, who changed it last, and a log ``transitions`` of its moves.
    A kind adds its ``unit`` and ``period`` and registers with ``services.register_report``."""

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

    def return_reason(self):
        """Why the province returned or reopened this report, while it is so; else None."""
        sent_back = [ReportState.RETURNED, ReportState.REOPENED]
        if self.state not in sent_back:
            return None
        moves = self.transitions.filter(to_state__in=sent_back).order_by("-at")
        return moves.values_list("comment", flat=True).first()


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


def figures_a_year_earlier(unit_id, period):
    """The same period a year earlier (or None) and the unit's figures in it, by kind: what a
    report is compared with, and what its form shows before the report exists."""
    earlier = period.year_earlier()
    if earlier is None:
        return None, {}
    figures = PledgeFigures.objects.filter(report__unit_id=unit_id, report__period=earlier)
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


class ReportTransition(LoggedMove):
    """Append-only log of a report's state changes."""

    report = models.ForeignKey(
        PledgeReport, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("报表")
    )

    class Meta(LoggedMove.Meta):
        verbose_name = _("状态变更记录")
        verbose_name_plural = _("状态变更记录")


class DeadlineExtension(models.Model):
    """The province lets one unit submit a period's report after the deadline, until ``until``."""

    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.CASCADE,
        related_name="extensions",
        verbose_name=_("报送周期"),
    )
    unit = models.ForeignKey(
        ReportingUnit,
        on_delete=models.CASCADE,
        related_name="extensions",
        verbose_name=_("填报单位"),
    )
    until = models.DateField(_("延期至"))
    reason = models.CharField(_("原因"), max_length=200)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("批准人"),
    )
    granted_at = models.DateTimeField(_("批准时间"), auto_now_add=True)

    class Meta:
        ordering = ["period", "unit__code", "-until"]
        verbose_name = _("延期报送")
        verbose_name_plural = _("延期报送")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "unit"],
                name="extension_unique_per_unit_and_period",
                violation_error_message=_("该单位在该周期已有延期。"),
            ),
        ]

    def __str__(self):
        return f"{self.unit} · {self.period} → {self.until}"


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


class PendingImport(models.Model):
    """An uploaded file between its preview and its confirmation.

    Kept in the database, so that every worker sees it and nothing is ever served from
    disk; abandoned ones are purged.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("上传人"),
    )
    filename = models.CharField(_("文件名"), max_length=200)
    content = models.BinaryField(_("内容"))
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("类别"), max_length=20, choices=IPKind.choices, blank=True)
    # Which import flow the file belongs to (a label each flow chooses), so that one flow's
    # confirmation cannot apply another's file.
    importer = models.CharField(_("导入类型"), max_length=30, default="figures")
    unit = models.ForeignKey(
        ReportingUnit, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The version of every report the preview showed ({unit id: version}; 0: no report yet):
    # a confirmation after one of them changed is refused.
    versions = models.JSONField(_("预览时的报表版本"), default=dict)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("待确认的导入")
        verbose_name_plural = _("待确认的导入")

    def __str__(self):
        return f"{self.filename} ({self.user})"
