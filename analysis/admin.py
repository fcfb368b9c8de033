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
