"""Who may do what, in one place: the portal's roles and every rule of the project.

A role is a Django group, plus a submitter's link to their reporting units. The rules
(django-rules permissions) are registered here, once, and asked through ``can()``; views,
services, templates and imports never compare groups or states themselves.

Separation of duties (三员分立): the 系统管理员 runs the business's settings (periods, units,
benchmarks, standing rules, circulars), the 安全管理员 the accounts (creating, disabling,
roles, units, unlocking, passwords), the 审计管理员 reads the audit trail; no account holds two
of the three (``accounts.admin`` and ``accounts.signals`` refuse it by every route).

A superuser exists only for emergencies, made at the console (``createsuperuser``): it is a
系统管理员 in the portal and may do everything in the admin, but is not a reviewer (approving,
returning and reopening reports, granting extensions and seeing provisional figures need the
省级审核员 group) and does not read the audit trail.

The helpers cache a user's groups and units on the user object, so checking
several rules in one request costs two queries at most.
"""

import rules

from cities.models import ReportingUnit

SUBMITTER_GROUP = "市级填报员"
REVIEWER_GROUP = "省级审核员"
ADMINISTRATOR_GROUP = "系统管理员"
SECURITY_GROUP = "安全管理员"
AUDITOR_GROUP = "审计管理员"
GROUPS = (SUBMITTER_GROUP, REVIEWER_GROUP, ADMINISTRATOR_GROUP, SECURITY_GROUP, AUDITOR_GROUP)
# The three administrators: an account holds one of them at most.
SEPARATED_GROUPS = (ADMINISTRATOR_GROUP, SECURITY_GROUP, AUDITOR_GROUP)
# Held alone: the security and the audit administrators hold no other role (no business role
# either), so neither can read reports nor act on them.
EXCLUSIVE_GROUPS = (SECURITY_GROUP, AUDITOR_GROUP)
# A superuser (the console's emergency account) counts as these.
SUPERUSER_HOLDS = (ADMINISTRATOR_GROUP, SECURITY_GROUP)
# The groups whose members use the admin site (their accounts' is_staff follows from them).
STAFF_GROUPS = (ADMINISTRATOR_GROUP, SECURITY_GROUP)


def can(user, permission, obj=None):
    """Check one of the rules below, without falling through to Django's model permissions.

    (``user.has_perm`` would ask every backend, costing two more queries per refusal.)
    """
    return rules.has_perm(permission, user, obj)


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


def unit_id_of(obj):
    """The reporting unit ``obj`` belongs to: a unit is its own; a report (anything with a
    ``unit_id``) is its unit's; anything else belongs to no unit, whatever its primary key."""
    if isinstance(obj, ReportingUnit):
        return obj.pk
    return getattr(obj, "unit_id", None)


# ── role predicates ───────────────────────────────────────────────────────────────────


@rules.predicate
def is_reviewer(user):
    """A 省级审核员 (being a superuser does not make one)."""
    return user.is_authenticated and REVIEWER_GROUP in group_names(user)


@rules.predicate
def is_administrator(user):
    """A 系统管理员, or a superuser."""
    return user.is_authenticated and (user.is_superuser or ADMINISTRATOR_GROUP in group_names(user))


@rules.predicate
def is_security_administrator(user):
    """A 安全管理员 (or a superuser, in an emergency)."""
    return user.is_authenticated and (user.is_superuser or SECURITY_GROUP in group_names(user))


@rules.predicate
def is_auditor(user):
    """A 审计管理员 (being a superuser does not make one)."""
    return user.is_authenticated and AUDITOR_GROUP in group_names(user)


is_provincial = is_reviewer | is_administrator


@rules.predicate
def is_submitter(user):
    return bool(unit_ids(user))


# ── object predicates ─────────────────────────────────────────────────────────────────


@rules.predicate
def is_unit_submitter(user, obj):
    """The user submits for the unit ``obj`` belongs to (see ``unit_id_of``)."""
    unit_id = unit_id_of(obj)
    return unit_id is not None and unit_id in unit_ids(user)


@rules.predicate
def is_submitted(user, obj):
    """The report has left its unit at least once: not an unsubmitted draft (the report says,
    ``UnitReport.is_unsubmitted_draft``; a unit before its report exists has nothing to hide)."""
    return not getattr(obj, "is_unsubmitted_draft", False)


# ── the rules of the project ──────────────────────────────────────────────────────────

# A unit's pages (its reports of every kind, its history): the object is the unit.
rules.add_perm("cities.view_unit", is_unit_submitter | is_provincial)

# Deadlines: letting one unit report after the period's deadline.
rules.add_perm("periods.grant_extension", is_reviewer)

# Each kind of report has its own rules, named ``<app>.<verb>_report`` (the workflow asks for
# them by verb: ``UnitReport.rule``). The object is the report, or its unit before the report
# exists.

# The figures.
rules.add_perm("reporting.edit_report", is_unit_submitter)
rules.add_perm("reporting.view_report", is_unit_submitter | is_provincial)
rules.add_perm("reporting.review_report", is_reviewer)
# The province imports figures on the units' behalf (the move 省局导入).
rules.add_perm("reporting.import_report", is_provincial)
# What a report says (figures, texts, contracts, document names): a draft is its unit's until it
# is submitted; the province sees that it exists and its state.
rules.add_perm("reporting.view_content_report", is_unit_submitter | (is_provincial & is_submitted))
rules.add_perm("reporting.view_board", is_provincial)
rules.add_perm("reporting.view_provisional", is_reviewer)
# The upload pages: a unit's own figures (and contracts), or the province's imports.
rules.add_perm("reporting.upload_figures", is_submitter | is_provincial)

# A unit's measures.
rules.add_perm("measures.edit_report", is_unit_submitter)
rules.add_perm("measures.view_report", is_unit_submitter | is_provincial)
rules.add_perm("measures.view_content_report", is_unit_submitter | (is_provincial & is_submitted))
rules.add_perm("measures.review_report", is_reviewer)
rules.add_perm("measures.import_report", is_provincial)
rules.add_perm("measures.view_matrix", is_provincial)
rules.add_perm("measures.upload_measures", is_submitter | is_provincial)

# The audit trail: read and exported by the 审计管理员 alone.
rules.add_perm("audit.view_audit_trail", is_auditor)

# Circulars.
rules.add_perm("circulars.view_circulars", is_provincial)
rules.add_perm("circulars.edit_circulars", is_administrator)
# Withdrawing (撤销) an issued circular.
rules.add_perm("circulars.withdraw_circular", is_administrator)
