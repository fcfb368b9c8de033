"""The admin edits periods (and closes one early); extensions are granted on the report page
and only shown here."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.admin import ReadOnlyAdminMixin

from .forms import PeriodAdminForm
from .models import DeadlineExtension, ReportingPeriod


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


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["period", "unit", "until", "reason", "granted_by", "granted_at"]
    list_filter = ["period"]
    list_select_related = ["period", "unit", "granted_by"]
