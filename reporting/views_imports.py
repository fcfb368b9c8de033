"""Uploads of figures: a preview of every row first, then one confirmation saves them all."""

import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts.roles import can, is_provincial, is_submitter, unit_ids

from .forms import ImportForm
from .imports import ImportFileError, apply_import, parse_figures, read_rows
from .models import PendingImport

ABANDONED_AFTER = datetime.timedelta(days=1)


class TwoStepImportView(LoginRequiredMixin, View):
    """Upload → preview of every row (nothing saved) → confirm (all rows in one transaction).

    Subclasses say how a file is previewed and applied; the flow, the access rules and the
    keeping of the pending file are the same for every kind of import.
    """

    form_class = None
    template_name = ""
    preview_template = ""
    start_url = ""
    contracts = False

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not (is_submitter(user) or is_provincial(user)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def scope(self):
        """A municipal submitter imports for their own units only, as drafts."""
        user = self.request.user
        if is_provincial(user):
            return None
        return unit_ids(user)

    def form_kwargs(self):
        return {"can_approve": can(self.request.user, "reporting.review_report")}

    def preview(self, pending):
        raise NotImplementedError

    def apply(self, preview, pending, approve):
        raise NotImplementedError

    def success_message(self, changed):
        raise NotImplementedError

    def get(self, request):
        return render(request, self.template_name, {"form": self.form_class(**self.form_kwargs())})

    def post(self, request):
        form = self.form_class(request.POST, request.FILES, **self.form_kwargs())
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
            unit=form.cleaned_data.get("unit"),
            contracts=self.contracts,
        )
        try:
            preview = self.preview(pending)
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
            "as_draft": self.scope() is not None,
        }
        return render(request, self.preview_template, context, status=200 if preview.ok else 400)


class TwoStepConfirmView(TwoStepImportView):
    http_method_names = ["post"]

    def post(self, request, pk):
        pending = get_object_or_404(
            PendingImport, pk=pk, user=request.user, contracts=self.contracts
        )
        try:
            changed = self.apply(self.preview(pending), pending, request.POST.get("approve") == "1")
        except ImportFileError as error:
            messages.error(request, _("未导入：{reason}").format(reason=error))
            return redirect(self.start_url)
        pending.delete()
        if changed == 0:
            messages.info(request, _("文件中的数据与已保存的相同，没有变化。"))
        else:
            messages.success(request, self.success_message(changed))
        return redirect("home")


class FiguresImport:
    """A table of figures in the layout of the circular's attachments."""

    form_class = ImportForm
    template_name = "reporting/import.html"
    preview_template = "reporting/import_preview.html"
    start_url = "reporting:import"

    def preview(self, pending):
        rows = read_rows(bytes(pending.content), pending.filename)
        return parse_figures(rows, pending.period, pending.kind, restrict_to_units=self.scope())

    def apply(self, preview, pending, approve):
        as_draft = self.scope() is not None
        return apply_import(
            preview, self.request.user, pending.filename, as_draft=as_draft, approve=approve
        )

    def success_message(self, changed):
        if self.scope() is not None:
            return _("已导入 {count} 行，保存为草稿；请核对后在报表页提交。").format(count=changed)
        return _("已导入 {count} 行。").format(count=changed)


class ImportView(FiguresImport, TwoStepImportView):
    pass


class ConfirmImportView(FiguresImport, TwoStepConfirmView):
    pass
