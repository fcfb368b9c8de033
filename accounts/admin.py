from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.contrib.auth.models import Group
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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


# Django names every model's permissions once, in English, when it makes them ("Can add
# user"): the choosers of roles and users name them in the reader's language instead.
ACTIONS = {
    "add": pgettext_lazy("a right", "添加"),
    "change": pgettext_lazy("a right", "修改"),
    "delete": pgettext_lazy("a right", "删除"),
    "view": pgettext_lazy("a right", "查看"),
}


def permission_label(permission):
    """“认证和授权 | 用户 | 可以添加用户”: the app, the model and the right, in the reader's
    language (a permission of a model that is gone, or of the portal's own, keeps its name)."""
    model = permission.content_type.model_class()
    action = permission.codename.partition("_")[0]
    if model is None or permission.codename != f"{action}_{model._meta.model_name}":
        return str(permission)
    if action not in ACTIONS:
        return str(permission)
    app = model._meta.app_config.verbose_name
    right = _("可以{action}{model}").format(action=ACTIONS[action], model=model._meta.verbose_name)
    return f"{app} | {model._meta.verbose_name} | {right}"


class PermissionsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return permission_label(obj)


class PermissionChoosers:
    """The permission choosers of the user and role pages, named in the reader's language."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name in ("permissions", "user_permissions"):
            kwargs["form_class"] = PermissionsField
            kwargs["queryset"] = db_field.remote_field.model.objects.select_related("content_type")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(Group)
class PortalGroupAdmin(PermissionChoosers, GroupAdmin):
    pass


@admin.register(User)
class PortalUserAdmin(PermissionChoosers, UserAdmin):
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
