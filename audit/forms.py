import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Event, Result


class TrailFilter(forms.Form):
    """The audit page's filters: every one optional; dates are days in Asia/Shanghai, both ends
    included."""

    start = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput({"type": "date"})
    )
    end = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput({"type": "date"})
    )
    user = forms.CharField(label=_("用户名"), required=False, max_length=150)
    event = forms.ChoiceField(label=_("事件"), required=False, choices=[("", "—"), *Event.choices])
    object = forms.CharField(
        label=_("对象"), required=False, max_length=100, help_text=_("对象名称中的文字，或对象编号")
    )
    result = forms.ChoiceField(
        label=_("结果"), required=False, choices=[("", "—"), *Result.choices]
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("起始日期不能晚于截止日期。"))
        return cleaned

    def filter(self, events):
        """``events`` narrowed to what the (valid) form asks for."""
        data = self.cleaned_data
        if data["start"]:
            events = events.filter(at__gte=_midnight(data["start"]))
        if data["end"]:
            events = events.filter(at__lt=_midnight(data["end"] + datetime.timedelta(days=1)))
        if data["user"].strip():
            events = events.filter(username=data["user"].strip())
        if data["event"]:
            events = events.filter(event=data["event"])
        if data["result"]:
            events = events.filter(result=data["result"])
        text = data["object"].strip()
        if text:
            events = events.filter(Q(object_id=text) | Q(object_label__icontains=text))
        return events


def _midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
