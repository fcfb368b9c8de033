from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The portal as a whole, on top of every other app: the home page, the navigation and
    the demo. It may know every app; no app knows it."""

    name = "portal"
    verbose_name = _("门户")

    def ready(self):
        from . import freshness

        freshness.connect()
