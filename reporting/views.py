from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from django_tables2 import RequestConfig, SingleTableMixin
from django_tables2.export import ExportMixin

from accounts.roles import can
from lib.downloads import unknown_export_format
from lib.fragments import cached_fragment, cached_value
from lib.freshness import data_version
from lib.links import page_links
from lib.numbers import format_amount
from lib.views import RuleRequiredMixin
from periods.services import grant_extension, submission_deadline
from periods.shortcuts import get_period
from workflow.forms import TransitionForm
from workflow.models import WorkflowAction
from workflow.services import (
    AlreadyDone,
    WorkflowError,
    approval_refusals,
    approve_many,
    available_moves,
    lock_reason,
    transition,
)
from workflow.shortcuts import act, get_unit_for, report_for
from workflow.timeline import move_entries

from . import services
from .exports import RankedTableExport
from .forms import BoardFilterForm, ExtensionForm, FiguresForm, ReportForm
from .models import FigureSource, IPKind, PledgeReport, figures_a_year_earlier
from .queries import (
    board,
    board_summary,
    compare_with_year_earlier,
    rank_units,
    report_timeline,
    with_year_earlier,
)
from .tables import BoardTable, RankedUnitsTable


class ReportView(LoginRequiredMixin, TemplateView):
    """One unit's report for one period: the form when the user may edit, else the figures."""

    template_name = "reporting/report.html"

    def load(self):
        self.period = get_period(self.kwargs["period"])
        self.unit = get_unit_for(self.request.user, self.kwargs["code"])
        self.report = report_for(
            PledgeReport.objects.prefetch_related("figures"),
            self.request.user,
            self.unit,
            self.period,
        )
        self.deadline = submission_deadline(self.period, self.unit)
        self.lock_reason = lock_reason(
            self.request.user,
            self.unit,
            self.period,
            self.report,
            model=PledgeReport,
            deadline=self.deadline,
        )
        # Kinds whose figures are summed from line items (pledge contracts): read-only here.
        # (IPKind members hash by name, so compare members, not their string values.)
        self.derived = {
            IPKind(kind)
            for kind, figure in (self.report.figures_by_kind() if self.report else {}).items()
            if figure.source == FigureSource.DERIVED
        }
        # The form shows the same period a year earlier beside each input (the report's
        # comparison, or for a report not yet begun the unit's figures then).
        self.form_year_earlier = (None, {})
        if self.lock_reason is None:
            self.form_year_earlier = (
                self.report.year_earlier
                if self.report
                else figures_a_year_earlier(self.unit.pk, self.period)
            )

    def get(self, request, *args, **kwargs):
        self.load()
        # The figures' forms only where they are shown: a report this user cannot edit is read.
        forms = self.build_forms() if self.lock_reason is None else {}
        return self.render_to_response(self.get_context_data(forms=forms))

    def post(self, request, *args, **kwargs):
        self.load()
        if not can(request.user, "reporting.edit_report", self.report or self.unit):
            raise PermissionDenied
        forms = self.build_forms(request.POST)
        if self.lock_reason:
            messages.error(request, self.lock_reason)
            return redirect(self.url())
        if not all(form.is_valid() for form in forms.values()):
            messages.error(request, _("数据有误，未保存。请按提示修改。"))
            return self.render_to_response(self.get_context_data(forms=forms), status=400)
        figures = {kind: forms[kind].figures() for kind in IPKind if kind not in self.derived}
        report_form = forms["report"]
        try:
            report = services.save_figures(
                request.user,
                self.unit,
                self.period,
                figures,
                explanation=report_form.cleaned_data["explanation"],
                expected_version=report_form.cleaned_data["version"],
            )
        except ValidationError as error:
            for key, errors in error.message_dict.items():
                kind, _sep, field = key.partition("-")
                target = forms.get(kind, report_form)
                for message in errors:
                    target.add_error(field if field in target.fields else None, message)
            messages.error(request, _("数据有误，未保存。请按提示修改。"))
            return self.render_to_response(self.get_context_data(forms=forms), status=400)
        except WorkflowError as error:
            messages.error(request, error.message)
            return redirect(self.url())

        if request.POST.get("action") == WorkflowAction.SUBMIT:
            try:
                transition(report, WorkflowAction.SUBMIT, request.user)
            except AlreadyDone as done:
                messages.info(request, done.message)
            except WorkflowError as error:
                messages.error(request, _("已保存为草稿，但未能提交：") + str(error.message))
            else:
                messages.success(request, _("已提交，等待省局审核。"))
        else:
            messages.success(request, _("已保存草稿。"))
        return redirect(self.url())

    def url(self):
        return reverse("reporting:report", args=[self.period.slug, self.unit.code])

    def build_forms(self, data=None):
        figures = self.report.figures_by_kind() if self.report else {}
        period, previous = self.form_year_earlier
        forms = {
            kind: FiguresForm(
                data,
                kind=kind,
                instance=figures.get(kind),
                derived=kind in self.derived,
                year_earlier=(period, previous.get(kind)),
            )
            for kind in IPKind
        }
        forms["report"] = ReportForm(
            data,
            initial={
                "explanation": self.report.explanation if self.report else "",
                "version": self.report.version if self.report else 0,
            },
        )
        return forms

    def get_context_data(self, **kwargs):
        user = self.request.user
        context = super().get_context_data(**kwargs)
        report = self.report
        context.update(
            period=self.period,
            unit=self.unit,
            report=report,
            kinds=list(IPKind),
            lock_reason=self.lock_reason,
            derived_kinds=self.derived,
            editable=self.lock_reason is None,
            deadline=self.deadline,
            can_review=can(user, "reporting.review_report", report) if report else False,
            moves=available_moves(user, report),
            transition_form=TransitionForm(initial={"version": report.version if report else 0}),
            extension_form=ExtensionForm(),
            can_extend=can(user, "periods.grant_extension"),
            can_view_board=can(user, "reporting.view_board"),
            form_year_earlier=self.form_year_earlier[0],
            change_limit=services.CHANGE_NEEDING_EXPLANATION,
            content_visible=report is None or can(user, "reporting.view_content_report", report),
        )
        if report and context["content_visible"]:
            context["warnings"] = services.submission_warnings(report)
            context["previous_period"], context["comparison_rows"] = compare_with_year_earlier(
                report
            )
        if report:
            # The log changes only with the report (its version moves with every change) and
            # with the names of the people in it (the data version).
            # A draft the reader may not read: its moves, not its changes.
            visible = context["content_visible"]
            context["timeline_html"] = cached_fragment(
                "report-timeline",
                [report.pk, report.version, data_version(), visible],
                lambda: render_to_string(
                    "reporting/report_timeline.html",
                    {"timeline": report_timeline(report) if visible else move_entries(report)},
                ),
            )
            context["returned_reason"] = report.return_reason()
            context["links"] = page_links("reporting:report", user, report)
        return context


class TransitionView(LoginRequiredMixin, View):
    """POST: return, approve or reopen a report (reviewers)."""

    http_method_names = ["post"]

    def post(self, request, period, code, action):
        period = get_period(period)
        unit = get_unit_for(request.user, code)
        report = get_object_or_404(
            PledgeReport.objects.for_user(request.user), unit=unit, period=period
        )
        if not can(request.user, "reporting.review_report", report):
            raise PermissionDenied
        form = TransitionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请求无效，请刷新页面后重试。"))
        else:
            act(
                request,
                lambda: transition(
                    report,
                    action,
                    request.user,
                    comment=form.cleaned_data["comment"],
                    expected_version=form.cleaned_data["version"],
                ),
                _("{unit}的报表已{action}。").format(
                    unit=unit.name, action=WorkflowAction(action).label
                ),
            )
        return HttpResponseRedirect(reverse("reporting:report", args=[period.slug, unit.code]))


class ExtensionView(LoginRequiredMixin, View):
    """POST: let one unit submit after the deadline (reviewers)."""

    http_method_names = ["post"]

    def post(self, request, period, code):
        period = get_period(period)
        unit = get_unit_for(request.user, code)
        if not can(request.user, "periods.grant_extension"):
            raise PermissionDenied
        form = ExtensionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写延期日期和原因。"))
        else:
            try:
                grant_extension(request.user, period, unit, **form.cleaned_data)
            except WorkflowError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    _("已允许{unit}在 {date} 前补报。").format(
                        unit=unit.name, date=form.cleaned_data["until"].isoformat()
                    ),
                )
        return HttpResponseRedirect(reverse("reporting:report", args=[period.slug, unit.code]))


class BoardView(RuleRequiredMixin, TemplateView):
    """The completeness board of a period: every unit, its state, timeliness and last change.

    Its counts and rows change only with the data: they are read and rendered once per version
    of it (and per filter and role), so a board looked at again costs one query for the version.
    """

    permission = "reporting.view_board"
    template_name = "reporting/board.html"

    def get(self, request, *args, **kwargs):
        self.data_version = data_version()  # before any data is read (see RankedTableView)
        self.period = get_period(kwargs["period"])
        self.filter_form = BoardFilterForm(request.GET or None)
        return super().get(request, *args, **kwargs)

    def render_board(self, filters, can_review):
        table = BoardTable(board(self.period, filters), period=self.period, can_review=can_review)
        RequestConfig(self.request, paginate=False).configure(table)
        return {
            "summary": board_summary(self.period),
            "table_html": table.as_html(self.request),
            "approvable": table.approvable,
        }

    def get_context_data(self, **kwargs):
        kwargs["period"] = self.period  # the object, not the slug from the URL
        can_review = can(self.request.user, "reporting.review_report")
        filters = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        rendered = cached_value(
            "board",
            [self.period.pk, sorted(filters.items()), can_review, self.data_version],
            lambda: self.render_board(filters, can_review),
        )
        return super().get_context_data(
            filter_form=self.filter_form,
            can_review=can_review,
            summary=rendered["summary"],
            table_html=mark_safe(rendered["table_html"]),  # noqa: S308 (rendered by our template)
            approvable=rendered["approvable"],
            **kwargs,
        )


class BulkApproveView(LoginRequiredMixin, View):
    """POST: approve the selected submitted reports of a period (reviewers), in two steps.

    Each checkbox of the board carries the report's id and the version the board showed
    (``id:version``). The board's form leads to a confirmation page: the reports that will be
    approved, each with its version and what needs explaining, and those that cannot be, and
    why. Only its form, sent with ``confirm``, approves them (``approve_many``, at the
    versions the board showed: a report changed since is skipped and named).
    """

    http_method_names = ["post"]
    template_name = "reporting/bulk_approve_confirm.html"

    def post(self, request, period):
        period = get_period(period)
        if not can(request.user, "reporting.review_report"):
            raise PermissionDenied
        seen = {}
        for value in request.POST.getlist("report"):
            pk, _sep, version = value.partition(":")
            if pk.isdigit() and version.isdigit():
                seen[int(pk)] = int(version)
        reports = list(
            PledgeReport.objects.for_user(request.user)
            .filter(period=period, pk__in=seen)
            .select_related("unit", "updated_by")
            .order_by("unit__code")
        )
        board_url = reverse("reporting:board", args=[period.slug])
        if not reports:
            messages.warning(request, _("请先勾选要审核通过的报表。"))
            return HttpResponseRedirect(board_url)
        selection = [(report, seen[report.pk]) for report in reports]
        if request.POST.get("confirm") != "1":
            return self.confirmation(request, period, selection)
        approved, refused = approve_many(selection, request.user)
        if approved:
            messages.success(request, _("已审核通过 {count} 份报表。").format(count=len(approved)))
        for message in refused:
            messages.warning(request, message)
        return HttpResponseRedirect(board_url)

    def confirmation(self, request, period, selection):
        refused = approval_refusals(selection, request.user)
        chosen = [(report, version) for report, version in selection if report.pk not in refused]
        with_year_earlier([report for report, _version in chosen], period)
        return TemplateResponse(
            request,
            self.template_name,
            {
                "period": period,
                "kinds": list(IPKind),
                "chosen": [
                    (
                        report,
                        version,
                        figures_in_brief(report),
                        services.submission_warnings(report),
                    )
                    for report, version in chosen
                ],
                "refused": list(refused.values()),
            },
        )


def figures_in_brief(report):
    """The figures a reviewer approves, by kind: amount, projects and items in one line each
    (None where the report has none of a kind)."""
    figures = report.figures_by_kind()
    return [
        _("{amount} 万元，{projects} 项，{items} 件").format(
            amount=format_amount(figure.amount), projects=figure.projects, items=figure.items
        )
        if (figure := figures.get(kind)) is not None
        else None
        for kind in IPKind
    ]


class RankedTableView(LoginRequiredMixin, ExportMixin, SingleTableMixin, TemplateView):
    """金额排名: a period's province-wide table for one kind, on screen, as CSV or XLSX.

    ``?provisional=1`` (reviewers) also counts submitted reports, marked as provisional.
    """

    template_name = "reporting/ranked_table_page.html"
    export_class = RankedTableExport
    export_formats = (RankedTableExport.CSV, RankedTableExport.XLSX)
    table_pagination = False

    def get(self, request, *args, **kwargs):
        # django-tables2 would show the page for a format it does not know.
        export = request.GET.get(self.export_trigger_param)
        if export is not None and not self.export_class.is_valid_format(export):
            return unknown_export_format()
        if export is None:
            # Read before the rows: a change saved in between then moves the version past the
            # rows cached here, instead of leaving them under the newer version.
            self.data_version = data_version()
        return super().get(request, *args, **kwargs)

    def get_ranking(self):
        if not hasattr(self, "_ranking"):
            provisional = self.request.GET.get("provisional") == "1"
            if provisional and not can(self.request.user, "reporting.view_provisional"):
                raise PermissionDenied
            period = get_period(self.kwargs["period"])
            self._ranking = rank_units(period, self.kwargs["kind"], provisional=provisional)
        return self._ranking

    def get_table(self, **kwargs):
        return RankedUnitsTable(self.get_ranking(), **kwargs)

    def get_export_filename(self, export_format):
        return f"{self.get_ranking().file_name}.{export_format}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            ranking=self.get_ranking(),
            kinds=list(IPKind),
            can_view_provisional=can(self.request.user, "reporting.view_provisional"),
            **kwargs,
        )
        if self.request.GET.get(self.export_trigger_param) is not None:
            return context  # an export: no page to render
        ranking, table = context["ranking"], context["table"]
        context["downloads"] = page_links("reporting:ranked_table", self.request.user, ranking)
        # Rendering the rows is most of the page's cost: rendered once per version of the data.
        context["table_html"] = cached_fragment(
            "ranked-table",
            [
                ranking.period.pk,
                ranking.kind,
                ranking.provisional,
                ranking.closed,
                self.data_version,
            ],
            lambda: table.as_html(self.request),
        )
        return context
