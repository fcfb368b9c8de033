from django.contrib import admin

from .models import PledgeFigures, PledgeReport, ProvinceBenchmark, ReportingPeriod


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["__str__", "year", "granularity", "number", "opens_on", "deadline"]
    list_filter = ["granularity", "year"]


class PledgeFiguresInline(admin.TabularInline):
    model = PledgeFigures
    extra = 0
    max_num = 2


@admin.register(PledgeReport)
class PledgeReportAdmin(admin.ModelAdmin):
    list_display = ["unit", "period", "state", "updated_at"]
    list_filter = ["period", "state", "unit__kind"]
    search_fields = ["unit__name", "unit__short_name"]
    list_select_related = ["unit", "period"]
    inlines = [PledgeFiguresInline]


@admin.register(ProvinceBenchmark)
class ProvinceBenchmarkAdmin(admin.ModelAdmin):
    list_display = ["province", "year", "kind", "items", "amount", "source"]
    list_filter = ["year", "kind"]
