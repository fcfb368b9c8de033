"""View mixins every app uses."""

import rules
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied


class RuleRequiredMixin(LoginRequiredMixin):
    """A view for users who pass the rule ``permission``: visitors log in, others get 403.

    The rule is asked of django-rules directly, not through ``user.has_perm``, which would ask
    every authentication backend (two more queries per refusal).
    """

    permission = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not rules.has_perm(self.permission, request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
