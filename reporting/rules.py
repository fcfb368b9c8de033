"""Who may do what with reports (object permissions through django-rules)."""

import rules
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from accounts.roles import is_provincial, is_reviewer, is_submitter, is_unit_submitter


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
rules.add_perm("reporting.import_report", is_provincial)
rules.add_perm("reporting.upload_figures", is_submitter | is_provincial)


class RuleRequiredMixin(LoginRequiredMixin):
    """A view for users who pass the rule ``permission``: visitors log in, others get 403."""

    permission = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
