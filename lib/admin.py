"""Admin classes for models the admin may show but never change: their changes go through
the portal's services."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper


class ReadableChanges(HistoricalRecordContextHelper):
    """A change in a model's history as people read it: a state by its label (已提交), not by
    its stored value (submitted)."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if field.choices and value not in (None, ""):
            return dict(field.flatchoices).get(value, value)
        return super().prepare_delta_change_value(change, value)


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ViewOnlyHistoryAdmin(SimpleHistoryAdmin):
    """A model's history to read, never to revert: a revert would save an old version around
    the services (no transition logged, no version bumped), for the superuser too."""

    def revert_disabled(self, request, obj=None):
        return True

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableChanges(self.model, historical_record)

    def has_change_history_permission(self, request, obj=None):
        return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        # Both are numbers: anything else is no record (not a database error on a cast).
        if not (str(object_id).isdigit() and str(version_id).isdigit()):
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)
