from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("质押融资报送")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        from cities.models import ReportingUnit, UnitAlias
        from lib import freshness
        from periods.models import DeadlineExtension, ReportingPeriod

        from .models import ProvinceBenchmark

        # Reference data that shapes cached pages: a change of any moves the data version.
        for model in (
            ReportingUnit,
            UnitAlias,
            ReportingPeriod,
            DeadlineExtension,
            ProvinceBenchmark,
        ):
            for signal in (post_save, post_delete):
                signal.connect(freshness.bump_reference_version, sender=model)
        post_save.connect(freshness.bump_unless_a_login, sender=get_user_model())
        post_delete.connect(freshness.bump_reference_version, sender=get_user_model())
