"""Create the role groups and give them their permissions; safe to run again."""

from django.contrib.auth.models import Group, Permission

from .roles import ADMINISTRATOR_GROUP, REVIEWER_GROUP, SUBMITTER_GROUP

# Model permissions used by the Django admin. Workflow rights (submit, review) are
# object rules in accounts/roles.py, not model permissions.
ADMINISTRATOR_PERMISSIONS = {
    "auth": {"user": ["add", "change", "view"], "group": ["view"]},
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
    # Unlocking a locked-out account is deleting its failed attempts.
    "axes": {"accessattempt": ["view", "delete"], "accessfailurelog": ["view"]},
}


def ensure_groups(**kwargs):
    for name in (SUBMITTER_GROUP, REVIEWER_GROUP):
        Group.objects.get_or_create(name=name)
    administrators, _ = Group.objects.get_or_create(name=ADMINISTRATOR_GROUP)
    wanted = []
    for app_label, models in ADMINISTRATOR_PERMISSIONS.items():
        for model, actions in models.items():
            codenames = [f"{action}_{model}" for action in actions]
            wanted.extend(
                Permission.objects.filter(
                    content_type__app_label=app_label,
                    content_type__model=model,
                    codename__in=codenames,
                )
            )
    administrators.permissions.add(*wanted)
