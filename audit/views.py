"""The audit trail's page: the 审计管理员's alone (a rule, ``audit.view_audit_trail``); anyone
else gets a 403, itself recorded. Its CSV and XLSX exports are downloads like any other, and
recorded as such (``audit.middleware``)."""

from django.http import HttpResponseBadRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from django_tables2 import LazyPaginator, RequestConfig

from lib.downloads import EXPORT_FORMATS, plain_table_response, unknown_export_format
from lib.views import RuleRequiredMixin

from .forms import TrailFilter
from .models import AuditEvent
from .tables import TrailTable, details_text, object_text, when

PAGE_SIZE = 50
# An export larger than this is refused: a narrower filter (a shorter time) is asked for.
EXPORT_LIMIT = 100_000


class TrailView(RuleRequiredMixin, TemplateView):
    permission = "audit.view_audit_trail"
    template_name = "audit/trail.html"

    def get(self, request, *args, **kwargs):
        form = TrailFilter(request.GET or None)
        valid = form.is_valid() if form.is_bound else True
        events = AuditEvent.objects.all()
        if valid and form.is_bound:
            events = form.filter(events)
        export_format = request.GET.get("_export")
        if export_format is not None and valid:
            return self.export(events, export_format)
        table = TrailTable(events if valid else AuditEvent.objects.none())
        # Counting millions of rows for the last page's number is not worth it: next, previous.
        RequestConfig(
            request, paginate={"per_page": PAGE_SIZE, "paginator_class": LazyPaginator}
        ).configure(table)
        query = request.GET.copy()
        query.pop("page", None)
        query.pop("_export", None)
        context = self.get_context_data(form=form, table=table, query=query.urlencode())
        return self.render_to_response(context, status=200 if valid else 400)

    def export(self, events, export_format):
        if export_format not in EXPORT_FORMATS:
            return unknown_export_format()
        rows = list(events[: EXPORT_LIMIT + 1])
        if len(rows) > EXPORT_LIMIT:
            return HttpResponseBadRequest(
                _("筛选出的记录超过 {limit} 条，请缩小时间范围后再导出。").format(
                    limit=EXPORT_LIMIT
                ),
                content_type="text/plain; charset=utf-8",
            )
        headings = [str(column.header) for column in TrailTable([]).columns]
        table = [
            [
                when(event),
                event.username,
                event.roles,
                event.address,
                event.get_event_display(),
                object_text(event),
                event.get_result_display(),
                details_text(event),
            ]
            for event in rows
        ]
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return plain_table_response(
            _("审计记录-{stamp}").format(stamp=stamp), headings, table, export_format
        )
