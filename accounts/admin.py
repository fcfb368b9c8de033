from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from cities.models import ReportingUnit

User = get_user_model()


class UnitMembershipInline(admin.TabularInline):
    """The reporting units a 市级填报员 submits for."""

    model = ReportingUnit.submitters.through
    extra = 1
    verbose_name = _("填报单位")
    verbose_name_plural = _("可填报的单位（市级填报员）")
    autocomplete_fields = ["reportingunit"]


admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    inlines = [UnitMembershipInline]
    list_display = ["username", "first_name", "email", "is_active", "is_staff", "last_login"]
    list_filter = ["groups", "is_active", "is_staff"]
