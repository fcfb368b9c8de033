from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    """A form whose ``file`` is an upload, refused when larger than the portal accepts
    (``DJANGO_IMPORT_MAX_MB``) before anything reads it."""

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("文件太大（{size} MB），上限为 {limit} MB。").format(
                    size=f"{upload.size / 1048576:.1f}",
                    limit=f"{settings.IMPORT_MAX_BYTES / 1048576:.0f}",
                )
            )
        return upload
