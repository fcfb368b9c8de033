from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404
from django.views.generic import ListView, TemplateView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from .exports import RankedTableExport
from .models import IPKind, ReportingPeriod
from .queries import rank_units
from .tables import RankedUnitsTable


class HomeView(LoginRequiredMixin, ListView):
    """The periods, each with its ranked tables."""

    template_name = "reporting/home.html"
    context_object_name = "periods"

    def get_queryset(self):
        return ReportingPeriod.objects.all()

    def get_context_data(self, **kwargs):
        return super().get_context_data(kinds=list(IPKind), **kwargs)


class RankedTableView(LoginRequiredMixin, ExportMixin, SingleTableMixin, TemplateView):
    """金额排名: a period's province-wide table for one kind, on screen, as CSV or XLSX."""

    template_name = "reporting/ranked_table_page.html"
    export_class = RankedTableExport
    export_formats = (RankedTableExport.CSV, RankedTableExport.XLSX)
    table_pagination = False

    def get_ranking(self):
        if not hasattr(self, "_ranking"):
            period = get_object_or_404(ReportingPeriod.objects.by_slug(self.kwargs["period"]))
            self._ranking = rank_units(period, self.kwargs["kind"])
        return self._ranking

    def get_table(self, **kwargs):
        table = RankedUnitsTable(self.get_ranking(), **kwargs)
        return table

    def get_export_filename(self, export_format):
        return f"{self.get_ranking().title}.{export_format}"

    def get_context_data(self, **kwargs):
        ranking = self.get_ranking()
        return super().get_context_data(ranking=ranking, kinds=list(IPKind), **kwargs)
