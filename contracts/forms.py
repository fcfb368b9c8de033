from django import forms
from django.utils.translation import gettext_lazy as _

from cities.models import ReportingUnit
from periods.models import ReportingPeriod
from reporting.forms import ImportForm
from reporting.models import IPKind


class ContractImportForm(forms.Form):
    """An upload of pledge contracts, one per row."""

    file = forms.FileField(
        label=_("文件"),
        help_text=_("按模板填写的 XLSX、XLS 或 CSV：每行一份质押合同。"),
    )
    period = forms.ModelChoiceField(label=_("报送周期"), queryset=None, empty_label=None)
    unit = forms.ModelChoiceField(
        label=_("填报单位"), queryset=None, required=False, help_text=_("文件没有“地市”列时必填。")
    )
    kind = forms.ChoiceField(
        label=_("类别"),
        choices=[("", _("按文件中的“类别”列")), *IPKind.choices],
        required=False,
    )
    approve = forms.BooleanField(label=_("导入后直接审核通过"), required=False)

    def __init__(self, *args, units=None, can_approve=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = ReportingPeriod.objects.all()
        self.fields["unit"].queryset = units if units is not None else ReportingUnit.objects.all()
        if units is not None and len(units) == 1:
            # A clerk of one unit needs no 地市 column and no choice to make.
            self.fields["unit"].initial = units[0].pk
        if not can_approve:
            del self.fields["approve"]

    clean_file = ImportForm.clean_file
