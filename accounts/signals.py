"""Accounts as the audit trail and the separation of duties see them, by every route (the
admin, the shell, a command): log-ins and log-outs, failed log-ins and lock-outs, accounts
created, disabled and enabled, roles and units changed (old → new).

Two rules hold here whatever the route, as the last line of defence behind the admin's forms:
no account holds two of the three administrators' roles, and nobody changes their own roles,
units, flags or permissions while answering a request. An account's ``is_staff`` (the admin
site) follows from its roles.
"""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django_cas_ng.signals import cas_user_logout

from audit.models import Event, Result
from audit.services import record
from cities.models import ReportingUnit
from lib.requests import current_request
from lib.wording import join_names

from . import passwords, sessions
from .roles import (
    AUDITOR_GROUP,
    EXCLUSIVE_GROUPS,
    SEPARATED_GROUPS,
    STAFF_GROUPS,
    SUPERUSER_HOLDS,
)

User = get_user_model()
Membership = ReportingUnit.submitters.through


# ── Log-ins ───────────────────────────────────────────────────────────────────────────


@receiver(user_logged_in, dispatch_uid="audit.login")
def logged_in(sender, request, user, **kwargs):
    record(Event.LOGIN, user=user, request=request)
    if request is not None and hasattr(request, "session"):
        sessions.started(request.session, user)


@receiver(user_logged_out, dispatch_uid="audit.logout")
def logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(Event.LOGOUT, user=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit.login_failed")
def login_failed(sender, credentials, request=None, **kwargs):
    # django-axes has run first (it is installed before the portal): a failure it counted
    # carries its count; one refused because the name was already locked does not.
    counted = getattr(request, "axes_failures_since_start", None) is not None
    refused = not counted and getattr(request, "axes_locked_out", False)
    # What failed besides a password: a second factor's code, a CAS ticket (and why).
    failure = dict(getattr(request, "login_failure", None) or {})
    username = failure.pop("username", "") or credentials.get("username") or ""
    record(
        Event.LOGIN_FAILED,
        username=str(username),
        request=request,
        result=Result.REFUSED if refused else Result.FAILED,
        details={"locked_out": bool(refused), **failure},
    )


@receiver(cas_user_logout, dispatch_uid="audit.cas_logout")
def logged_out_by_the_platform(sender, user, session, ticket, **kwargs):
    # The identity platform's single log-out ended this session (a log-out at the portal is
    # recorded by logged_out above).
    if sender == "slo" and user is not None and user.is_authenticated:
        record(Event.LOGOUT, user=user, request=None, details={"via": "cas_single_logout"})


@receiver(user_locked_out, dispatch_uid="audit.locked_out")
def locked_out(sender, request, username, ip_address, **kwargs):
    # Sent again for every try while locked; the lock itself is set by a counted failure.
    if getattr(request, "axes_failures_since_start", None) is not None:
        record(
            Event.LOCKED_OUT,
            username=str(username or ""),
            request=request,
            result=Result.REFUSED,
            details={"failures": request.axes_failures_since_start},
        )


# ── Accounts ──────────────────────────────────────────────────────────────────────────


def actor():
    """Who is signed in for the request being answered, or None (a command at the console, an
    anonymous visitor following a reset link)."""
    user = getattr(current_request(), "user", None)
    return user if user is not None and user.is_authenticated else None


def acting_on_oneself(user):
    """The request being answered is by ``user`` about ``user``."""
    person = actor()
    return person is not None and person.pk == user.pk


def set_by_another(user):
    """A signed-in person other than ``user`` is acting: a password they set is not the
    owner's (a reset by e-mail link, or at the console, is)."""
    person = actor()
    return person is not None and person.pk != user.pk


# The flags of an account its owner may not change.
GUARDED_FLAGS = ("is_active", "is_staff", "is_superuser")


@receiver(pre_save, sender=User, dispatch_uid="accounts.flags_before")
def flags_before(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or instance._state.adding:
        return
    # set_password() leaves the new password here until the save (a log-in that only
    # re-hashes the same password clears it first): a password set, by its owner or not.
    instance._password_set = getattr(instance, "_password", None) is not None
    if update_fields is not None and not set(update_fields) & set(GUARDED_FLAGS):
        return  # a log-in's last_login, a password: no flag can change
    stored = User.objects.filter(pk=instance.pk).values(*GUARDED_FLAGS).first()
    if stored is None:
        return
    changed = [flag for flag in GUARDED_FLAGS if stored[flag] != getattr(instance, flag)]
    if changed and acting_on_oneself(instance):
        raise PermissionDenied(_("不能修改自己账号的状态或权限。"))
    instance._was_active = stored["is_active"]


@receiver(post_save, sender=User, dispatch_uid="audit.account")
def account_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if created:
        record(Event.ACCOUNT_CREATED, obj=instance)
        if instance.has_usable_password():
            passwords.remember(instance, by_owner=not set_by_another(instance))
        return
    if getattr(instance, "_password_set", False):
        instance._password_set = False
        # By its owner (the change form, or the first log-in's forced change); by anyone else
        # (the 安全管理员, a reset by e-mail link, the console) it is a reset.
        own = acting_on_oneself(instance)
        record(Event.PASSWORD_CHANGED if own else Event.PASSWORD_RESET, obj=instance)
        if instance.has_usable_password():
            passwords.remember(instance, by_owner=not set_by_another(instance))
    was_active = getattr(instance, "_was_active", None)
    if was_active is not None and was_active != instance.is_active:
        record(
            Event.ACCOUNT_ENABLED if instance.is_active else Event.ACCOUNT_DISABLED, obj=instance
        )
    instance._was_active = None


def role_names(user):
    return sorted(user.groups.values_list("name", flat=True))


def refuse_incompatible_roles(names, *, superuser=False):
    """Refuse roles no account may hold together: two of the three administrators (a superuser
    counts as the system and the security administrator), or the security or audit
    administrator beside any other role."""
    administrators = [name for name in SEPARATED_GROUPS if name in names]
    if superuser and AUDITOR_GROUP in names:  # the superuser already is the other two
        administrators = [*SUPERUSER_HOLDS, AUDITOR_GROUP]
    if len(administrators) > 1:
        raise ValidationError(
            _("一个账号不能同时担任%(roles)s：系统管理员、安全管理员、审计管理员三者只能任其一。")
            % {"roles": join_names(administrators)}
        )
    alone = [name for name in EXCLUSIVE_GROUPS if name in names]
    if alone and len(set(names)) > 1:
        raise ValidationError(_("%(role)s不能兼任其他角色。") % {"role": join_names(alone)})


def refuse_granting_administrators(before, after):
    """The three administrators' roles are given and taken by a superuser alone (the console's
    emergency account): no administrator makes or unmakes another, nor a puppet of their own."""
    person = actor()
    if person is None or person.is_superuser:
        return  # a command at the console, or the superuser
    if (set(before) ^ set(after)) & set(SEPARATED_GROUPS):
        raise PermissionDenied(
            _("系统管理员、安全管理员、审计管理员的角色只能由超级用户授予或收回。")
        )


def _sync_staff(user_ids):
    """The admin site is for the system and security administrators (and a superuser)."""
    for user in User.objects.filter(pk__in=user_ids):
        staff = user.is_superuser or bool(set(role_names(user)) & set(STAFF_GROUPS))
        if user.is_staff != staff:
            User.objects.filter(pk=user.pk).update(is_staff=staff)


def _accounts(instance, action, reverse, pk_set):
    """The accounts a change of roles touches."""
    if not reverse:
        return [instance]
    if action == "pre_clear":
        return list(instance.user_set.all())
    return list(User.objects.filter(pk__in=pk_set or ()))


def _roles_after(before, instance, action, reverse, pk_set):
    names = (
        {instance.name}
        if reverse
        else set(Group.objects.filter(pk__in=pk_set or ()).values_list("name", flat=True))
    )
    if action == "pre_add":
        return set(before) | names
    if action == "pre_remove" or (action == "pre_clear" and reverse):
        return set(before) - names
    return set()


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="accounts.roles")
def roles_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Refuse what must not be (before), record old → new and set is_staff (after). The roles
    before the change wait on the object changed between the two signals."""
    if action.startswith("pre_"):
        instance._roles_before = {}
        for user in _accounts(instance, action, reverse, pk_set):
            before = role_names(user)
            after = _roles_after(before, instance, action, reverse, pk_set)
            if after == set(before):
                continue
            if acting_on_oneself(user):
                raise PermissionDenied(_("不能修改自己的角色。"))
            refuse_granting_administrators(before, after)
            refuse_incompatible_roles(after, superuser=user.is_superuser)
            instance._roles_before[user.pk] = before
        return
    changed, instance._roles_before = getattr(instance, "_roles_before", {}), {}
    for pk, before in changed.items():
        user = User.objects.get(pk=pk)
        record(Event.ROLES_CHANGED, obj=user, details={"before": before, "after": role_names(user)})
    _sync_staff(changed)


# ── Units ─────────────────────────────────────────────────────────────────────────────


def unit_names(user_id):
    return sorted(ReportingUnit.objects.filter(submitters=user_id).values_list("name", flat=True))


def record_units_change(user_id, before):
    """Record the account's units if they differ from ``before`` (names, sorted)."""
    user = User.objects.get(pk=user_id)
    after = unit_names(user_id)
    if before != after:
        record(Event.UNITS_CHANGED, obj=user, details={"before": before, "after": after})


@receiver(m2m_changed, sender=Membership, dispatch_uid="accounts.units")
def units_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """A unit's submitters, changed from either side (unit.submitters, user.reporting_units).

    Django sends no save or delete signal for a row of the table it makes for the relation:
    the admin's inline, which saves such rows, records its change itself (accounts.admin)."""
    if action.startswith("pre_"):
        if reverse:  # the instance is the account
            accounts = [instance.pk]
        elif action == "pre_clear":
            accounts = list(instance.submitters.values_list("pk", flat=True))
        else:
            accounts = list(pk_set or ())
        instance._units_before = {}
        for pk in accounts:
            if acting_on_oneself(User(pk=pk)):
                raise PermissionDenied(_("不能修改自己的填报单位。"))
            instance._units_before[pk] = unit_names(pk)
        return
    changed, instance._units_before = getattr(instance, "_units_before", {}), {}
    for pk, before in changed.items():
        record_units_change(pk, before)
