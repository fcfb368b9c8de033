"""The portal's roles: Django groups, plus a submitter's link to their reporting units.

The helpers cache a user's groups and units on the user object, so checking
several rules in one request costs two queries at most.
"""

import rules

SUBMITTER_GROUP = "市级填报员"
REVIEWER_GROUP = "省级审核员"
ADMINISTRATOR_GROUP = "省级管理员"
GROUPS = (SUBMITTER_GROUP, REVIEWER_GROUP, ADMINISTRATOR_GROUP)


def group_names(user):
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_portal_groups"):
        user._portal_groups = frozenset(user.groups.values_list("name", flat=True))
    return user._portal_groups


def unit_ids(user):
    """The reporting units this user submits for (none unless they are a 市级填报员)."""
    if SUBMITTER_GROUP not in group_names(user):
        return frozenset()
    if not hasattr(user, "_portal_units"):
        user._portal_units = frozenset(user.reporting_units.values_list("pk", flat=True))
    return user._portal_units


@rules.predicate
def is_reviewer(user):
    return user.is_authenticated and (user.is_superuser or REVIEWER_GROUP in group_names(user))


@rules.predicate
def is_administrator(user):
    return user.is_authenticated and (user.is_superuser or ADMINISTRATOR_GROUP in group_names(user))


is_provincial = is_reviewer | is_administrator


@rules.predicate
def is_submitter(user):
    return bool(unit_ids(user))


@rules.predicate
def is_unit_submitter(user, obj):
    """``obj`` is a report (its unit) or a reporting unit."""
    unit_id = getattr(obj, "unit_id", None) or getattr(obj, "pk", None)
    return unit_id in unit_ids(user)
