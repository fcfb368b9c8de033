from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from .models import Circular, CircularAttachment


class CircularForm(forms.ModelForm):
    class Meta:
        model = Circular
        fields = [
            "organ", "code", "year", "number", "title", "addressees", "situation_period",
            "situation", "body",
            "signatory", "signed_on", "note", "copy_to", "printed_by", "printed_on", "unit_names",
        ]  # fmt: skip
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "situation": forms.Textarea(attrs={"rows": 6}),
            "body": forms.Textarea(attrs={"rows": 14}),
            "signed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "printed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {"title": _("可分行书写，按行居中排印（梯形或菱形）。")}


AttachmentFormSet = inlineformset_factory(
    Circular,
    CircularAttachment,
    fields=["position", "period", "kind", "form"],
    extra=2,
    can_delete=True,
)


class RevisionForm(forms.Form):
    """The circular's revision the page was based on: a circular changed since is not acted on."""

    revision = forms.CharField(widget=forms.HiddenInput, max_length=64)


class IssueForm(RevisionForm):
    allow_open_periods = forms.BooleanField(
        label=_("附件中有报送尚未结束的周期，数据为初步统计：确认仍要印发"),
        required=False,
    )
    allow_period_mismatch = forms.BooleanField(
        label=_("情况通报与附件不是同一周期：确认仍要印发"),
        required=False,
    )


class WithdrawForm(RevisionForm):
    reason = forms.CharField(
        label=_("撤销原因"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("必填。原因、撤销人和时间显示在通知页面上；文号不再使用。"),
    )


class PracticeFilterForm(forms.Form):
    """The 经验交流 page's choice of period: those with approved good practice."""

    period = forms.ChoiceField(label=_("报送周期"), required=False)

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [("", _("全部周期"))] + [
            (period.slug, period.label) for period in periods
        ]


MAX_PRACTICES = 99


class PracticeExchangeForm(forms.Form):
    """The approved practices chosen for a 经验交流 notice; any other is refused."""

    practices = forms.ModelMultipleChoiceField(
        label=_("经验做法"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("请至少选择一条经验做法。"),
            "invalid_choice": _("只能选择已审核通过的经验做法。"),
            "invalid_pk_value": _("只能选择已审核通过的经验做法。"),
        },
    )

    def __init__(self, *args, **kwargs):
        from .services import approved_practices

        super().__init__(*args, **kwargs)
        self.fields["practices"].queryset = approved_practices()

    def clean_practices(self):
        practices = self.cleaned_data["practices"]
        # Each is a first-level heading, numbered 一、 to 九十九、.
        if len(practices) > MAX_PRACTICES:
            raise forms.ValidationError(
                _("一份通知最多收录 {limit} 条经验做法。").format(limit=MAX_PRACTICES)
            )
        return practices
