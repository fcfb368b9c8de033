"""The admin edits reference data (the peer provinces' benchmarks). Reports are read-only here:
figures and states change only through the portal's services, never around them."""

from django.contrib import admin

from lib.admin import ReadOnlyAdminMixin, ViewOnlyHistoryAdmin
from workflow.admin import DraftPrivateAdmin

from .models import PledgeFigures, PledgeReport, ProvinceBenchmark, ReportTransition


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
class PledgeReportAdmin(DraftPrivateAdmin, ReadOnlyAdminMixin, ViewOnlyHistoryAdmin):
    """Reports are read-only here. A table of figures is imported on the portal's own import
    page (its preview names every row and what confirming would do); the list links to it."""

    change_list_template = "admin/reporting/pledgereport/change_list.html"
    list_display = ["unit", "period", "state", "updated_at", "updated_by"]
    list_filter = ["period", "state", "unit__kind"]
    search_fields = ["unit__name", "unit__short_name"]
    list_select_related = ["unit", "period", "updated_by"]
    fields = ["unit", "period", "state", "explanation", "updated_at", "updated_by"]
    readonly_fields = fields
    inlines = [PledgeFiguresInline, ReportTransitionInline]
    # A draft's, its unit's alone (workflow.admin).
    content_fields = ["explanation"]
    content_inlines = [PledgeFiguresInline]


@admin.register(ProvinceBenchmark)
class ProvinceBenchmarkAdmin(admin.ModelAdmin):
    list_display = ["province", "year", "kind", "items", "amount", "source"]
    list_filter = ["year", "kind"]
