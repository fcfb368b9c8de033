from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from accounts.roles import is_provincial, is_submitter
from periods.models import ReportingPeriod
from reporting.models import IPKind
from reporting.queries import submitter_tasks


class HomeView(LoginRequiredMixin, TemplateView):
    """What the user has to do: a submitter's units and periods; the province's periods."""

    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        context = super().get_context_data(kinds=list(IPKind), **kwargs)
        context["is_provincial"] = is_provincial(user)
        context["periods"] = periods = list(ReportingPeriod.objects.all())
        if is_submitter(user):
            context["tasks"] = submitter_tasks(user, periods)
        return context
