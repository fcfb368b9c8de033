"""Uploaded files between their preview and their confirmation (the two-step imports)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from cities.models import ReportingUnit
from periods.models import ReportingPeriod


class PendingImport(models.Model):
    """An uploaded file between its preview and its confirmation.

    Kept in the database, so that every worker sees it and nothing is ever served from
    disk; abandoned ones are purged.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("上传人"),
    )
    filename = models.CharField(_("文件名"), max_length=200)
    content = models.BinaryField(_("内容"))
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("类别"), max_length=20, blank=True)
    # What the file becomes once confirmed (figures, contracts, one type of measure): a flow
    # confirms only files of what it writes, never another flow's.
    target = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("导入内容")
    )
    unit = models.ForeignKey(
        ReportingUnit, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The version of every report the preview showed ({unit id: version}; 0: no report yet):
    # a confirmation after one of them changed is refused.
    versions = models.JSONField(_("预览时的报表版本"), default=dict)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("待确认的导入")
        verbose_name_plural = _("待确认的导入")

    def __str__(self):
        return f"{self.filename} ({self.user})"
