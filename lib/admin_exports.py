"""Exports from the admin (django-import-export), made as safe as the portal's own downloads.

django-import-export's own escaping removes one leading ``=`` and turns every XLSX cell into
text; these formats escape with ``escape_formula`` instead, as every other export does, and
leave numbers, dates and empty cells as they are.
"""

from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.http import HttpResponseBadRequest
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from import_export.admin import ExportMixin
from import_export.formats import base_formats
from import_export.forms import SelectableFieldsExportForm

from .downloads import escape_dataset


class FormulaSafeFormat:
    def export_data(self, dataset, **kwargs):
        escape_dataset(dataset)
        return super().export_data(dataset, **kwargs)

    def _escape_formulae(self, dataset):
        # The library's own pass (IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT) would make every
        # number text; the dataset has already been escaped above.
        pass


class FormulaSafeCSV(FormulaSafeFormat, base_formats.CSV):
    pass


class FormulaSafeXLSX(FormulaSafeFormat, base_formats.XLSX):
    pass


class LabelledExportForm(SelectableFieldsExportForm):
    """The export form's boxes labelled as the admin labels the fields, in the user's language.

    The library labels them by attribute name ("Loan Term Months"); a resource may name the
    columns that are no model field in ``export_labels``.
    """

    def _get_field_label(self, resource, field_name):
        labels = getattr(resource, "export_labels", {})
        if field_name in labels:
            return labels[field_name]
        try:
            return capfirst(resource._meta.model._meta.get_field(field_name).verbose_name)
        except FieldDoesNotExist:
            return super()._get_field_label(resource, field_name)


class SafeExportMixin(ExportMixin):
    """The admin's export as CSV or XLSX, formula cells escaped, unknown parameters refused.

    The export page takes the change list's search and filters from its address; a
    parameter the change list does not know is a 400, not a server error.
    """

    export_formats = [FormulaSafeCSV, FormulaSafeXLSX]
    export_form_class = LabelledExportForm
    to_encoding = "utf-8-sig"  # a BOM, as every CSV of the portal: Chinese Excel needs it

    def get_export_data(self, file_format, request, queryset, **kwargs):
        # The library keeps numbers and dates native only for the exact format classes it
        # lists as binary, which these subclasses are not: ask the format itself.
        if not self.has_export_permission(request):
            raise PermissionDenied
        binary = file_format.is_binary()
        data = self.get_data_for_export(request, queryset, force_native_type=binary, **kwargs)
        content = file_format.export_data(data)
        encoding = kwargs.get("encoding")
        return content if binary or not encoding else content.encode(encoding)

    def export_action(self, request):
        try:
            return super().export_action(request)
        except IncorrectLookupParameters:
            return HttpResponseBadRequest(
                _("导出地址中有无法识别的参数，请回到列表页重新导出。"),
                content_type="text/plain; charset=utf-8",
            )
