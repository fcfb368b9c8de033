from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import Event
from audit.services import record
from cities.models import ReportingUnit
from lib.wording import join_names

from . import factors
from .roles import SEPARATED_GROUPS
from .signals import (
    record_units_change,
    refuse_granting_administrators,
    refuse_incompatible_roles,
    unit_names,
)

User = get_user_model()


class UnitMembershipForm(forms.ModelForm):
    class Meta:
        model = ReportingUnit.submitters.through
        fields = ["reportingunit"]
        # Django labels the column of the table it makes by the model's code name.
        labels = {"reportingunit": _("填报单位")}


def is_own(request, obj):
    return obj is not None and obj.pk == request.user.pk


class UnitMembershipInline(admin.TabularInline):
    """The reporting units a 市级填报员 submits for."""

    model = ReportingUnit.submitters.through
    form = UnitMembershipForm
    extra = 1
    verbose_name = _("填报单位")
    verbose_name_plural = _("可填报的单位（市级填报员）")
    autocomplete_fields = ["reportingunit"]

    # Django asks for the right to change a reporting unit here (the table is the units'); the
    # units of an account are the accounts' business: the 安全管理员's, never on their own.
    def _may_change(self, request, obj):
        return request.user.has_perm("auth.change_user") and not is_own(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._may_change(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_change(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_change(request, obj)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("auth.view_user")


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
    """The roles and their rights are the code's (accounts.groups sets them at each migrate):
    shown, never changed here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RolesForm(forms.ModelForm):
    """The account's roles: one of the three administrators at most (the signal refuses it by
    any other route too)."""

    def clean_groups(self):
        groups = self.cleaned_data["groups"]
        names = {group.name for group in groups}
        before = (
            set(self.instance.groups.values_list("name", flat=True)) if self.instance.pk else set()
        )
        try:
            refuse_granting_administrators(before, names)
            refuse_incompatible_roles(names, superuser=self.instance.is_superuser)
        except (ValidationError, PermissionDenied) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            raise ValidationError(messages) from None
        return groups


@admin.register(User)
class PortalUserAdmin(PermissionChoosers, UserAdmin):
    """Accounts, as the 安全管理员 keeps them.

    No form offers 超级用户状态, 工作人员状态 or single permissions: a superuser is made at the
    console for emergencies, the admin site follows from the roles, and rights come with roles.
    Nobody changes their own roles, units or state; an account is disabled, never deleted (the
    trail and the reports name it); a superuser's account is changed by a superuser only.
    """

    form = type("UserChangeForm", (RolesForm, UserAdmin.form), {})
    inlines = [UnitMembershipInline]
    change_password_form = PasswordChangeForm
    list_display = [
        "username",
        "first_name",
        "email",
        "is_active",
        "roles",
        "second_factor",
        "last_login",
    ]
    list_filter = ["groups", "is_active"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Permissions"), {"fields": ("is_active", "groups", "second_factor")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    filter_horizontal = ("groups",)
    actions = ["reset_second_factor"]

    @admin.display(description=_("角色"))
    def roles(self, obj):
        return "、".join(group.name for group in obj.groups.all())

    @admin.display(description=_("两步验证"), boolean=True)
    def second_factor(self, obj):
        return any(device.confirmed for device in obj.totpdevice_set.all())

    @admin.action(description=_("重置所选用户的两步验证"), permissions=["change"])
    def reset_second_factor(self, request, queryset):
        done, refused = [], []
        for user in queryset.order_by("username"):
            # The 安全管理员 resets others' second factor, as they change others' roles.
            if is_own(request, user) or not self.has_change_permission(request, user):
                refused.append(user.get_username())
                continue
            factors.reset(user)
            record(Event.SECOND_FACTOR_RESET, obj=user, details={"username": user.username})
            done.append(user.get_username())
        if done:
            self.message_user(
                request,
                ngettext(
                    "已重置 %(names)s 的两步验证：其登录已结束，下次登录时须重新设置验证器。",
                    "已重置 %(names)s 的两步验证：其登录已结束，下次登录时须重新设置验证器。",
                    len(done),
                )
                % {"names": join_names(done)},
                messages.SUCCESS,
            )
        if refused:
            self.message_user(
                request,
                _("未重置 %(names)s：不能重置自己的两步验证，管理员账号由超级用户重置。")
                % {"names": join_names(refused)},
                messages.ERROR,
            )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups", "totpdevice_set")

    def get_readonly_fields(self, request, obj=None):
        fields = ["last_login", "date_joined", "second_factor"]
        if is_own(request, obj):
            fields += ["is_active", "groups"]
        return fields

    def has_change_permission(self, request, obj=None):
        # A superuser's or an administrator's account is the superuser's to change (its roles,
        # its password): the 安全管理员 neither takes over nor unmakes another administrator.
        if obj is not None and not request.user.is_superuser:
            if obj.is_superuser or obj.groups.filter(name__in=SEPARATED_GROUPS).exists():
                return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_related(self, request, form, formsets, change):
        before = unit_names(form.instance.pk)
        super().save_related(request, form, formsets, change)
        record_units_change(form.instance.pk, before)

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name == "groups":
            if request is not None and not request.user.is_superuser:
                kwargs["queryset"] = Group.objects.exclude(name__in=SEPARATED_GROUPS)
            kwargs["help_text"] = _(
                "系统管理员、安全管理员、审计管理员三者只能任其一，由超级用户授予；安全管理员、审计管理员"
                "不兼任其他角色；账号的后台权限由角色决定。"
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class PortalAccessAttemptAdmin(AccessAttemptAdmin):
    """django-axes' list of failed log-ins, its column of attempts left named."""

    @admin.display(description=_("状态"))
    def status(self, obj):
        return super().status(obj)

    # Deleting a name's failed attempts unlocks it: the 安全管理员's act, recorded.
    def delete_model(self, request, obj):
        attempt = _unlocking(obj)
        super().delete_model(request, obj)
        record(Event.ACCOUNT_UNLOCKED, **attempt)

    def delete_queryset(self, request, queryset):
        attempts = [_unlocking(obj) for obj in queryset]
        super().delete_queryset(request, queryset)
        for attempt in attempts:
            record(Event.ACCOUNT_UNLOCKED, **attempt)


def _unlocking(attempt):
    return {
        "object_type": "axes.accessattempt",
        "object_id": attempt.pk,
        "object_label": attempt.username or "",
        "details": {"username": attempt.username, "address": attempt.ip_address},
    }


admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, PortalAccessAttemptAdmin)


# Secrets of authenticators and recovery codes are never shown: the 安全管理员 resets a second
# factor (the action above), and its owner enrols a new one.
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


def admin_login(request, extra_context=None):
    """The admin site's log-in is the portal's (the password, then the second factor)."""
    target = request.GET.get("next") or request.path.replace("login/", "")
    if request.user.is_authenticated and request.user.is_staff:
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = "admin:index"
        return redirect(target)
    return redirect_to_login(target)


admin.site.login = admin_login
