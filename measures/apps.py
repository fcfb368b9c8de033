from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = _("政策措施")

    def ready(self):
        from reporting import report_links

        # Registers the measure report with the workflow's one transition function.
        from . import services  # noqa: F401

        report_links.register(measure_links)


def measure_links(user, report):
    """A report of figures links the same unit's measures for the period."""
    from django.urls import reverse

    url = reverse("measures:report", args=[report.period.slug, report.unit.code])
    return [(_("政策措施"), url)]
