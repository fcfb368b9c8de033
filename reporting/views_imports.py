"""Uploads of figures: a preview of every row first, then one confirmation saves them all."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from accounts.roles import can, unit_ids
from cities.models import ReportingUnit, UnitKind
from lib.downloads import XLSX, attachment_response
from periods.models import ReportingPeriod
from uploads.views import TwoStepConfirmView, TwoStepImportView

from .exports import figures_template
from .forms import ImportForm
from .imports import apply_import, parse_figures, read_figure_rows
from .models import IPKind, PledgeFigures


class FiguresImport:
    """A table of figures in the layout of the circular's attachments."""

    form_class = ImportForm
    permission = "reporting.upload_figures"
    on_behalf_permission = "reporting.import_report"
    approve_permission = "reporting.review_report"
    template_name = "reporting/import.html"
    preview_template = "reporting/import_preview.html"
    start_url = "reporting:import"
    model = PledgeFigures

    def page_context(self):
        return {"kinds": list(IPKind)}

    def preview(self, pending, approve):
        rows = read_figure_rows(bytes(pending.content), pending.filename)
        return parse_figures(
            rows,
            pending.period,
            pending.kind,
            user=self.request.user,
            restrict_to_units=self.scope(),
            as_draft=self.as_draft,
            approve=approve,
        )

    def apply(self, preview, pending, approve):
        return apply_import(
            preview,
            self.request.user,
            pending.filename,
            as_draft=self.as_draft,
            approve=approve,
            versions=pending.versions,
            replace_reopened=self.request.POST.get("replace_reopened") == "1",
        )

    def done_url(self, pending, preview):
        return figures_done_url(self.request.user, pending.period, preview_units(preview.rows))

    def success_message(self, changed):
        if self.as_draft:
            return _("已导入 {count} 行，保存为草稿；请核对后在报表页提交。").format(count=changed)
        return _("已导入 {count} 行。").format(count=changed)


class ImportView(FiguresImport, TwoStepImportView):
    pass


class ConfirmImportView(FiguresImport, TwoStepConfirmView):
    pass


def preview_units(rows):
    """The units of a preview's rows, in file order."""
    return list(dict.fromkeys(row.unit for row in rows if row.unit is not None))


def figures_done_url(user, period, units):
    """Where a confirmed import of figures leads: the report of its one unit; the board for the
    province's import of several; else the home page's list of the clerk's reports."""
    if len(units) == 1:
        return reverse("reporting:report", args=[period.slug, units[0].code])
    if can(user, "reporting.view_board"):
        return reverse("reporting:board", args=[period.slug])
    return reverse("home")


class FiguresTemplateView(LoginRequiredMixin, View):
    """The table of figures to fill in: a clerk's own units, or every ranked unit for the
    province; for the period being reported (``?period=``) if one is given."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, "reporting.upload_figures"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, kind):
        user = request.user
        units = ReportingUnit.objects.order_by("code")
        if can(user, "reporting.import_report"):
            units = units.filter(kind__in=UnitKind.ranked())
        else:
            units = units.filter(pk__in=unit_ids(user))
        period = ReportingPeriod.objects.by_slug(request.GET.get("period", "")).first()
        name = _("{period}{kind}质押融资统计表模板.xlsx").format(
            period=period.label if period else "", kind=kind.label
        )
        return attachment_response(figures_template(kind, list(units), period), XLSX, name)
