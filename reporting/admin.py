"""The admin edits reference data (periods, benchmarks). Reports are read-only here:
figures and states change only through the portal's services, never around them."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    DeadlineExtension,
    PledgeFigures,
    PledgeReport,
    ProvinceBenchmark,
    ReportingPeriod,
    ReportTransition,
)


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["__str__", "year", "granularity", "number", "opens_on", "deadline"]
    list_filter = ["granularity", "year"]


class PledgeFiguresInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = PledgeFigures
    fields = ["kind", "amount", "projects", "items", "enterprises", "smes", "inclusive_projects"]
    readonly_fields = fields
    extra = 0


class ReportTransitionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ReportTransition
    fields = ["at", "action", "from_state", "to_state", "actor", "comment"]
    readonly_fields = fields
    extra = 0


@admin.register(PledgeReport)
class PledgeReportAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["unit", "period", "state", "updated_at", "updated_by"]
    list_filter = ["period", "state", "unit__kind"]
    search_fields = ["unit__name", "unit__short_name"]
    list_select_related = ["unit", "period", "updated_by"]
    fields = ["unit", "period", "state", "explanation", "updated_at", "updated_by"]
    readonly_fields = fields
    inlines = [PledgeFiguresInline, ReportTransitionInline]


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["period", "unit", "until", "reason", "granted_by", "granted_at"]
    list_filter = ["period"]
    list_select_related = ["period", "unit", "granted_by"]


@admin.register(ProvinceBenchmark)
class ProvinceBenchmarkAdmin(admin.ModelAdmin):
    list_display = ["province", "year", "kind", "items", "amount", "source"]
    list_filter = ["year", "kind"]
