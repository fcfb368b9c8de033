from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class StandingRules(models.Model):
    """How the circular's judgements are made, editable by administrators.

    In this order: 成绩优异, the first ``excellent_top`` by amount; 相对滞后, the last
    ``lagging_bottom`` by amount; 进步较快, amount grown by more than ``fast_growth_percent``
    against the comparable period (or from nothing to something); 相对滞后 too, an amount
    that fell (``falling_is_lagging``). 豫知〔2021〕8号 counts 开封 (new, but last) as lagging.
    """

    excellent_top = models.PositiveSmallIntegerField(
        _("成绩优异：金额排名前几位"), default=3, validators=[MinValueValidator(1)]
    )
    fast_growth_percent = models.DecimalField(
        _("进步较快：金额增长超过（%）"), max_digits=6, decimal_places=1, default=Decimal("50")
    )
    lagging_bottom = models.PositiveSmallIntegerField(
        _("相对滞后：金额排名后几位"), default=5, validators=[MinValueValidator(1)]
    )
    falling_is_lagging = models.BooleanField(_("金额下降也算相对滞后"), default=True)
    # One set of rules by construction: a second row cannot be saved (unique, and always true).
    singleton = models.BooleanField(default=True, editable=False)

    class Meta:
        verbose_name = _("评价规则")
        verbose_name_plural = _("评价规则")
        constraints = [
            models.UniqueConstraint(
                fields=["singleton"],
                name="standing_rules_one_row",
                violation_error_message=_("评价规则只有一套，请修改已有的规则。"),
            ),
            models.CheckConstraint(
                condition=models.Q(singleton=True), name="standing_rules_singleton_true"
            ),
        ]

    def __str__(self):
        return str(_("评价规则"))

    @classmethod
    def current(cls):
        rules = cls.objects.first()
        return rules if rules is not None else cls()
