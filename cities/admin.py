from django.contrib import admin

from .models import ReportingUnit, UnitAlias


class UnitAliasInline(admin.TabularInline):
    model = UnitAlias
    extra = 1


@admin.register(ReportingUnit)
class ReportingUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "short_name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "short_name", "aliases__name"]
    list_select_related = ["parent"]
    inlines = [UnitAliasInline]
    ordering = ["code"]
    # Who submits for a unit is the 安全管理员's to say, on the account's page.
    exclude = ["submitters"]
