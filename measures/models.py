"""What a unit does besides its figures, reported per period: policies, risk-compensation
funds, events and good practice (豫知〔2021〕8号 asks for all four).

A unit's measures for a period are one ``MeasureReport``; it moves through the figures'
workflow (``workflow.services.transition``, the one table of moves) and its items can change
only while it is editable, each change recorded.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from cities.models import ReportingUnit
from lib.banks import bank_group
from lib.docnumbers import normalise_document_number
from periods.models import ReportingPeriod
from reporting.models import AMOUNT_FIELD
from workflow.models import LoggedMove, UnitReport

# A good-practice text: a page or two of the circular that spreads it.
PRACTICE_MAX_CHARS = 5000


class MeasureReport(UnitReport):
    """One unit's measures for one period: its policies, funds, events and good practice."""

    unit = models.ForeignKey(
        ReportingUnit,
        on_delete=models.PROTECT,
        related_name="measure_reports",
        verbose_name=_("填报单位"),
    )
    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.PROTECT,
        related_name="measure_reports",
        verbose_name=_("报送周期"),
    )
    # Its ``version`` moves with every change of its items too.
    history = HistoricalRecords(
        excluded_fields=["version", "updated_at", "created_at"],
        verbose_name=_("政策措施报表的历史版本"),
        verbose_name_plural=_("政策措施报表的历史版本"),
    )

    class Meta:
        ordering = ["period", "unit__code"]
        verbose_name = _("政策措施报表")
        verbose_name_plural = _("政策措施报表")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period"],
                name="measure_report_unique_per_unit_and_period",
                violation_error_message=_("该单位在该周期已有政策措施报表。"),
            ),
        ]

    def __str__(self):
        return f"{self.unit} · {self.period} · {_('政策措施')}"

    # The workflow's hooks (``workflow.models.WorkflowHooks``): a unit may report that it did
    # nothing this period, so nothing is missing from an empty report and nothing needs
    # explaining.

    def notify(self, move):
        from .notifications import notify_transition

        notify_transition(move)


class MeasureTransition(LoggedMove):
    """Append-only log of a measure report's state changes."""

    report = models.ForeignKey(
        MeasureReport,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("政策措施报表"),
    )

    class Meta(LoggedMove.Meta):
        verbose_name = _("政策措施状态变更记录")
        verbose_name_plural = _("政策措施状态变更记录")


class DocumentType(models.TextChoices):
    PDF = "application/pdf", "PDF"
    DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX"
    OFD = "application/ofd", "OFD"

    @property
    def extension(self):
        return {"PDF": ".pdf", "DOCX": ".docx", "OFD": ".ofd"}[self.label]


class MeasureDocumentQuerySet(models.QuerySet):
    def in_use(self):
        """Documents a policy or a practice carries now."""
        return self.filter(
            Q(pk__in=Policy.objects.values("document"))
            | Q(pk__in=Practice.objects.values("document"))
        )


class MeasureDocument(models.Model):
    """An uploaded document (a policy's text, a practice's material), kept in the database.

    Its type was read from its content when it was uploaded. It is never shown in the
    browser, only downloaded. It never changes: a new upload is a new document.
    """

    report = models.ForeignKey(
        MeasureReport,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("政策措施报表"),
    )
    filename = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100, choices=DocumentType.choices)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content = models.BinaryField(_("内容"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("上传人"),
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = MeasureDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["report", "uploaded_at", "pk"]
        verbose_name = _("政策措施附件")
        verbose_name_plural = _("政策措施附件")

    def __str__(self):
        # Not its file name: a draft's documents are listed where a user's objects are (the
        # admin's page for deleting an account), and a name can say what the draft is.
        return _("附件 %(number)s") % {"number": self.pk}


class PolicyType(models.TextChoices):
    SUBSIDY = "subsidy", _("奖补")
    INTEREST = "interest", _("贴息")
    RISK = "risk", _("风险补偿")
    INSURANCE = "insurance", _("保险")
    APPRAISAL = "appraisal", _("评估补贴")
    AWARD = "award", _("专利奖")
    OTHER = "other", pgettext_lazy("policy type", "其他")


def validate_document_number(value):
    try:
        normalise_document_number(value)
    except ValueError:
        raise ValidationError(
            _("文号“%(value)s”格式不对，应如 豫知〔2021〕8号：机关代字、〔年份〕、顺序号和“号”。"),
            params={"value": value},
        ) from None


def document_field(label):
    """The item's document, if any: a new upload replaces it, the old one stays in the database."""
    return models.ForeignKey(
        MeasureDocument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=label,
    )


def amount_field(label, **options):
    """An amount in 万元, never negative."""
    return models.DecimalField(
        label, validators=[MinValueValidator(Decimal("0"))], **AMOUNT_FIELD, **options
    )


class MeasureItem(models.Model):
    """What every item of a measure report has: its report, and a history of its changes."""

    class Meta:
        abstract = True

    def __str__(self):
        return self.title


class Policy(MeasureItem):
    """政策措施: a policy document a unit has adopted in support of pledge financing."""

    report = models.ForeignKey(
        MeasureReport, on_delete=models.CASCADE, related_name="policies", verbose_name=_("报表")
    )
    title = models.CharField(_("政策名称"), max_length=200)
    issuer = models.CharField(_("发文机关"), max_length=100)
    document_number = models.CharField(
        _("文号"), max_length=50, validators=[validate_document_number]
    )
    issued_on = models.DateField(_("印发日期"))
    type = models.CharField(_("类型"), max_length=20, choices=PolicyType.choices)
    amount = amount_field(
        _("资金规模（万元）"),
        null=True,
        blank=True,
        help_text=_("政策安排的资金；没有明确金额的留空。"),
    )
    in_force = models.BooleanField(_("现行有效"), default=True)
    document = document_field(_("政策文件"))
    history = HistoricalRecords(
        verbose_name=_("政策措施的历史版本"), verbose_name_plural=_("政策措施的历史版本")
    )

    class Meta:
        ordering = ["report", "issued_on", "pk"]
        verbose_name = _("政策措施")
        verbose_name_plural = _("政策措施")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="policy_amount_not_negative",
            ),
        ]

    def clean(self):
        super().clean()
        if self.document_number:
            try:
                self.document_number = normalise_document_number(self.document_number)
            except ValueError:
                pass  # the field's validator says so


class FundScope(models.TextChoices):
    PATENT = "patent", _("专利")
    TRADEMARK = "trademark", _("商标")
    BOTH = "both", _("专利和商标")

    @classmethod
    def covering_patents(cls):
        return [cls.PATENT, cls.BOTH]


class RiskFund(MeasureItem):
    """风险补偿资金: a fund, steered by public money, that bears part of banks' losses on
    pledge loans."""

    report = models.ForeignKey(
        MeasureReport, on_delete=models.CASCADE, related_name="funds", verbose_name=_("报表")
    )
    title = models.CharField(_("资金名称"), max_length=200)
    scope = models.CharField(
        _("适用范围"), max_length=20, choices=FundScope.choices, default=FundScope.PATENT
    )
    size = models.DecimalField(
        _("资金规模（万元）"), validators=[MinValueValidator(Decimal("0.01"))], **AMOUNT_FIELD
    )
    banks = models.TextField(_("合作银行"), help_text=_("每行一家，或用顿号分隔。"))
    # The banks as the bank ranking groups them (中国银行洛阳分行 → 中国银行), in order, once each.
    bank_groups = models.JSONField(_("合作银行（归并）"), default=list, editable=False)
    loans_count = models.PositiveIntegerField(_("本期覆盖贷款笔数"), default=0)
    loans_amount = amount_field(_("本期覆盖贷款金额（万元）"), default=Decimal("0"))
    compensation_paid = amount_field(_("本期已补偿金额（万元）"), default=Decimal("0"))
    history = HistoricalRecords(
        verbose_name=_("风险补偿资金的历史版本"), verbose_name_plural=_("风险补偿资金的历史版本")
    )

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = _("风险补偿资金")
        verbose_name_plural = _("风险补偿资金")
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="fund_size_positive"),
            models.CheckConstraint(
                condition=Q(loans_amount__gte=0) & Q(compensation_paid__gte=0),
                name="fund_amounts_not_negative",
            ),
        ]

    def save(self, *args, **kwargs):
        # Stored, like a contract's bank: the bank ranking's names, so that lists agree.
        self.bank_groups = list(dict.fromkeys(bank_group(name) for name in self.bank_names()))
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.banks and not self.bank_names():
            raise ValidationError({"banks": _("请填写至少一家合作银行。")})
        if self.loans_count == 0 and self.loans_amount:
            raise ValidationError({"loans_count": _("有覆盖贷款金额，贷款笔数不能为 0。")})

    def bank_names(self):
        """The banks as typed, one name each."""
        return split_names(self.banks)


def split_names(text):
    """Names typed one per line or separated by 、，,；; (blank ones dropped)."""
    import re

    return [name.strip() for name in re.split(r"[\n\r、，,；;]+", text or "") if name.strip()]


class EventType(models.TextChoices):
    ROADSHOW = "roadshow", _("巡讲")
    MATCHMAKING = "matchmaking", _("银企对接")
    TRAINING = "training", _("培训")


class Event(MeasureItem):
    """活动: a roadshow (巡讲), a bank–enterprise meeting (银企对接) or a training held."""

    report = models.ForeignKey(
        MeasureReport, on_delete=models.CASCADE, related_name="events", verbose_name=_("报表")
    )
    type = models.CharField(_("活动类型"), max_length=20, choices=EventType.choices)
    title = models.CharField(_("活动名称"), max_length=200)
    held_on = models.DateField(_("举办日期"))
    place = models.CharField(_("地点"), max_length=100)
    organiser = models.CharField(_("主办单位"), max_length=100)
    banks_attending = models.PositiveIntegerField(_("参加银行（家）"), default=0)
    enterprises_attending = models.PositiveIntegerField(_("参加企业（家）"), default=0)
    intended_credit = amount_field(_("签约意向授信（万元）"), default=Decimal("0"))
    loans_granted = amount_field(_("已发放贷款（万元）"), default=Decimal("0"))
    history = HistoricalRecords(
        verbose_name=_("活动的历史版本"), verbose_name_plural=_("活动的历史版本")
    )

    class Meta:
        ordering = ["report", "held_on", "pk"]
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        constraints = [
            models.CheckConstraint(
                condition=Q(intended_credit__gte=0) & Q(loans_granted__gte=0),
                name="event_amounts_not_negative",
            ),
        ]


class Practice(MeasureItem):
    """经验做法: good practice a unit reports for the province to spread (经验交流)."""

    report = models.ForeignKey(
        MeasureReport, on_delete=models.CASCADE, related_name="practices", verbose_name=_("报表")
    )
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(
        _("正文"),
        validators=[MaxLengthValidator(PRACTICE_MAX_CHARS)],
        help_text=_("最多 5000 字，每段一行。"),
    )
    document = document_field(_("附件"))
    history = HistoricalRecords(
        verbose_name=_("经验做法的历史版本"), verbose_name_plural=_("经验做法的历史版本")
    )

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = _("经验做法")
        verbose_name_plural = _("经验做法")

    def paragraphs(self):
        return [line.strip() for line in self.text.splitlines() if line.strip()]
