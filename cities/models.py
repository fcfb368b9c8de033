from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    PREFECTURE = "prefecture", _("省辖市")
    DEMONSTRATION_ZONE = "zone", _("济源示范区")
    DIRECT_COUNTY = "county", _("省直管县（市）")

    @classmethod
    def ranked(cls):
        """Kinds that have a row of their own in the province-wide tables."""
        return [cls.PREFECTURE, cls.DEMONSTRATION_ZONE]


class ReportingUnitQuerySet(models.QuerySet):
    def ranked(self):
        """The 17 省辖市 and 济源示范区: one row each in the province-wide tables."""
        return self.filter(kind__in=UnitKind.ranked())


class ReportingUnit(models.Model):
    """A unit that reports pledge-financing figures to the province.

    A 省直管县（市） reports for itself, but in the province-wide tables its
    figures count in the row of the 省辖市 it lies in (``parent``).
    """

    code = models.CharField(
        _("行政区划代码"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", _("行政区划代码是 6 位数字（GB/T 2260）。"))],
        help_text=_("GB/T 2260 六位行政区划代码"),
    )
    name = models.CharField(_("全称"), max_length=50, unique=True)
    short_name = models.CharField(_("简称"), max_length=20, unique=True)
    kind = models.CharField(_("类别"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="direct_counties",
        verbose_name=_("所在省辖市"),
        help_text=_("仅省直管县（市）填写：其数据计入该省辖市的行。"),
    )
    submitters = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="reporting_units",
        verbose_name=_("填报员"),
        help_text=_("可以填报本单位数据的市级填报员。"),
    )

    objects = ReportingUnitQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("填报单位")
        verbose_name_plural = _("填报单位")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=UnitKind.DIRECT_COUNTY, parent__isnull=False)
                    | (~Q(kind=UnitKind.DIRECT_COUNTY) & Q(parent__isnull=True))
                ),
                name="unit_parent_only_for_direct_counties",
                violation_error_message=_("只有省直管县（市）有所在省辖市，且必须填写。"),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.kind == UnitKind.DIRECT_COUNTY:
            if self.parent is None:
                raise ValidationError({"parent": _("省直管县（市）必须填写所在省辖市。")})
            if self.parent.kind != UnitKind.PREFECTURE:
                raise ValidationError({"parent": _("所在单位必须是省辖市。")})
        elif self.parent is not None:
            raise ValidationError({"parent": _("只有省直管县（市）填写所在省辖市。")})


def _unit_of_membership(membership):
    return str(membership.reportingunit)


# A row of the table Django makes for ``submitters`` would be named "ReportingUnit_submitters
# object (1)", in English whatever the language; the admin's user form shows it above each unit.
ReportingUnit.submitters.through.__str__ = _unit_of_membership


class UnitAlias(models.Model):
    """Another way people write a unit's name, e.g. 济源市 for 济源示范区."""

    unit = models.ForeignKey(
        ReportingUnit, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("填报单位")
    )
    name = models.CharField(_("别名"), max_length=50, unique=True)

    class Meta:
        ordering = ["unit__code", "name"]
        verbose_name = _("单位别名")
        verbose_name_plural = _("单位别名")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        clash = ReportingUnit.objects.filter(Q(name=self.name) | Q(short_name=self.name))
        if self.unit_id:
            clash = clash.exclude(pk=self.unit_id)
        if clash.exists():
            raise ValidationError({"name": _("别名与另一个填报单位的名称相同。")})
