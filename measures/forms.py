from django import forms
from django.utils.translation import gettext_lazy as _

from periods.models import ReportingPeriod
from reporting.forms import ImportForm

from .queries import UnitKindFilter
from .types import MEASURE_TYPES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def item_form_class(measure_type):
    """The form for one type of measure: its fields, the report version, and a document
    where the kind has one."""
    widgets = {
        name: DATE
        for name in measure_type.fields
        if measure_type.model._meta.get_field(name).get_internal_type() == "DateField"
    }
    widgets.update(
        {
            "banks": forms.Textarea(attrs={"rows": 3}),
            "text": forms.Textarea(attrs={"rows": 14, "maxlength": 5000}),
        }
    )
    attrs = {
        "Meta": type(
            "Meta",
            (),
            {"model": measure_type.model, "fields": measure_type.fields, "widgets": widgets},
        ),
        "version": forms.IntegerField(widget=forms.HiddenInput, min_value=0),
    }
    if measure_type.has_document:
        attrs["document"] = forms.FileField(
            label=_("附件（PDF、DOCX 或 OFD）"),
            required=False,
            help_text=_("可选。文件只供下载，不在网页中打开。"),
        )
    return type(f"{measure_type.model.__name__}Form", (forms.ModelForm,), attrs)


ITEM_FORMS = {slug: item_form_class(measure_type) for slug, measure_type in MEASURE_TYPES.items()}


class MatrixFilterForm(forms.Form):
    """The province's matrix: which units, and which of them lack a measure."""

    LACKING = [
        ("", _("全部")),
        ("policies", _("无现行政策措施")),
        ("funds", _("无风险补偿资金")),
        ("events", _("未举办活动")),
        ("practices", _("未报送经验做法")),
        ("unreported", _("未报或待审")),
    ]
    unit_kind = forms.ChoiceField(label=_("单位"), required=False, choices=UnitKindFilter.choices)
    lacking = forms.ChoiceField(label=_("只看"), required=False, choices=LACKING)


class MeasureImportForm(forms.Form):
    """An upload of one type of measure for one unit and period, one item per row."""

    period = forms.ModelChoiceField(label=_("报送周期"), queryset=None, empty_label=None)
    measure_type = forms.ChoiceField(
        label=_("措施类别"),
        choices=[(slug, measure_type.label) for slug, measure_type in MEASURE_TYPES.items()],
    )
    unit = forms.ModelChoiceField(label=_("填报单位"), queryset=None)
    file = forms.FileField(
        label=_("文件"),
        help_text=_("按模板填写的 XLSX、XLS 或 CSV：每行一项。"),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = ReportingPeriod.objects.all()
        self.fields["unit"].queryset = units
        if len(units) == 1:
            # A clerk of one unit has no choice to make.
            self.fields["unit"].initial = units[0].pk
            self.fields["unit"].empty_label = None

    clean_file = ImportForm.clean_file
