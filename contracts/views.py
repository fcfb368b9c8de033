from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views import View

from accounts.roles import can
from cities.models import ReportingUnit
from lib.downloads import XLSX, attachment_response, plain_table_response
from lib.views import RuleRequiredMixin
from periods.queries import period_status_line
from periods.shortcuts import get_period
from reporting.models import IPKind, PledgeReport
from reporting.views_imports import figures_done_url
from uploads.views import TwoStepConfirmView, TwoStepImportView
from workflow.forms import VersionForm
from workflow.shortcuts import act, get_unit_for

from .exports import banks_table, contract_template
from .forms import ContractImportForm
from .imports import apply_contracts, parse_contracts, read_contract_rows
from .models import ContractBatch, PledgeContract
from .queries import rank_banks
from .services import may_withdraw, withdraw_batch


class ContractsImport:
    """Pledge contracts, one per row; the reports' figures are then derived from them."""

    form_class = ContractImportForm
    permission = "reporting.upload_figures"
    on_behalf_permission = "reporting.import_report"
    approve_permission = "reporting.review_report"
    template_name = "contracts/import.html"
    preview_template = "contracts/import_preview.html"
    start_url = "contracts:import"
    model = PledgeContract

    def form_kwargs(self):
        scope = self.scope()
        units = ReportingUnit.objects.all()
        return {
            **super().form_kwargs(),
            "units": units if scope is None else units.filter(pk__in=scope),
        }

    def preview(self, pending, approve):
        rows = read_contract_rows(bytes(pending.content), pending.filename)
        return parse_contracts(
            rows,
            pending.period,
            unit=pending.unit,
            kind=pending.kind or None,
            restrict_to_units=self.scope(),
            user=self.request.user,
            as_draft=self.as_draft,
            approve=approve,
        )

    def apply(self, preview, pending, approve):
        return apply_contracts(
            preview,
            self.request.user,
            pending.filename,
            as_draft=self.as_draft,
            approve=approve,
            versions=pending.versions,
            replace_typed=self.request.POST.get("replace_typed") == "1",
        )

    def done_url(self, pending, preview):
        units = list(dict.fromkeys(group.unit for group in preview.groups))
        if len(units) == 1:
            # The report's contracts, the batch just imported among them.
            return reverse("contracts:report_contracts", args=[pending.period.slug, units[0].code])
        return figures_done_url(self.request.user, pending.period, units)

    def success_message(self, changed):
        return _("已导入 {count} 份质押合同，报表数据已按合同汇总。").format(count=changed)


class ContractImportView(ContractsImport, TwoStepImportView):
    pass


class ConfirmContractImportView(ContractsImport, TwoStepConfirmView):
    pass


class ReportContractsView(LoginRequiredMixin, View):
    """A report's pledge contracts (paged) and the batches they were imported in."""

    paginate_by = 50

    def get(self, request, period, code):
        period = get_period(period)
        unit = get_unit_for(request.user, code)
        report = get_object_or_404(
            PledgeReport.objects.for_user(request.user), unit=unit, period=period
        )
        visible = can(request.user, "reporting.view_content_report", report)
        contracts = PledgeContract.objects.filter(report=report).order_by(
            "kind", "effective_on", "pk"
        )
        if not visible:  # an unsubmitted draft's contracts are its unit's
            contracts = contracts.none()
        page = Paginator(contracts, self.paginate_by).get_page(request.GET.get("page"))
        batches = (
            []
            if not visible
            else list(
                ContractBatch.objects.filter(report=report)
                .select_related("imported_by", "withdrawn_by")
                .annotate(standing=Count("contracts"))
            )
        )
        for batch in batches:
            batch.report = report  # loaded once, not once per batch
            batch.can_withdraw = (
                batch.withdrawn_at is None
                and batch.standing > 0
                and may_withdraw(request.user, batch)
            )
        context = {
            "report": report, "period": period, "unit": unit, "page": page,
            "content_visible": visible,
        }  # fmt: skip
        return render(request, "contracts/report_contracts.html", {**context, "batches": batches})


class WithdrawBatchView(LoginRequiredMixin, View):
    """POST: take an imported batch of contracts back (a recorded change of the report)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        batch = get_object_or_404(
            ContractBatch.objects.select_related("report__unit", "report__period"), pk=pk
        )
        report = batch.report
        if not can(request.user, "reporting.view_report", report):
            raise Http404
        form = VersionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请求无效，请刷新页面后重试。"))
        else:
            act(
                request,
                lambda: withdraw_batch(
                    batch, request.user, expected_version=form.cleaned_data["version"]
                ),
                _(
                    "已撤回文件“{name}”导入的 {count} 份质押合同，{kind}数据已恢复为导入前的数据。"
                ).format(
                    name=batch.filename,
                    count=batch.contract_count,
                    kind=batch.get_kind_display(),
                ),
            )
        return redirect(
            "contracts:report_contracts", period=report.period.slug, code=report.unit.code
        )


class TemplateView(LoginRequiredMixin, View):
    """The XLSX template for one unit and period."""

    def get(self, request, period, code):
        period = get_period(period)
        unit = get_unit_for(request.user, code)
        return attachment_response(
            contract_template(unit, period), XLSX, f"{unit.name}{period.label}质押合同模板.xlsx"
        )


class TemplateChoiceView(LoginRequiredMixin, View):
    """The template of the period and unit picked on the import page (``?period=&unit=``)."""

    def get(self, request):
        period, code = request.GET.get("period", ""), request.GET.get("unit", "")
        try:
            return redirect("contracts:template", period=period, code=code)
        except NoReverseMatch:
            messages.error(request, _("请选择报送周期和填报单位。"))
            return redirect("contracts:import")


class BankRankingView(RuleRequiredMixin, View):
    """Pledgee banks of a period ranked by amount (branches under their bank), with exports."""

    permission = "reporting.view_board"

    def get(self, request, period):
        period = get_period(period)
        kind = request.GET.get("kind") if request.GET.get("kind") in IPKind.values else None
        headings, rows = banks_table(rank_banks(period, kind))
        title = _("{period}知识产权质押融资银行排名").format(period=period.label)
        status = period_status_line(period, PledgeReport.objects.approved())
        export = request.GET.get("_export")
        if export is not None:
            return plain_table_response(
                title, headings, rows, export, notes=[status] if status else []
            )
        context = {
            "period": period,
            "status": status,
            "title": title,
            "headings": headings,
            "rows": rows,
            "kind": kind,
            "kinds": list(IPKind),
        }
        return render(request, "contracts/banks.html", context)
