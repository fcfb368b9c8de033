"""Reporting periods: a year first, or a half-year, quarter or month of one, with its deadline,
its early close and the extensions granted to single units.

Every kind of report (the figures, the measures) is a unit's report for one of these periods.
"""

import datetime
import re
from calendar import monthrange

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, Max, Q, Value, When
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from cities.models import ReportingUnit


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

    @property
    def closed_early_on(self):
        """The day the province closed reporting before the deadline (local), or None (also
        when it closed it after the deadline: that is no early close)."""
        if self.closed_at is None or self.closed_at > timezone.now():
            return None
        day = timezone.localtime(self.closed_at).date()
        return day if day <= self.deadline else None

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
