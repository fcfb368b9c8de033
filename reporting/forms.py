from django import forms
from django.utils.translation import gettext_lazy as _

from cities.models import UnitKind
from periods.models import ReportingPeriod
from uploads.forms import UploadForm
from workflow.models import ReportState

from .models import FIGURE_FIELDS, IPKind, PledgeFigures
from .queries import show_figure
from .services import COMPARED_FIELDS, Figures, change_warning_texts


class FiguresForm(forms.ModelForm):
    """One kind's figures; the model's own validation runs (``validate_figures``)."""

    class Meta:
        model = PledgeFigures
        fields = FIGURE_FIELDS
        widgets = {name: forms.NumberInput(attrs={"min": 0}) for name in FIGURE_FIELDS}

    def __init__(self, *args, kind, derived=False, year_earlier=None, **kwargs):
        """``year_earlier``: (the same period a year earlier, or None; that period's figures of
        this kind, or None): shown beside each input, and compared as the clerk types."""
        self.kind = IPKind(kind)
        kwargs.setdefault("prefix", self.kind.value)
        instance = kwargs.get("instance") or PledgeFigures(kind=self.kind)
        kwargs["instance"] = instance
        super().__init__(*args, **kwargs)
        self.fields["amount"].label = _("质押金额（万元）")
        self.fields["amount"].widget.attrs.update({"step": "0.01"})
        self.fields["items"].label = self.kind.items_heading
        for name in ("amount", "projects", "items"):
            self.fields[name].required = True
        if derived:
            # Summed from the unit's imported pledge contracts; changed by importing them again.
            for field in self.fields.values():
                field.disabled = True
                field.help_text = _("由质押合同汇总")
        self.show_year_earlier(*(year_earlier or (None, None)), compare=not derived)

    def show_year_earlier(self, period, previous, *, compare):
        """Each field's figure a year earlier (``last_year``: text, "—" where there was none),
        and for the figures ``submission_warnings`` compares, the data the form's script needs
        to warn as the clerk types (the value, and the warnings' texts)."""
        for name, field in self.fields.items():
            field.last_year = None if period is None else "—"
            field.compared = False
            value = getattr(previous, name) if previous is not None else None
            if value is None:
                continue
            field.last_year = show_figure(value)
            if compare and name in COMPARED_FIELDS:
                field.compared = True
                texts = change_warning_texts(self.kind, name, value)
                field.widget.attrs.update(
                    {
                        "data-last-year": str(value),
                        "data-warn-new": texts["new"],
                        "data-warn-change": texts["change"],
                    }
                )
                if self.is_bound or self.instance.pk:
                    # A value the clerk entered (saved, or sent back with an error) is compared
                    # at once; the 0 of a new form only once they type.
                    field.widget.attrs["data-entered"] = ""

    def figures(self):
        data = self.cleaned_data
        return Figures(**{name: data[name] for name in FIGURE_FIELDS})


class ReportForm(forms.Form):
    """The explanation and the version the page was based on (no lost updates)."""

    explanation = forms.CharField(
        label=_("上报说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("数据与上年同期相比变动超过 ±50%，或有项目而无惠及企业时，须说明原因。"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ExtensionForm(forms.Form):
    until = forms.DateField(label=_("延期至"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("原因"), max_length=200)


NOT_STARTED = "none"


class BoardFilterForm(forms.Form):
    TIMELINESS = [
        ("", _("全部")),
        ("on_time", _("按时")),
        ("late", _("逾期")),
        ("missing", _("未提交")),
    ]

    state = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部")), (NOT_STARTED, _("未开始")), *ReportState.choices],
    )
    kind = forms.ChoiceField(label=_("单位类别"), required=False)
    timeliness = forms.ChoiceField(label=_("按时情况"), required=False, choices=TIMELINESS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("全部")), *UnitKind.choices]


class ImportForm(UploadForm):
    file = forms.FileField(
        label=_("文件"),
        help_text=_(
            "CSV（UTF-8 或 GBK）、XLSX 或 XLS，格式同通知附件：地市、金额（万元）、项目数、专利数或商标件数。"
        ),
    )
    period = forms.ModelChoiceField(label=_("报送周期"), queryset=None, empty_label=None)
    kind = forms.ChoiceField(label=_("类别"), choices=IPKind.choices)
    approve = forms.BooleanField(label=_("导入后直接审核通过"), required=False)

    def __init__(self, *args, can_approve=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = ReportingPeriod.objects.all()
        if not can_approve:
            del self.fields["approve"]
