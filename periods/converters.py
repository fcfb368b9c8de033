from django.urls import register_converter

from .models import PERIOD_SLUG_REGEX


class PeriodSlugConverter:
    """``2020``, ``2021H1``, ``2021Q3``, ``2021-03``."""

    regex = PERIOD_SLUG_REGEX

    def to_python(self, value):
        return value

    def to_url(self, value):
        return getattr(value, "slug", value)


# Registered once, here, for every URLconf that imports this module.
register_converter(PeriodSlugConverter, "period")
