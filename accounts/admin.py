from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cities.models import ReportingUnit

User = get_user_model()


class UnitMembershipForm(forms.ModelForm):
    class Meta:
        model = ReportingUnit.submitters.through
        fields = ["reportingunit"]
        # Django labels the column of the table it makes by the model's code name.
        labels = {"reportingunit": _("填报单位")}


class UnitMembershipInline(admin.TabularInline):
    """The reporting units a 市级填报员 submits for."""

    model = ReportingUnit.submitters.through
    form = UnitMembershipForm
    extra = 1
    verbose_name = _("填报单位")
    verbose_name_plural = _("可填报的单位（市级填报员）")
    autocomplete_fields = ["reportingunit"]


class PasswordChangeForm(AdminPasswordChangeForm):
    # Django adds an English warning to its translated help text, out of reach of any
    # translation; here the same words, translated.
    usable_password_help_text = format_lazy(
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        SetUnusablePasswordMixin.usable_password_help_text,
        _("If disabled, the current password for this user will be lost."),
    )


admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    inlines = [UnitMembershipInline]
    change_password_form = PasswordChangeForm
    list_display = ["username", "first_name", "email", "is_active", "is_staff", "last_login"]
    list_filter = ["groups", "is_active", "is_staff"]


class PortalAccessAttemptAdmin(AccessAttemptAdmin):
    """django-axes' list of failed log-ins, its column of attempts left named."""

    @admin.display(description=_("状态"))
    def status(self, obj):
        return super().status(obj)


admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, PortalAccessAttemptAdmin)
