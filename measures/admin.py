"""Measure reports in the admin: read-only, like the figures (they move only through the
workflow, on the portal's pages)."""

from django.contrib import admin

from lib.admin import ReadOnlyAdminMixin, ViewOnlyHistoryAdmin
from workflow.admin import DraftPrivateAdmin

from .models import Event, MeasureReport, MeasureTransition, Policy, Practice, RiskFund


class ItemInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0

    def get_readonly_fields(self, request, obj=None):
        return self.fields


class PolicyInline(ItemInline):
    model = Policy
    fields = ["title", "issuer", "document_number", "issued_on", "type", "amount", "in_force"]


class FundInline(ItemInline):
    model = RiskFund
    fields = ["title", "scope", "size", "banks", "loans_count", "loans_amount", "compensation_paid"]


class EventInline(ItemInline):
    model = Event
    fields = ["type", "title", "held_on", "place", "organiser", "enterprises_attending"]


class PracticeInline(ItemInline):
    model = Practice
    fields = ["title", "text"]


class TransitionInline(ItemInline):
    model = MeasureTransition
    fields = ["at", "action", "from_state", "to_state", "actor", "comment"]


@admin.register(MeasureReport)
class MeasureReportAdmin(DraftPrivateAdmin, ReadOnlyAdminMixin, ViewOnlyHistoryAdmin):
    list_display = ["unit", "period", "state", "updated_at", "updated_by"]
    list_filter = ["period", "state", "unit__kind"]
    search_fields = ["unit__name", "unit__short_name"]
    list_select_related = ["unit", "period", "updated_by"]
    fields = ["unit", "period", "state", "updated_at", "updated_by"]
    readonly_fields = fields
    inlines = [PolicyInline, FundInline, EventInline, PracticeInline, TransitionInline]
    # A draft's, its unit's alone (workflow.admin).
    content_inlines = [PolicyInline, FundInline, EventInline, PracticeInline]
