"""The two-step imports: upload → a preview of every row (nothing saved) → one confirmation
that saves them all, or none.

Each import (figures, contracts, measures) is a flow built on these views: it says how a file
is previewed and applied; the flow, the access rules and the keeping of the pending file are
the same for every one.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts.roles import can, unit_ids
from lib.wording import join_sentences

from .models import PendingImport
from .readers import ImportFileError
from .services import confirm

ABANDONED_AFTER = datetime.timedelta(days=1)


class TwoStepImportView(LoginRequiredMixin, View):
    """Upload → preview of every row (nothing saved) → confirm (all rows in one transaction).

    Subclasses say how a file is previewed and applied; the flow, the access rules and the
    keeping of the pending file are the same for every kind of import. The preview checks
    every rule the confirmation will meet; the confirmation checks them again, and refuses a
    report that changed since the preview (its version is kept with the pending file).
    """

    form_class = None
    # Who may upload in this flow, who imports on the units' behalf (anyone else imports for
    # their own units only), and who may approve while importing (None: nobody): rules of
    # ``accounts.roles``.
    permission = ""
    on_behalf_permission = ""
    approve_permission = None
    template_name = ""
    preview_template = ""
    start_url = ""
    # What a confirmed file of this flow writes (a model): its pending files are of that.
    model = None

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not can(user, self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def scope(self):
        """A municipal submitter imports for their own units only, as drafts."""
        user = self.request.user
        if can(user, self.on_behalf_permission):
            return None
        return unit_ids(user)

    @property
    def as_draft(self):
        return self.scope() is not None

    def form_kwargs(self):
        permission = self.approve_permission
        return {"can_approve": permission is not None and can(self.request.user, permission)}

    def preview(self, pending, approve):
        raise NotImplementedError

    def apply(self, preview, pending, approve):
        raise NotImplementedError

    def success_message(self, changed):
        raise NotImplementedError

    def new_pending(self, form):
        """The uploaded file of a valid form, with what the form chose, not saved yet."""
        upload = form.cleaned_data["file"]
        return PendingImport(
            user=self.request.user,
            filename=upload.name[:200],
            content=upload.read(),
            period=form.cleaned_data["period"],
            kind=form.cleaned_data.get("kind", ""),
            unit=form.cleaned_data.get("unit"),
            target=ContentType.objects.get_for_model(self.target_model(form)),
        )

    def target_model(self, form):
        """What the form's file writes once confirmed."""
        return self.model

    def target_models(self):
        """Every model this flow writes: its pending files are of these."""
        return [self.model]

    def pending_imports(self):
        """The user's own pending files of this flow: anyone else's is not found (404)."""
        targets = ContentType.objects.get_for_models(*self.target_models()).values()
        return PendingImport.objects.filter(user=self.request.user, target__in=targets)

    def done_url(self, pending, preview):
        """Where a confirmed import leads: where its data can be seen."""
        return "home"

    def page_context(self):
        """What the upload page shows besides its form (templates to download…)."""
        return {}

    def get(self, request):
        form = self.form_class(**self.form_kwargs())
        return render(request, self.template_name, {"form": form, **self.page_context()})

    def post(self, request):
        form = self.form_class(request.POST, request.FILES, **self.form_kwargs())
        if not form.is_valid():
            return render(
                request, self.template_name, {"form": form, **self.page_context()}, status=400
            )
        PendingImport.objects.filter(created_at__lt=timezone.now() - ABANDONED_AFTER).delete()
        approve = form.cleaned_data.get("approve", False)
        pending = self.new_pending(form)
        try:
            preview = self.preview(pending, approve)
        except ImportFileError as error:
            form.add_error("file", str(error))
            return render(
                request, self.template_name, {"form": form, **self.page_context()}, status=400
            )
        if preview.ok:
            pending.versions = preview.versions
            pending.save()
        context = {
            "preview": preview,
            "pending": pending if preview.ok else None,
            "filename": pending.filename,
            "approve": approve,
            "as_draft": self.as_draft,
        }
        return render(request, self.preview_template, context, status=200 if preview.ok else 400)


class TwoStepConfirmView(TwoStepImportView):
    http_method_names = ["post"]

    def post(self, request, pk):
        pending = get_object_or_404(self.pending_imports(), pk=pk)
        approve = request.POST.get("approve") == "1"
        try:
            preview = self.preview(pending, approve)
            if not preview.ok:
                raise ImportFileError(
                    join_sentences(preview.errors) or _("数据在预览后发生了变化，请重新上传预览。")
                )
            changed = confirm(pending, lambda: self.apply(preview, pending, approve))
        except (ImportFileError, PermissionDenied) as error:
            messages.error(request, _("未导入：{reason}").format(reason=error))
            return redirect(self.start_url)
        if changed == 0:
            messages.info(request, _("文件中的数据与已保存的相同，没有变化。"))
        else:
            messages.success(request, self.success_message(changed))
        return redirect(self.done_url(pending, preview))
