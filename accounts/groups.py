"""Create the role groups and give them their permissions; safe to run again.

The groups' permissions are the code's: each migrate sets them (an admin never edits a role)."""

from django.contrib.auth.models import Group, Permission

from .roles import (
    ADMINISTRATOR_GROUP,
    AUDITOR_GROUP,
    GROUPS,
    SECURITY_GROUP,
)

# Model permissions used by the Django admin. Workflow rights (submit, review) and reading the
# audit trail are rules in accounts/roles.py, not model permissions.
PERMISSIONS = {
    # The business's settings; no accounts, no roles.
    ADMINISTRATOR_GROUP: {
        "cities": {
            "reportingunit": ["add", "change", "view"],
            "unitalias": ["add", "change", "delete", "view"],
        },
        "periods": {"reportingperiod": ["add", "change", "view"], "deadlineextension": ["view"]},
        "reporting": {
            "provincebenchmark": ["add", "change", "delete", "view"],
            "pledgereport": ["view"],
            "pledgefigures": ["view"],
            "reporttransition": ["view"],
        },
        "contracts": {"pledgecontract": ["view"]},
        "analysis": {"standingrules": ["add", "change", "view"]},
    },
    # Accounts: creating and disabling them (never deleting), their roles and units, their
    # passwords, unlocking them (deleting their failed attempts). No business data: units are
    # seen only to be chosen.
    SECURITY_GROUP: {
        "auth": {"user": ["add", "change", "view"], "group": ["view"]},
        "cities": {"reportingunit": ["view"]},
        "axes": {
            "accessattempt": ["view", "delete"],
            "accessfailurelog": ["view"],
            "accesslog": ["view"],
        },
    },
    # The audit trail is read on its own page, by rule; nothing in the admin.
    AUDITOR_GROUP: {},
}


def ensure_groups(**kwargs):
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for app_label, models in PERMISSIONS.get(name, {}).items():
            for model, actions in models.items():
                codenames = [f"{action}_{model}" for action in actions]
                wanted.extend(
                    Permission.objects.filter(
                        content_type__app_label=app_label,
                        content_type__model=model,
                        codename__in=codenames,
                    )
                )
        group.permissions.set(wanted)
