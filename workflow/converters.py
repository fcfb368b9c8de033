from django.urls import register_converter

from .services import REVIEW_ACTIONS


class ReviewActionConverter:
    """The reviewers' moves, as the move table names them (submitting is part of the form)."""

    regex = "|".join(REVIEW_ACTIONS)

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


# Registered once, here, for every URLconf that imports this module.
register_converter(ReviewActionConverter, "review_action")
