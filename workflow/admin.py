"""What the admin shows of a report that may still be its unit's unsubmitted draft (the rule
``<app>.view_content_report``): its unit, period and state and the log of its moves, never what it
says. Each kind's admin lists what its content is (``content_fields``, ``content_inlines``)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.roles import can


class DraftPrivateAdmin:
    content_fields = ()
    content_inlines = ()

    def _hidden(self, request, obj):
        return obj is not None and not can(request.user, obj.rule("view_content"), obj)

    def lookup_allowed(self, lookup, value, request=None):
        # A list filtered by what a draft says would tell it, a character at a time.
        if lookup.split("__")[0] in self.content_fields:
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if self._hidden(request, obj):
            fields = [name for name in fields if name not in self.content_fields]
        return fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        if self._hidden(request, obj):
            inlines = [inline for inline in inlines if inline not in self.content_inlines]
        return inlines

    def _refuse_a_drafts_history(self, request, object_id):
        obj = self.get_object(request, object_id)
        if self._hidden(request, obj):
            raise PermissionDenied(
                _("{report}是尚未提交的草稿，其内容和变更记录在提交前只有该单位可见。").format(
                    report=obj
                )
            )

    def history_view(self, request, object_id, extra_context=None):
        self._refuse_a_drafts_history(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if str(object_id).isdigit():
            self._refuse_a_drafts_history(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)
