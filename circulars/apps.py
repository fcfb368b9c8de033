from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CircularsConfig(AppConfig):
    name = "circulars"
    verbose_name = _("通知公文")

    def ready(self):
        from . import checks  # noqa: F401 (registers the system check)
