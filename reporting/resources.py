"""The admin's import of tables of figures, through django-import-export, by the portal's engine.

django-import-export supplies the admin screens (upload, preview, confirm); the file is read,
checked and saved by ``reporting.imports``, the same engine as the upload page and
``import_pledges``: same formats (GBK CSV included), same messages, all rows or none.
"""

import tablib
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import resources
from import_export.formats.base_formats import Format
from import_export.forms import ConfirmImportForm, ImportForm
from import_export.results import Error, Result, RowResult

from .imports import ImportFileError, apply_import, parse_figures, read_rows
from .models import IPKind, ReportingPeriod


class AttachmentTableFormat(Format):
    """CSV (UTF-8 or GBK, detected), XLSX or XLS, recognised by content, read by the engine."""

    def __init__(self, encoding=None):
        self.encoding = encoding  # the admin passes one; the engine detects it from the bytes

    def get_title(self):
        return gettext_lazy("统计表（CSV、XLSX 或 XLS，自动识别）")

    def create_dataset(self, in_stream):
        rows = read_rows(in_stream)  # raises ImportFileError with a message for the user
        width = max(len(row) for row in rows)
        return tablib.Dataset(*[row + [""] * (width - len(row)) for row in rows])

    def can_import(self):
        return True

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"


class _PeriodAndKind(forms.Form):
    period = forms.ModelChoiceField(
        label=gettext_lazy("报送周期"), queryset=ReportingPeriod.objects.all()
    )
    kind = forms.ChoiceField(label=gettext_lazy("类别"), choices=IPKind.choices)
    approve = forms.BooleanField(label=gettext_lazy("导入后直接审核通过"), required=False)


class FiguresImportForm(ImportForm):
    period = _PeriodAndKind.base_fields["period"]
    kind = _PeriodAndKind.base_fields["kind"]
    approve = _PeriodAndKind.base_fields["approve"]


class FiguresConfirmForm(ConfirmImportForm):
    period = forms.ModelChoiceField(
        queryset=ReportingPeriod.objects.all(), widget=forms.HiddenInput
    )
    kind = forms.ChoiceField(choices=IPKind.choices, widget=forms.HiddenInput)
    approve = forms.BooleanField(required=False, widget=forms.HiddenInput)


def _figures_text(values):
    """Amount / projects / items, "—" for a value the file does not give as a number."""
    return " / ".join("—" if value is None else str(value) for value in values)


class FiguresTableResource(resources.Resource):
    """A whole table of figures: checked as one file, saved as one transaction."""

    @classmethod
    def get_display_name(cls):
        return _("质押融资统计表")

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None,
                    collect_failed_rows=False, rollback_on_validation_errors=False, **kwargs):  # fmt: skip
        result = Result()
        result.diff_headers = [_("行"), _("单位"), _("原数据"), _("导入后")]
        rows = [list(map(str, row)) for row in dataset]
        try:
            preview = parse_figures(
                rows,
                kwargs["period"],
                kwargs["kind"],
                user=kwargs.get("user"),
                approve=kwargs.get("approve", False),
            )
        except ImportFileError as error:
            result.append_base_error(Error(error))
            return result
        for message in preview.errors:
            result.append_base_error(Error(ImportFileError(message)))
        for row in preview.rows:
            # Stored figures appear only for rows the preview may show (never another unit's draft).
            before = "—" if row.previous is None else _figures_text(row.previous)
            after = _figures_text(row.values)
            values = {
                _("行"): row.line,
                _("单位"): getattr(row.unit, "name", ""),
                _("原数据"): before,
                _("导入后"): after,
            }
            if row.errors:
                result.append_invalid_row(row.line, values, ValidationError(row.errors))
                continue
            row_result = RowResult()
            row_result.import_type = {
                "new": RowResult.IMPORT_TYPE_NEW,
                "changed": RowResult.IMPORT_TYPE_UPDATE,
                "unchanged": RowResult.IMPORT_TYPE_SKIP,
            }[row.status]
            row_result.diff = list(values.values())
            result.append_row_result(row_result)
            result.increment_row_result_total(row_result)
        if not dry_run and not result.has_errors() and not result.has_validation_errors():
            try:
                apply_import(
                    preview,
                    kwargs["user"],
                    kwargs.get("file_name") or "",
                    approve=kwargs.get("approve", False),
                )
            except (ImportFileError, PermissionDenied) as error:
                result.append_base_error(Error(error))
        return result
