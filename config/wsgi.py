import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()


def refuse_unsilenced_deployment_warnings():
    """In production the web server starts only if Django's deployment checks find nothing,
    or only what ``DJANGO_SILENCED_CHECKS`` names: an assessor's finding is not left to a
    command somebody may forget to run."""
    from django.conf import settings
    from django.core import checks

    if settings.DEBUG:
        return
    found = [
        message
        for message in checks.run_checks(include_deployment_checks=True)
        if message.level >= checks.WARNING and not message.is_silenced()
    ]
    if found:
        raise ImproperlyConfigured(
            "The deployment checks refuse to start the portal (fix each, or silence it by name "
            "in DJANGO_SILENCED_CHECKS):\n" + "\n".join(str(message) for message in found)
        )


refuse_unsilenced_deployment_warnings()
