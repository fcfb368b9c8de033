from django.urls import register_converter

from workflow.models import WorkflowAction
from workflow.services import REVIEW_ACTIONS

from .types import MEASURE_TYPES


class MeasureTypeConverter:
    regex = "|".join(MEASURE_TYPES)

    def to_python(self, value):
        return value

    def to_url(self, value):
        return getattr(value, "slug", value)


class MeasureActionConverter:
    """Submitting (the unit's) and the reviewers' moves."""

    regex = "|".join([WorkflowAction.SUBMIT, *REVIEW_ACTIONS])

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


register_converter(MeasureTypeConverter, "measure_type")
register_converter(MeasureActionConverter, "measure_action")
