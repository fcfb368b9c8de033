"""The admin edits reference data (periods, benchmarks). Reports are read-only here:
figures and states change only through the portal's services, never around them."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .forms import PeriodAdminForm
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


class ViewOnlyHistoryAdmin(SimpleHistoryAdmin):
    """A model's history to read, never to revert: a revert would save an old version around
    the services (no transition logged, no version bumped), for the superuser too."""

    def revert_disabled(self, request, obj=None):
        return True

    def has_change_history_permission(self, request, obj=None):
        return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    form = PeriodAdminForm
    list_display = [
        "__str__", "year", "granularity", "number", "opens_on", "deadline", "reporting_status",
    ]  # fmt: skip
    list_filter = ["granularity", "year"]
    actions = ["close_now", "reopen"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_last_deadline()  # is_closed without a query

    @admin.display(description=_("报送"))
    def reporting_status(self, period):
        return _("已结束") if period.is_closed else _("报送中")

    def _set_closed_at(self, request, periods, value):
        for period in periods:
            period.closed_at = value
            period.save(update_fields=["closed_at"])
            self.log_change(request, period, [{"changed": {"fields": ["closed_at"]}}])
        return len(periods)

    @admin.action(description=_("提前结束所选周期的报送"))
    def close_now(self, request, queryset):
        periods = list(queryset.filter(closed_at__isnull=True))
        count = self._set_closed_at(request, periods, timezone.now())
        self.message_user(request, _("已结束 {count} 个周期的报送。").format(count=count))

    @admin.action(description=_("撤销提前结束（按截止日期结束）"))
    def reopen(self, request, queryset):
        count = self._set_closed_at(request, list(queryset.filter(closed_at__isnull=False)), None)
        self.message_user(
            request, _("{count} 个周期恢复为按截止日期结束报送。").format(count=count)
        )


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
class PledgeReportAdmin(ReadOnlyAdminMixin, ViewOnlyHistoryAdmin):
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


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["period", "unit", "until", "reason", "granted_by", "granted_at"]
    list_filter = ["period"]
    list_select_related = ["period", "unit", "granted_by"]


@admin.register(ProvinceBenchmark)
class ProvinceBenchmarkAdmin(admin.ModelAdmin):
    list_display = ["province", "year", "kind", "items", "amount", "source"]
    list_filter = ["year", "kind"]
