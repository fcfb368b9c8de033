from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("账号与角色")
    default = True

    def ready(self):
        from . import (
            roles,  # noqa: F401 (registers every rule of the project)
            signals,  # noqa: F401 (the audit of accounts, the separation of duties)
        )
        from .groups import ensure_groups

        # After every migrate, when the permissions exist: the groups always match the code.
        post_migrate.connect(ensure_groups, dispatch_uid="accounts.ensure_groups")


def _when(moment):
    return format_date(timezone.localtime(moment), "Y-m-d H:i") if moment else "—"


def _attempt_name(attempt):
    return gettext("{username} 从 {address} 的登录尝试").format(
        username=attempt.username or "—", address=attempt.ip_address or "—"
    )


def _log_name(log):
    return gettext("{username} 于 {when} 的登录").format(
        username=log.username or "—", when=_when(log.attempt_time)
    )


def _failure_name(failure):
    if failure.locked_out:
        text = gettext("{username} 于 {when} 从 {address} 登录失败，已锁定")
    else:
        text = gettext("{username} 于 {when} 从 {address} 登录失败")
    return text.format(
        username=failure.username or "—",
        when=_when(failure.attempt_time),
        address=failure.ip_address or "—",
    )


class AxesConfig(AxesAppConfig):
    """django-axes (it counts failed log-ins for the lock-out), as the admin shows it: under a
    name of ours, its rows named in the user's language.

    django-axes gives its app no name (the admin would say "Axes") and names its rows in
    English in code ("Attempted Access: 2021-03-05 08:00:00.123456+00:00"), out of reach of
    any translation; the admin shows those names in titles, breadcrumbs and delete pages.
    """

    default = False
    verbose_name = _("登录安全")

    def ready(self):
        super().ready()
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        AccessAttempt.__str__ = _attempt_name
        AccessLog.__str__ = _log_name
        AccessFailureLog.__str__ = _failure_name
