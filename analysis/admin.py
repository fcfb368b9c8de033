from django.contrib import admin

from .models import StandingRules


@admin.register(StandingRules)
class StandingRulesAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "excellent_top",
        "fast_growth_percent",
        "lagging_bottom",
        "falling_is_lagging",
    ]

    def has_add_permission(self, request):
        # One set of rules: once it exists, it is edited, not added to.
        return super().has_add_permission(request) and not StandingRules.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
