import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lib.docnumbers import format_document_number
from periods.models import ReportingPeriod
from reporting.models import IPKind, table_title

HEADING_PATTERNS = [
    # level, pattern of the paragraph's start (GB/T 9704 §7.3.3)
    (1, re.compile(r"^[一二三四五六七八九十]+、")),
    (2, re.compile(r"^（[一二三四五六七八九十]+）")),
    (3, re.compile(r"^\d+[.．]")),
    (4, re.compile(r"^（\d+）")),
]


def standard_date(day):
    """成文日期 as GB/T 9704 §7.3.5.4 writes it: 2021年3月5日 (no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


class CircularState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已印发")
    WITHDRAWN = "withdrawn", _("已撤销")

    @classmethod
    def editable(cls):
        """States in which the text and the attachments may change."""
        return [cls.DRAFT]

    @classmethod
    def frozen(cls):
        """States whose text and tables were frozen at issue, with the archived PDF."""
        return [cls.ISSUED, cls.WITHDRAWN]


class UnitNames(models.TextChoices):
    """How the attachments and the drafted text name the units: 附件1 of 豫知〔2021〕8号 prints
    short names (三门峡, 济源)."""

    SHORT = "short", _("简称（三门峡、济源）")
    FULL = "full", _("全称（三门峡市、济源示范区）")


class Circular(models.Model):
    """A notice of the province (通知), printed in the GB/T 9704-2012 layout with ranked tables attached."""

    organ = models.CharField(_("发文机关"), max_length=50, default="河南省知识产权局")
    code = models.CharField(
        _("机关代字"),
        max_length=10,
        default="豫知",
        validators=[RegexValidator(r"^\S+$", _("机关代字不能含空格。"))],
    )
    year = models.PositiveSmallIntegerField(
        _("年份"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    number = models.PositiveIntegerField(_("发文顺序号"), validators=[MinValueValidator(1)])
    title = models.CharField(_("标题"), max_length=200)
    addressees = models.CharField(
        _("主送机关"),
        max_length=300,
        default="各省辖市、济源示范区、省直管县（市）市场监管局（知识产权管局）",
    )
    situation = models.TextField(
        _("情况通报"),
        blank=True,
        help_text=_(
            "由数据起草，印发前可修改。每段一行。留空保存时，按所选周期（或第一个附件的周期）起草。"
        ),
    )
    # The period the situation speaks of: an attachment of another period is named on the edit
    # page and the issue confirmation, and issuing it needs a tick.
    situation_period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("情况通报的周期"),
    )
    body = models.TextField(
        _("正文"),
        blank=True,
        help_text=_("每段一行。以“一、”“（一）”“1.”“（1）”开头的段落按各级标题排版。"),
    )
    signatory = models.CharField(_("发文机关署名"), max_length=50, default="河南省知识产权局")
    signed_on = models.DateField(_("成文日期"))
    note = models.CharField(_("附注"), max_length=100, blank=True, default="此件主动公开")
    copy_to = models.CharField(_("抄送"), max_length=300, blank=True)
    printed_by = models.CharField(_("印发机关"), max_length=50, default="河南省知识产权局办公室")
    printed_on = models.DateField(_("印发日期"))
    unit_names = models.CharField(
        _("附件中的地市名称"),
        max_length=10,
        choices=UnitNames.choices,
        default=UnitNames.SHORT,
        help_text=_("同一张表只用一种写法。改后请重新起草情况通报，使正文与附件一致。"),
    )

    state = models.CharField(
        _("状态"), max_length=10, choices=CircularState.choices, default=CircularState.DRAFT
    )
    issued_at = models.DateTimeField(_("印发时间"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("印发人"),
    )
    withdrawn_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("撤销人"),
    )
    withdrawal_reason = models.TextField(_("撤销原因"), blank=True)
    # Frozen at issue: the tables as printed (lib.printed.archive_tables: they carry their
    # format), the archived PDF and its SHA-256.
    frozen_tables = models.JSONField(_("印发时的附件数据"), null=True, blank=True, editable=False)
    archived_pdf = models.BinaryField(_("存档 PDF"), null=True, blank=True, editable=False)
    archived_sha256 = models.CharField(_("存档 SHA-256"), max_length=64, blank=True, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-year", "-number"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        constraints = [
            models.UniqueConstraint(
                fields=["code", "year", "number"],
                name="circular_unique_document_number",
                violation_error_message=_("该发文字号已被使用。"),
            ),
            # A withdrawn circular says who withdrew it, when and why; no other circular does.
            models.CheckConstraint(
                condition=(
                    models.Q(
                        state=CircularState.WITHDRAWN,
                        withdrawn_at__isnull=False,
                        withdrawn_by__isnull=False,
                    )
                    & ~models.Q(withdrawal_reason="")
                )
                | (
                    ~models.Q(state=CircularState.WITHDRAWN)
                    & models.Q(withdrawn_at__isnull=True, withdrawn_by__isnull=True)
                    & models.Q(withdrawal_reason="")
                ),
                name="circular_withdrawal_recorded",
            ),
        ]

    def __str__(self):
        return f"{self.document_number} {self.title}"

    @property
    def document_number(self):
        """发文字号: 豫知〔2021〕8号 (六角括号, full year, no leading zero)."""
        return format_document_number(self.code, self.year, self.number)

    @property
    def is_draft(self):
        return self.state in CircularState.editable()

    @property
    def is_issued(self):
        """Issued and in force (not withdrawn)."""
        return self.state == CircularState.ISSUED

    @property
    def is_withdrawn(self):
        return self.state == CircularState.WITHDRAWN

    @property
    def is_frozen(self):
        """Issued, withdrawn since or not: it prints what it froze, and its PDF is the archive."""
        return self.state in CircularState.frozen()

    @property
    def revision(self):
        """The circular as last saved (every save sets ``updated_at``): a form that acts on it
        carries this, so that a circular changed since is not acted on unseen."""
        return self.updated_at.isoformat() if self.updated_at else ""

    @property
    def signed_on_text(self):
        return standard_date(self.signed_on)

    @property
    def printed_on_text(self):
        return standard_date(self.printed_on)

    def period_mismatches(self):
        """The attachments of another period than the situation's (none when the situation
        says nothing, or its period is not recorded)."""
        if not self.situation.strip() or self.situation_period_id is None:
            return []
        return [
            attachment
            for attachment in self.attachments.select_related("period")
            if attachment.period_id != self.situation_period_id
        ]

    def paragraphs(self):
        """The body's paragraphs in print order, each as (heading level or 0, text)."""
        result = []
        for text in (self.situation + "\n" + self.body).splitlines():
            text = text.strip()
            if not text:
                continue
            level = next((lvl for lvl, pattern in HEADING_PATTERNS if pattern.match(text)), 0)
            result.append((level, text))
        return result

    def clean(self):
        super().clean()
        if self.printed_on and self.signed_on and self.printed_on < self.signed_on:
            raise ValidationError({"printed_on": _("印发日期不能早于成文日期。")})


class AttachmentForm(models.TextChoices):
    TABLE = "table", _("统计表")
    CHART = "chart", _("金额图")
    MEASURES = "measures", _("政策措施情况表")

    @classmethod
    def of_a_kind(cls):
        """Forms drawn from one kind's figures (专利 or 商标); the measures table is of no kind."""
        return [cls.TABLE, cls.CHART]


class CircularAttachment(models.Model):
    """附件N: a ranked table of one period and kind, or the chart of its amounts; or the table of
    every unit's measures for the period (of no kind: ``kind`` is then empty)."""

    circular = models.ForeignKey(
        Circular, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("通知")
    )
    position = models.PositiveSmallIntegerField(_("序号"), default=1)
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="+", verbose_name=_("报送周期")
    )
    kind = models.CharField(
        _("类别"),
        max_length=20,
        choices=IPKind.choices,
        blank=True,
        help_text=_("统计表和金额图必填；政策措施情况表不分类别，留空。"),
    )
    form = models.CharField(
        _("形式"), max_length=10, choices=AttachmentForm.choices, default=AttachmentForm.TABLE
    )

    class Meta:
        ordering = ["circular", "position"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        constraints = [
            models.UniqueConstraint(
                fields=["circular", "position"], name="attachment_unique_position"
            ),
            # A table or chart is of one kind; the measures table of none.
            models.CheckConstraint(
                condition=(
                    models.Q(form=AttachmentForm.MEASURES, kind="")
                    | (~models.Q(form=AttachmentForm.MEASURES) & ~models.Q(kind=""))
                ),
                name="attachment_kind_matches_form",
            ),
        ]

    def __str__(self):
        return f"{self.position}.{self.title}"

    def clean(self):
        super().clean()
        if self.form == AttachmentForm.MEASURES:
            self.kind = ""  # whatever was chosen: the measures table is of no kind
        elif not self.kind:
            raise ValidationError({"kind": _("统计表和金额图须选择类别（专利或商标）。")})

    @property
    def is_measures(self):
        return self.form == AttachmentForm.MEASURES

    @property
    def title(self):
        if self.form == AttachmentForm.MEASURES:
            return f"{self.period.label}各地知识产权质押融资政策措施情况表"
        if self.form == AttachmentForm.CHART:
            return f"{self.period.label}河南省各地市{IPKind(self.kind).label}质押金额图"
        return table_title(self.period, self.kind)
