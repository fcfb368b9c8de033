from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View

from cities.models import ReportingUnit
from reporting.exports import plain_table_response
from reporting.forms import ContractImportForm
from reporting.imports import ImportFileError, read_rows
from reporting.models import IPKind, PendingImport, ReportingPeriod
from reporting.rules import can
from reporting.views_imports import ABANDONED_AFTER, ImportAccessMixin

from .exports import banks_table, contract_template
from .imports import MAX_CONTRACTS, apply_contracts, parse_contracts
from .queries import rank_banks

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ContractImportView(ImportAccessMixin, View):
    template_name = "contracts/import.html"

    def units(self):
        scope = self.scope()
        units = ReportingUnit.objects.all()
        return units if scope is None else units.filter(pk__in=scope)

    def form(self, data=None, files=None):
        return ContractImportForm(
            data,
            files,
            units=self.units(),
            can_approve=can(self.request.user, "reporting.review_report"),
        )

    def get(self, request):
        return render(request, self.template_name, {"form": self.form()})

    def contract_preview(self, pending):
        rows = read_rows(bytes(pending.content), pending.filename, max_rows=MAX_CONTRACTS)
        return parse_contracts(
            rows,
            pending.period,
            unit=pending.unit,
            kind=pending.kind or None,
            restrict_to_units=self.scope(),
        )

    def post(self, request):
        form = self.form(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        PendingImport.objects.filter(created_at__lt=timezone.now() - ABANDONED_AFTER).delete()
        upload = form.cleaned_data["file"]
        pending = PendingImport(
            user=request.user,
            filename=upload.name[:200],
            content=upload.read(),
            period=form.cleaned_data["period"],
            kind=form.cleaned_data["kind"],
            unit=form.cleaned_data["unit"],
            contracts=True,
        )
        try:
            preview = self.contract_preview(pending)
        except ImportFileError as error:
            form.add_error("file", str(error))
            return render(request, self.template_name, {"form": form}, status=400)
        if preview.ok:
            pending.save()
        context = {
            "preview": preview,
            "pending": pending if preview.ok else None,
            "filename": pending.filename,
            "approve": form.cleaned_data.get("approve", False),
        }
        return render(
            request, "contracts/import_preview.html", context, status=200 if preview.ok else 400
        )


class ConfirmContractImportView(ContractImportView):
    http_method_names = ["post"]

    def post(self, request, pk):
        pending = get_object_or_404(PendingImport, pk=pk, user=request.user, contracts=True)
        try:
            changed = apply_contracts(
                self.contract_preview(pending),
                request.user,
                pending.filename,
                as_draft=self.scope() is not None,
                approve=request.POST.get("approve") == "1",
            )
        except ImportFileError as error:
            messages.error(request, _("未导入：{reason}").format(reason=error))
            return redirect("contracts:import")
        pending.delete()
        if changed:
            messages.success(
                request,
                _("已导入 {count} 份质押合同，报表数据已按合同汇总。").format(count=changed),
            )
        else:
            messages.info(request, _("文件中的合同与已保存的相同，没有变化。"))
        return redirect("home")


class TemplateView(LoginRequiredMixin, View):
    """The XLSX template for one unit and period."""

    def get(self, request, period, code):
        period = get_object_or_404(ReportingPeriod.objects.by_slug(period))
        unit = get_object_or_404(ReportingUnit, code=code)
        if not can(request.user, "reporting.view_report", unit):
            raise Http404
        response = HttpResponse(contract_template(unit, period), content_type=XLSX)
        response["Content-Disposition"] = content_disposition_header(
            True, f"{unit.name}{period.label}质押合同模板.xlsx"
        )
        return response


class BankRankingView(LoginRequiredMixin, View):
    """Pledgee banks of a period ranked by amount (branches under their bank), with exports."""

    def get(self, request, period):
        if not can(request.user, "reporting.view_board"):
            raise PermissionDenied
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
