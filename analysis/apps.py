from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalysisConfig(AppConfig):
    name = "analysis"
    verbose_name = _("分析")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from lib import freshness
        from reporting import report_links

        from .models import StandingRules

        report_links.register(history_links)
        for signal in (post_save, post_delete):
            signal.connect(freshness.bump_reference_version, sender=StandingRules)


def history_links(user, report):
    """A report's page links its unit's figures over the years (a 省辖市's or 示范区's)."""
    from django.urls import reverse

    from cities.models import UnitKind

    if report.unit.kind not in UnitKind.ranked():
        return []
    return [(_("本单位历年数据"), reverse("analysis:unit", args=[report.unit.code]))]
