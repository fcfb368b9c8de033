from django.urls import register_converter

from .models import PERIOD_SLUG_REGEX, IPKind
from .services import REVIEW_ACTIONS


class PeriodSlugConverter:
    """``2020``, ``2021H1``, ``2021Q3``, ``2021-03``."""

    regex = PERIOD_SLUG_REGEX

    def to_python(self, value):
        return value

    def to_url(self, value):
        return getattr(value, "slug", value)


class IPKindConverter:
    regex = "|".join(IPKind.values)

    def to_python(self, value):
        return IPKind(value)

    def to_url(self, value):
        return IPKind(value).value


class UnitCodeConverter:
    """A GB/T 2260 code: six digits."""

    regex = r"\d{6}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return getattr(value, "code", value)


class ReviewActionConverter:
    """The reviewers' moves, as the move table names them (submitting is part of the form)."""

    regex = "|".join(REVIEW_ACTIONS)

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


# Registered once, here, for every URLconf that imports this module.
register_converter(PeriodSlugConverter, "period")
register_converter(IPKindConverter, "kind")
register_converter(UnitCodeConverter, "unit")
register_converter(ReviewActionConverter, "review_action")
