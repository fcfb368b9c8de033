from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalysisConfig(AppConfig):
    name = "analysis"
    verbose_name = _("分析")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from lib import freshness

        from .models import StandingRules

        for signal in (post_save, post_delete):
            signal.connect(freshness.bump_reference_version, sender=StandingRules)
