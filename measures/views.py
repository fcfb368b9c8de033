"""Pages of the measures: a unit's report of them, the forms of its items, the province's
matrix and a unit's measures across periods. Thin: load through the user's scope, ask a rule,
call a service."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.roles import can
from cities.models import ReportingUnit
from lib.downloads import XLSX, attachment_response, plain_table_response
from lib.views import RuleRequiredMixin
from periods.services import submission_deadline
from periods.shortcuts import get_period
from uploads.views import TwoStepConfirmView, TwoStepImportView
from workflow.forms import TransitionForm
from workflow.models import ReportState, WorkflowAction
from workflow.services import WorkflowError, available_moves
from workflow.shortcuts import act, get_unit_for, report_for
from workflow.timeline import move_entries

from . import services
from .forms import ITEM_FORMS, MatrixFilterForm, MeasureImportForm
from .imports import (
    apply_measures,
    import_refusal,
    measure_template,
    parse_measures,
    read_measure_rows,
)
from .models import MeasureDocument, MeasureReport
from .queries import MEASURE_COLUMNS, measure_matrix, measure_timeline, unit_measure_reports
from .types import MEASURE_TYPE_OF, MEASURE_TYPES


def report_url(period, unit):
    return reverse("measures:report", args=[period.slug, unit.code])


class ReportMixin(LoginRequiredMixin):
    """Loads the period, the unit (404 unless the user may see it) and its measure report."""

    def load(self):
        self.period = get_period(self.kwargs["period"])
        self.unit = get_unit_for(self.request.user, self.kwargs["code"])
        self.report = report_for(MeasureReport.objects, self.request.user, self.unit, self.period)
        self.lock_reason = services.lock_reason(
            self.request.user, self.unit, self.period, self.report
        )

    @property
    def version(self):
        return self.report.version if self.report else 0


class MeasureReportView(ReportMixin, TemplateView):
    """One unit's measures for one period: the four lists, submitting, reviewing, the log."""

    template_name = "measures/report.html"

    def get(self, request, *args, **kwargs):
        self.load()
        return self.render_to_response(self.get_context_data())

    def get_context_data(self, **kwargs):
        user = self.request.user
        report = self.report
        visible = report is None or can(user, "measures.view_content_report", report)
        sections = [
            (measure_type, list(measure_type.items(report)) if report and visible else [])
            for measure_type in MEASURE_TYPES.values()
        ]
        return super().get_context_data(
            period=self.period,
            unit=self.unit,
            report=report,
            sections=sections,
            lock_reason=self.lock_reason,
            editable=self.lock_reason is None,
            deadline=submission_deadline(self.period, self.unit),
            can_review=bool(report) and can(user, "measures.review_report", report),
            moves=available_moves(user, report),
            transition_form=TransitionForm(initial={"version": self.version}),
            returned_reason=report.return_reason() if report else None,
            timeline=(measure_timeline(report) if visible else move_entries(report))
            if report
            else [],
            can_view_matrix=can(user, "measures.view_matrix"),
            can_import=import_refusal(user, self.unit, self.period, report) is None,
            content_visible=visible,
            **kwargs,
        )


class ItemFormView(ReportMixin, TemplateView):
    """Add an item of one kind to the unit's measures, or change one (its own submitter only)."""

    template_name = "measures/item_form.html"

    def load(self):
        super().load()
        self.measure_type = MEASURE_TYPES[self.kwargs["measure_type"]]
        self.item = None
        if "pk" in self.kwargs:
            if self.report is None:
                raise Http404
            self.item = get_object_or_404(
                self.measure_type.items(self.report), pk=self.kwargs["pk"]
            )
        if self.lock_reason is not None:
            if not can(self.request.user, "measures.edit_report", self.report or self.unit):
                raise PermissionDenied
            messages.error(self.request, self.lock_reason)
            return HttpResponseRedirect(report_url(self.period, self.unit))
        return None

    def form(self, data=None, files=None):
        return ITEM_FORMS[self.measure_type.slug](
            data, files, instance=self.item, initial={"version": self.version}
        )

    def get(self, request, *args, **kwargs):
        refused = self.load()
        if refused:
            return refused
        return self.render_to_response(self.get_context_data(form=self.form()))

    def post(self, request, *args, **kwargs):
        refused = self.load()
        if refused:
            return refused
        form = self.form(request.POST, request.FILES)
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in self.measure_type.fields}
            try:
                services.save_item(
                    request.user,
                    self.unit,
                    self.period,
                    self.measure_type,
                    values,
                    item=self.item,
                    expected_version=form.cleaned_data["version"],
                    upload=form.cleaned_data.get("document"),
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            except WorkflowError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request, _("已保存：{title}。").format(title=values.get("title", ""))
                )
                return HttpResponseRedirect(report_url(self.period, self.unit))
        return self.render_to_response(self.get_context_data(form=form), status=200)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            period=self.period,
            unit=self.unit,
            measure_type=self.measure_type,
            item=self.item,
            **kwargs,
        )


class ItemDeleteView(ReportMixin, View):
    """POST: remove an item (its own submitter, while the report is editable)."""

    http_method_names = ["post"]

    def post(self, request, period, code, measure_type, pk):
        self.load()
        measure_type = MEASURE_TYPES[measure_type]
        if self.report is None:
            raise Http404
        item = get_object_or_404(measure_type.items(self.report), pk=pk)
        form = TransitionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请求无效，请刷新页面后重试。"))
        else:
            act(
                request,
                lambda: services.delete_item(
                    request.user,
                    self.unit,
                    self.period,
                    measure_type,
                    item,
                    expected_version=form.cleaned_data["version"],
                ),
                _("已删除：{title}。").format(title=item.title),
            )
        return HttpResponseRedirect(report_url(self.period, self.unit))


class TransitionView(ReportMixin, View):
    """POST: submit the unit's measures (its submitter), or return, approve, reopen them
    (reviewers), through the figures' one transition function."""

    http_method_names = ["post"]

    def post(self, request, period, code, action):
        self.load()
        if action == WorkflowAction.SUBMIT:
            if not can(request.user, "measures.edit_report", self.report or self.unit):
                raise PermissionDenied
        elif self.report is None:
            raise Http404
        elif not can(request.user, "measures.review_report", self.report):
            raise PermissionDenied
        form = TransitionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请求无效，请刷新页面后重试。"))
            return HttpResponseRedirect(report_url(self.period, self.unit))

        act(
            request,
            lambda: services.move(
                request.user,
                self.unit,
                self.period,
                self.report,
                action,
                comment=form.cleaned_data["comment"],
                expected_version=form.cleaned_data["version"],
            ),
            _("{unit}的政策措施报表已{action}。").format(
                unit=self.unit.name, action=WorkflowAction(action).label
            ),
        )
        return HttpResponseRedirect(report_url(self.period, self.unit))


class DocumentView(LoginRequiredMixin, View):
    """A document, downloaded (never shown inline), if the user may see its report."""

    def get(self, request, pk):
        # Only a document an item carries now: one replaced or whose item was deleted is kept
        # (the items' history refers to it) but no longer handed out.
        document = get_object_or_404(
            MeasureDocument.objects.in_use(),
            pk=pk,
            report__in=MeasureReport.objects.for_user(request.user),
        )
        if not can(request.user, "measures.view_content_report", document.report):
            raise PermissionDenied(_("该单位的政策措施尚未提交，文件只有该单位可见。"))
        response = attachment_response(
            bytes(document.content), "application/octet-stream", document.filename
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


class MatrixView(RuleRequiredMixin, TemplateView):
    """The province's matrix of units × measures for a period, filterable and exportable."""

    permission = "measures.view_matrix"
    template_name = "measures/matrix.html"

    def get(self, request, *args, **kwargs):
        self.period = get_period(kwargs["period"])
        form = MatrixFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        matrix = measure_matrix(self.period)
        rows = matrix.filtered(filters.get("unit_kind", ""), filters.get("lacking", ""))
        export = request.GET.get("_export")
        if export is not None:
            return self.export(matrix, rows, export)
        return self.render_to_response(
            self.get_context_data(
                period=self.period, matrix=matrix, rows=rows, form=form, measure_types=MEASURE_TYPES
            )
        )

    def export(self, matrix, rows, export_format):
        headings = [_("单位"), _("状态")] + [str(MEASURE_TYPES[c].label) for c in MEASURE_COLUMNS]
        table = [
            [row.unit.name, row.status_word or _("已审核")] + [row.cell(c) for c in MEASURE_COLUMNS]
            for row in rows
        ]
        notes = [matrix.status_line] if matrix.status_line else []
        title = _("{period}各地知识产权质押融资政策措施情况").format(period=self.period.label)
        return plain_table_response(title, headings, table, export_format, notes=notes)


class UnitMeasuresView(LoginRequiredMixin, TemplateView):
    """A unit's measures across periods (its own submitters, or the province)."""

    template_name = "measures/unit.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        unit = get_unit_for(user, self.kwargs["code"])
        own = can(user, "measures.edit_report", unit)
        # The province reads what was submitted; work in progress stays on the report's own page.
        reports = [
            (report, own or report.state in ReportState.provisional())
            for report in unit_measure_reports(unit, user)
        ]
        return super().get_context_data(
            unit=unit, reports=reports, measure_types=MEASURE_TYPES, **kwargs
        )


class MeasuresImport:
    """One type of measure for one unit and period, an item per row, replacing that kind's
    items: the unit's submitter into its editable report, the province on its behalf."""

    form_class = MeasureImportForm
    permission = "measures.upload_measures"
    on_behalf_permission = "measures.import_report"
    template_name = "measures/import.html"
    preview_template = "measures/import_preview.html"
    start_url = "measures:import"

    def form_kwargs(self):
        scope = self.scope()
        units = ReportingUnit.objects.all()
        initial = {name: self.request.GET[name] for name in ("period", "measure_type", "unit")
                   if name in self.request.GET}  # fmt: skip
        return {"units": units if scope is None else units.filter(pk__in=scope), "initial": initial}

    def target_model(self, form):
        return MEASURE_TYPES[form.cleaned_data["measure_type"]].model

    def target_models(self):
        return [measure_type.model for measure_type in MEASURE_TYPES.values()]

    def preview(self, pending, approve):
        measure_type = MEASURE_TYPE_OF[pending.target.model_class()]
        rows = read_measure_rows(bytes(pending.content), pending.filename, measure_type)
        return parse_measures(rows, pending.period, pending.unit, measure_type, self.request.user)

    def apply(self, preview, pending, approve):
        self.applied = preview
        return apply_measures(
            preview,
            self.request.user,
            pending.filename,
            versions=pending.versions,
            replace_items=self.request.POST.get("replace_items") == "1",
        )

    def success_message(self, changed):
        measure_type = self.applied.measure_type.verbose_name
        if self.applied.on_behalf:
            return _("已导入 {count} 项{kind}，报表已由省局代为提交。").format(
                count=changed, kind=measure_type
            )
        return _("已导入 {count} 项{kind}；请核对后提交本期政策措施。").format(
            count=changed, kind=measure_type
        )

    def done_url(self, pending, preview):
        return report_url(pending.period, pending.unit)


class MeasureImportView(MeasuresImport, TwoStepImportView):
    def post(self, request):
        # A submitter imports for their own units only: another unit is refused outright.
        scope, chosen = self.scope(), request.POST.get("unit", "")
        if scope is not None and chosen.isdigit() and int(chosen) not in scope:
            raise PermissionDenied
        return super().post(request)


class ConfirmMeasureImportView(MeasuresImport, TwoStepConfirmView):
    pass


class ImportTemplateView(RuleRequiredMixin, View):
    """The XLSX template of one type of measure: its headings, and an example."""

    permission = "measures.upload_measures"

    def get(self, request, measure_type):
        measure_type = MEASURE_TYPES[measure_type]
        return attachment_response(
            measure_template(measure_type),
            XLSX,
            _("{kind}导入模板.xlsx").format(kind=measure_type.label),
        )
