from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.roles import can
from cities.models import ReportingUnit
from lib.downloads import XLSX, attachment_response, plain_table_response
from lib.views import RuleRequiredMixin
from reporting.imports import read_rows
from reporting.models import IPKind, ReportingPeriod
from reporting.views_imports import TwoStepConfirmView, TwoStepImportView

from .exports import banks_table, contract_template
from .forms import ContractImportForm
from .imports import MAX_CONTRACTS, apply_contracts, parse_contracts
from .queries import rank_banks


class ContractsImport:
    """Pledge contracts, one per row; the reports' figures are then derived from them."""

    form_class = ContractImportForm
    template_name = "contracts/import.html"
    preview_template = "contracts/import_preview.html"
    start_url = "contracts:import"
    contracts = True

    def form_kwargs(self):
        scope = self.scope()
        units = ReportingUnit.objects.all()
        return {
            **super().form_kwargs(),
            "units": units if scope is None else units.filter(pk__in=scope),
        }

    def preview(self, pending):
        rows = read_rows(bytes(pending.content), pending.filename, max_rows=MAX_CONTRACTS)
        return parse_contracts(
            rows,
            pending.period,
            unit=pending.unit,
            kind=pending.kind or None,
            restrict_to_units=self.scope(),
        )

    def apply(self, preview, pending, approve):
        as_draft = self.scope() is not None
        return apply_contracts(
            preview, self.request.user, pending.filename, as_draft=as_draft, approve=approve
        )

    def success_message(self, changed):
        return _("已导入 {count} 份质押合同，报表数据已按合同汇总。").format(count=changed)


class ContractImportView(ContractsImport, TwoStepImportView):
    pass


class ConfirmContractImportView(ContractsImport, TwoStepConfirmView):
    pass


class TemplateView(LoginRequiredMixin, View):
    """The XLSX template for one unit and period."""

    def get(self, request, period, code):
        period = get_object_or_404(ReportingPeriod.objects.by_slug(period))
        unit = get_object_or_404(ReportingUnit, code=code)
        if not can(request.user, "reporting.view_report", unit):
            raise Http404
        return attachment_response(
            contract_template(unit, period), XLSX, f"{unit.name}{period.label}质押合同模板.xlsx"
        )


class BankRankingView(RuleRequiredMixin, View):
    """Pledgee banks of a period ranked by amount (branches under their bank), with exports."""

    permission = "reporting.view_board"

    def get(self, request, period):
        period = get_object_or_404(ReportingPeriod.objects.by_slug(period))
        kind = request.GET.get("kind") if request.GET.get("kind") in IPKind.values else None
        headings, rows = banks_table(rank_banks(period, kind))
        title = _("{period}知识产权质押融资银行排名").format(period=period.label)
        export = request.GET.get("_export")
        if export in ("csv", "xlsx"):
            return plain_table_response(title, headings, rows, export)
        context = {
            "period": period,
            "title": title,
            "headings": headings,
            "rows": rows,
            "kind": kind,
            "kinds": list(IPKind),
        }
        return render(request, "contracts/banks.html", context)
