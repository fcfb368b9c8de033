from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ReportingPeriod


class PeriodAdminForm(forms.ModelForm):
    """A period as the administrator creates or edits it: a deadline already past (every unit
    would be told 已截止 at once) must be confirmed."""

    confirm_past_deadline = forms.BooleanField(
        label=_("确认截止日期已过"),
        required=False,
        help_text=_("补建历史周期时勾选：截止日期已过的周期一建立，各单位即显示“已截止”。"),
    )

    class Meta:
        model = ReportingPeriod
        fields = ["year", "granularity", "number", "opens_on", "deadline", "closed_at"]

    def clean_closed_at(self):
        closed_at = self.cleaned_data.get("closed_at")
        if closed_at is not None and closed_at > timezone.now():
            # Closing is a decision taken now; a closing in the future would change every page
            # at an hour nothing records.
            raise forms.ValidationError(
                _("提前结束报送的时间不能晚于现在。要到期自动结束，请修改截止日期。")
            )
        return closed_at

    def clean(self):
        cleaned = super().clean()
        deadline = cleaned.get("deadline")
        changed = self.instance.pk is None or "deadline" in self.changed_data
        if (
            deadline
            and changed
            and deadline < timezone.localdate()
            and not cleaned.get("confirm_past_deadline")
        ):
            self.add_error(
                "confirm_past_deadline",
                _(
                    "截止日期 {date} 已经过去：保存后所有单位都会显示“已截止”，无法再报送。"
                    "如确为补建历史周期，请勾选“确认截止日期已过”后再保存。"
                ).format(date=deadline.isoformat()),
            )
        return cleaned
