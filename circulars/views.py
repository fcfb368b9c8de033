from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView

from accounts.roles import can
from lib.downloads import XLSX, attachment_response
from lib.views import RuleRequiredMixin
from periods.models import ReportingPeriod
from reporting.models import IPKind, PledgeReport, table_title

from . import services
from .drafting import draft_situation
from .forms import (
    AttachmentFormSet,
    CircularForm,
    IssueForm,
    PracticeExchangeForm,
    PracticeFilterForm,
    RevisionForm,
    WithdrawForm,
)
from .models import Circular

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def download(content, content_type, filename, etag=None):
    """A document; browsers ask again each time (drafts change), by ETag when it has one."""
    response = attachment_response(content, content_type, filename)
    if etag:
        response["ETag"] = f'"{etag}"'
    response["Cache-Control"] = "private, no-cache"
    return response


class ProvincialMixin(RuleRequiredMixin):
    permission = "circulars.view_circulars"


class CircularListView(ProvincialMixin, ListView):
    template_name = "circulars/list.html"
    context_object_name = "circulars"

    def get_queryset(self):
        return Circular.objects.defer("archived_pdf").prefetch_related("attachments__period")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_edit=can(self.request.user, "circulars.edit_circulars"), **kwargs
        )


class CircularDetailView(ProvincialMixin, DetailView):
    template_name = "circulars/detail.html"
    context_object_name = "circular"

    def get_queryset(self):
        return Circular.objects.defer("archived_pdf").select_related("issued_by", "withdrawn_by")

    def get_context_data(self, **kwargs):
        circular = self.object
        return super().get_context_data(
            can_edit=can(self.request.user, "circulars.edit_circulars"),
            can_withdraw=can(self.request.user, "circulars.withdraw_circular"),
            attachments=circular.attachments.select_related("period"),
            paragraphs=circular.paragraphs(),
            **kwargs,
        )


class CircularEditView(ProvincialMixin, View):
    """Create or edit a draft circular with its attachments (administrators)."""

    permission = "circulars.edit_circulars"
    template_name = "circulars/edit.html"

    def get_object(self):
        if "pk" not in self.kwargs:
            return None
        circular = get_object_or_404(Circular.objects.defer("archived_pdf"), pk=self.kwargs["pk"])
        if circular.is_withdrawn:
            messages.error(self.request, _("已撤销的通知不能修改。"))
        elif not circular.is_draft:
            messages.error(self.request, _("已印发的通知不能修改。"))
        return circular

    def get(self, request, pk=None):
        circular = self.get_object()
        if circular and not circular.is_draft:
            return redirect("circulars:detail", pk=circular.pk)
        form = CircularForm(instance=circular, initial=None if circular else self.initial())
        formset = AttachmentFormSet(instance=circular or Circular())
        return render(request, self.template_name, self.context(form, formset, circular))

    def context(self, form, formset, circular, revision=None):
        """The edit page; an existing draft's form carries the revision it was opened on."""
        revision = revision if revision is not None else (circular.revision if circular else "")
        return {
            "form": form,
            "formset": formset,
            "circular": circular,
            "mismatches": circular.period_mismatches() if circular else [],
            "revision_form": RevisionForm(initial={"revision": revision}) if circular else None,
        }

    def initial(self):
        """A new circular speaks of the newest annual period reported and closed (chosen on the
        form; the situation is drafted for the attachments' period when it is saved)."""
        today = timezone.localdate()
        reported = [
            period
            for period in ReportingPeriod.objects.filter(granularity="year")
            if period.is_closed and PledgeReport.objects.approved().filter(period=period).exists()
        ]
        period = reported[0] if reported else None
        return {
            "year": today.year,
            "signed_on": today,
            "printed_on": today,
            "situation_period": period,
            "situation": draft_situation(period) if period else "",
        }

    def post(self, request, pk=None):
        circular = self.get_object()
        if circular and not circular.is_draft:
            return redirect("circulars:detail", pk=circular.pk)
        form = CircularForm(request.POST, instance=circular)
        formset = AttachmentFormSet(request.POST, instance=circular or Circular())
        revision = request.POST.get("revision", "") if circular else None
        if not (form.is_valid() and formset.is_valid()):
            messages.error(request, _("内容有误，未保存。请按提示修改。"))
            context = self.context(form, formset, circular, revision)
            return render(request, self.template_name, context, status=400)
        try:
            saved = services.save_draft(form, formset, revision=revision)
        except services.StaleCircular:
            # Another administrator saved this draft meanwhile: keep what this one typed, say
            # so, and let a second save (now knowingly) replace the other's.
            messages.error(
                request,
                _(
                    "未保存：您打开此页后，另一位管理员修改并保存了这份通知。您填写的内容仍在下面；"
                    "请先在新窗口中查看通知的最新内容，确认后再次保存将以您的内容为准。"
                ),
            )
            circular.refresh_from_db(fields=["updated_at"])  # the revision saved meanwhile
            context = self.context(form, formset, circular, circular.revision)
            return render(request, self.template_name, context, status=409)
        except services.CircularError as error:  # issued or withdrawn meanwhile
            messages.error(request, error.message)
            return redirect("circulars:detail", pk=circular.pk)
        messages.success(request, _("已保存。"))
        return redirect("circulars:detail", pk=saved.pk)


class RedraftView(ProvincialMixin, View):
    """POST: draft the situation paragraphs again from the data of the first attachment's period."""

    permission = "circulars.edit_circulars"
    http_method_names = ["post"]

    def post(self, request, pk):
        circular = get_object_or_404(Circular.objects.defer("archived_pdf"), pk=pk)
        try:
            services.redraft(circular)
        except services.CircularError as error:
            messages.error(request, error.message)
            return redirect("circulars:edit" if circular.is_draft else "circulars:detail", pk=pk)
        messages.success(request, _("已按最新数据重新起草情况通报，请核对修改。"))
        return redirect("circulars:edit", pk=pk)


class CopyView(ProvincialMixin, View):
    """POST: a new draft with the text and attachments of an issued or withdrawn circular."""

    permission = "circulars.edit_circulars"
    http_method_names = ["post"]

    def post(self, request, pk):
        circular = get_object_or_404(Circular.objects.defer("archived_pdf"), pk=pk)
        try:
            copy = services.copy_to_draft(circular, request.user)
        except services.CircularError as error:
            messages.error(request, error.message)
            return redirect("circulars:detail", pk=pk)
        messages.success(
            request,
            _("已将{source}复制为新草稿{copy}，请修改后再印发。").format(
                source=circular.document_number, copy=copy.document_number
            ),
        )
        return redirect("circulars:edit", pk=copy.pk)


class IssueView(ProvincialMixin, View):
    """GET: what issuing will freeze (number, dates, each attachment and its period, open or
    closed); POST from that page: issue, at the revision the page showed."""

    permission = "circulars.edit_circulars"
    template_name = "circulars/issue.html"

    def get(self, request, pk):
        circular = self.get_circular(pk)
        if not circular.is_draft:
            return self.already(circular)
        form = IssueForm(initial={"revision": circular.revision})
        return self.render(circular, form)

    def post(self, request, pk):
        circular = self.get_circular(pk)
        form = IssueForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请求无效，请刷新页面后重试。"))
            return redirect("circulars:issue", pk=pk)
        try:
            issued = services.issue(
                circular,
                request.user,
                revision=form.cleaned_data["revision"],
                allow_open_periods=form.cleaned_data["allow_open_periods"],
                allow_period_mismatch=form.cleaned_data["allow_period_mismatch"],
            )
        except services.AlreadyDone as done:
            messages.info(request, done.message)
        except services.PeriodMismatch as error:
            messages.error(request, error.message)
            form.add_error("allow_period_mismatch", _("请确认后再印发。"))
            return self.render(circular, form, status=400)
        except services.OpenPeriods as error:
            messages.error(request, error.message)
            form.add_error("allow_open_periods", _("请确认后再印发。"))
            return self.render(circular, form, status=400)
        except services.StaleCircular as error:
            messages.error(request, error.message)
            return redirect("circulars:issue", pk=pk)
        except services.CircularError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("已印发，PDF 已存档（SHA-256：{sha}）。").format(sha=issued.archived_sha256),
            )
        return redirect("circulars:detail", pk=pk)

    def get_circular(self, pk):
        return get_object_or_404(Circular.objects.defer("archived_pdf"), pk=pk)

    def already(self, circular):
        if circular.is_withdrawn:
            messages.error(self.request, _("已撤销的通知不能再印发。"))
        else:
            messages.info(self.request, _("该通知已经印发。"))
        return redirect("circulars:detail", pk=circular.pk)

    def render(self, circular, form, status=200):
        statuses = services.attachment_statuses(circular)
        context = {
            "circular": circular,
            "form": form,
            "statuses": statuses,
            "any_open": any(not status.closed for status in statuses),
            "mismatches": circular.period_mismatches(),
        }
        return render(self.request, self.template_name, context, status=status)


class WithdrawView(ProvincialMixin, View):
    """GET: the withdrawal form (a reason, required); POST: withdraw an issued circular."""

    permission = "circulars.withdraw_circular"
    template_name = "circulars/withdraw.html"

    def get(self, request, pk):
        circular = self.get_circular(pk)
        if not circular.is_issued:
            return self.not_issued(circular)
        return self.render(circular, WithdrawForm(initial={"revision": circular.revision}))

    def post(self, request, pk):
        circular = self.get_circular(pk)
        if not circular.is_issued:
            return self.not_issued(circular)
        form = WithdrawForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("内容有误，未撤销。请按提示修改。"))
            return self.render(circular, form, status=400)
        try:
            services.withdraw(
                circular,
                request.user,
                form.cleaned_data["reason"],
                revision=form.cleaned_data["revision"],
            )
        except services.AlreadyDone as done:
            messages.info(request, done.message)
        except services.CircularError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("已撤销。存档 PDF 未改动，仍可下载，文件名标有“已撤销”。"))
        return redirect("circulars:detail", pk=pk)

    def get_circular(self, pk):
        return get_object_or_404(
            Circular.objects.defer("archived_pdf").select_related("issued_by"), pk=pk
        )

    def not_issued(self, circular):
        if circular.is_withdrawn:
            messages.info(self.request, _("该通知已经撤销。"))
        else:
            messages.error(self.request, _("只有已印发的通知可以撤销；草稿可以直接修改。"))
        return redirect("circulars:detail", pk=circular.pk)

    def render(self, circular, form, status=200):
        context = {"circular": circular, "form": form}
        return render(self.request, self.template_name, context, status=status)


class CircularFileView(ProvincialMixin, View):
    """The circular as PDF, DOCX or XLSX; an issued circular's PDF is its archived file.

    A withdrawn circular's files are what it froze, the PDF byte for byte; their names say
    （已撤销）.
    """

    def get(self, request, pk, fmt):
        circular = get_object_or_404(Circular, pk=pk)
        name = (
            f"{circular.document_number}{circular.title.splitlines()[0] if circular.title else ''}"
        )
        if circular.is_withdrawn:
            name += _("（已撤销）")
        if fmt == "pdf":
            etag = None
            if circular.is_frozen:
                # The archived file never changes: its SHA-256 is its ETag. A withdrawal changes
                # the name it downloads under, so a copy kept from before is not reused.
                etag = circular.archived_sha256 + ("-withdrawn" if circular.is_withdrawn else "")
                not_modified = get_conditional_response(request, etag=f'"{etag}"')
                if not_modified is not None:
                    return not_modified
            content = services.circular_pdf(circular)
            return download(content, PDF, f"{name}.pdf", etag)
        if fmt == "docx":
            return download(services.circular_docx(circular), DOCX, f"{name}.docx")
        return download(services.circular_xlsx(circular), XLSX, f"{name}附件.xlsx")


class AttachmentPdfView(LoginRequiredMixin, View):
    """/reports/<period>/<kind>.pdf: a ranked table alone, printed (approved figures)."""

    def get(self, request, period, kind):
        period = get_object_or_404(ReportingPeriod.objects.by_slug(period))
        content = services.attachment_pdf(period, kind)
        return download(content, PDF, f"{table_title(period, IPKind(kind))}.pdf")


class PracticeExchangeView(ProvincialMixin, View):
    """经验交流: GET lists the approved good practice (filtered by period) with checkboxes; POST
    drafts a notice spreading the chosen ones, to be edited and issued like any other."""

    permission = "circulars.edit_circulars"
    template_name = "circulars/practices.html"

    def get(self, request):
        return self.render(PracticeExchangeForm())

    def post(self, request):
        form = PracticeExchangeForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("未起草：请按提示修改。"))
            return self.render(form, status=400)
        try:
            circular = services.draft_practice_exchange(
                form.cleaned_data["practices"], request.user
            )
        except services.CircularError as error:
            messages.error(request, error.message)
            return self.render(form, status=400)
        messages.success(
            request,
            _("已起草经验交流通知 {number}，请核对修改后印发。").format(
                number=circular.document_number
            ),
        )
        return redirect("circulars:edit", pk=circular.pk)

    def render(self, form, status=200):
        practices = list(services.approved_practices())
        periods = list({p.report.period.pk: p.report.period for p in practices}.values())
        chosen = self.request.GET.get("period", "")
        filter_form = PracticeFilterForm(self.request.GET or None, periods=periods)
        if chosen and filter_form.is_valid():
            practices = [p for p in practices if p.report.period.slug == chosen]
        selected = {str(value) for value in (form["practices"].value() or [])}
        context = {
            "form": form,
            "filter_form": filter_form,
            "practices": practices,
            "selected": selected,
        }
        return render(self.request, self.template_name, context, status=status)
