from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("账号与角色")

    def ready(self):
        from . import roles  # noqa: F401 (registers every rule of the project)
        from .groups import ensure_groups

        # After every migrate, when the permissions exist: the groups always match the code.
        post_migrate.connect(ensure_groups, dispatch_uid="accounts.ensure_groups")
