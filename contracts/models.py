from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lib.banks import bank_group
from reporting.models import AMOUNT_FIELD, IPKind, PledgeReport

INCLUSIVE_LIMIT = Decimal("1000")  # 普惠: a project under 1000 万元


def validate_uscc(value):
    """统一社会信用代码 with its GB 32100-2015 check character."""
    from stdnum.cn import uscc
    from stdnum.exceptions import ValidationError as StdnumError

    try:
        uscc.validate(value)
    except StdnumError as error:
        raise ValidationError(
            _("统一社会信用代码“%(value)s”无效（校验位不符或格式错误）。"), params={"value": value}
        ) from error


class ContractBatch(models.Model):
    """One import of a report's contracts of one kind: who, when, which file, and what it replaced.

    An import replaces the kind's contracts; withdrawing the batch removes them and puts the
    kind's figures back as they were before it (``figures_before``), as a recorded change.
    """

    report = models.ForeignKey(
        PledgeReport,
        on_delete=models.CASCADE,
        related_name="contract_batches",
        verbose_name=_("报表"),
    )
    kind = models.CharField(_("类别"), max_length=20, choices=IPKind.choices)
    filename = models.CharField(_("文件名"), max_length=200)
    contract_count = models.PositiveIntegerField(_("合同数"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("导入人"),
    )
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    # The kind's figures just before the import ({field: value} as text), None if it had none.
    figures_before = models.JSONField(_("导入前的数据"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("撤回人"),
    )
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    class Meta:
        ordering = ["report", "kind", "-imported_at", "-pk"]
        verbose_name = _("质押合同导入批次")
        verbose_name_plural = _("质押合同导入批次")

    def __str__(self):
        return f"{self.filename} ({self.report} · {self.get_kind_display()})"


class PledgeContract(models.Model):
    """One pledge contract behind a report's figures: who pledged what to which bank."""

    report = models.ForeignKey(
        PledgeReport, on_delete=models.CASCADE, related_name="contracts", verbose_name=_("报表")
    )
    batch = models.ForeignKey(
        ContractBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contracts",
        verbose_name=_("导入批次"),
    )
    kind = models.CharField(_("类别"), max_length=20, choices=IPKind.choices)
    pledgor = models.CharField(_("出质人"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, validators=[validate_uscc])
    is_sme = models.BooleanField(_("中小微企业"), default=False)
    bank = models.CharField(_("质权人（银行）"), max_length=200)
    bank_group = models.CharField(_("所属银行"), max_length=200, editable=False, db_index=True)
    registration_number = models.CharField(_("质押登记号"), max_length=60)
    items = models.PositiveIntegerField(_("件数"), validators=[MinValueValidator(1)])
    amount = models.DecimalField(
        _("金额（万元）"), validators=[MinValueValidator(Decimal("0.01"))], **AMOUNT_FIELD
    )
    effective_on = models.DateField(_("质权设立日"))
    loan_term_months = models.PositiveSmallIntegerField(_("贷款期限（月）"), null=True, blank=True)

    class Meta:
        ordering = ["report", "kind", "effective_on", "pk"]
        verbose_name = _("质押合同")
        verbose_name_plural = _("质押合同")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "kind", "registration_number"],
                name="contract_unique_registration",
                violation_error_message=_("同一报表中质押登记号重复。"),
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="contract_amount_positive"),
            models.CheckConstraint(condition=Q(items__gte=1), name="contract_items_at_least_one"),
        ]

    def __str__(self):
        return f"{self.registration_number} {self.pledgor}"

    def save(self, *args, **kwargs):
        # Stored, not computed per query: the bank ranking groups by it in the database.
        self.bank_group = bank_group(self.bank)
        super().save(*args, **kwargs)
