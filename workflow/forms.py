"""The forms every kind of report's moves share: the version a move was based on, and the
reviewer's comment."""

from django import forms
from django.utils.translation import gettext_lazy as _


class VersionForm(forms.Form):
    """The report version an action was based on: a report changed since is not acted on."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class TransitionForm(VersionForm):
    comment = forms.CharField(
        label=_("意见或原因"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
