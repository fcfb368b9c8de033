"""Uploads of figures: a preview of every row first, then one confirmation saves them all."""

import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts.roles import is_provincial, is_submitter, unit_ids

from .forms import ImportForm
from .imports import ImportFileError, apply_import, parse_figures, read_rows
from .models import PendingImport
from .rules import can

ABANDONED_AFTER = datetime.timedelta(days=1)


class ImportAccessMixin(LoginRequiredMixin):
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

    def preview(self, pending):
        rows = read_rows(bytes(pending.content), pending.filename)
        return parse_figures(rows, pending.period, pending.kind, restrict_to_units=self.scope())


class ImportView(ImportAccessMixin, View):
    template_name = "reporting/import.html"

    def can_approve(self):
        return can(self.request.user, "reporting.review_report")

    def get(self, request):
        form = ImportForm(can_approve=self.can_approve())
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = ImportForm(request.POST, request.FILES, can_approve=self.can_approve())
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        upload = form.cleaned_data["file"]
        PendingImport.objects.filter(created_at__lt=timezone.now() - ABANDONED_AFTER).delete()
        pending = PendingImport(
            user=request.user,
            filename=upload.name[:200],
            content=upload.read(),
            period=form.cleaned_data["period"],
            kind=form.cleaned_data["kind"],
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
        return render(
            request, "reporting/import_preview.html", context, status=200 if preview.ok else 400
        )


class ConfirmImportView(ImportAccessMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        pending = get_object_or_404(PendingImport, pk=pk, user=request.user)
        try:
            preview = self.preview(pending)
            changed = apply_import(
                preview,
                request.user,
                pending.filename,
                as_draft=self.scope() is not None,
                approve=request.POST.get("approve") == "1",
            )
        except ImportFileError as error:
            messages.error(request, _("未导入：{reason}").format(reason=error))
            return redirect("reporting:import")
        pending.delete()
        if changed == 0:
            messages.info(request, _("文件中的数据与已保存的相同，没有变化。"))
        elif self.scope() is not None:
            messages.success(
                request,
                _("已导入 {count} 行，保存为草稿；请核对后在报表页提交。").format(count=changed),
            )
        else:
            messages.success(request, _("已导入 {count} 行。").format(count=changed))
        return redirect("home")
