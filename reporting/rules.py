"""Who may do what with reports (object permissions through django-rules)."""

import rules

from accounts.roles import is_provincial, is_reviewer, is_unit_submitter


def can(user, permission, obj=None):
    """Check one of the rules below, without falling through to Django's model permissions.

    (``user.has_perm`` would ask every backend, costing two more queries per refusal.)
    """
    return rules.has_perm(permission, user, obj)


rules.add_perm("reporting.edit_report", is_unit_submitter)
rules.add_perm("reporting.view_report", is_unit_submitter | is_provincial)
rules.add_perm("reporting.review_report", is_reviewer)
rules.add_perm("reporting.view_board", is_provincial)
rules.add_perm("reporting.view_provisional", is_reviewer)
rules.add_perm("reporting.grant_extension", is_reviewer)
