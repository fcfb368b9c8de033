from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PasswordSet(models.Model):
    """A password an account was given: its hash (to refuse it again), when, and whether its
    owner chose it. A password set for someone else (the 安全管理员's, in the admin) must be
    changed by its owner at the next log-in; any password must be changed after
    ``PASSWORD_MAX_AGE_DAYS`` (accounts.passwords)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="passwords_set"
    )
    password = models.CharField(max_length=128)
    set_at = models.DateTimeField(_("设置时间"))
    by_owner = models.BooleanField(_("本人设置"))

    class Meta:
        verbose_name = _("密码记录")
        verbose_name_plural = _("密码记录")
        ordering = ["-set_at", "-id"]
        indexes = [models.Index(fields=["user", "-set_at", "-id"], name="password_set_latest")]
        default_permissions = ()

    def __str__(self):
        return f"{self.user_id} {self.set_at:%Y-%m-%d}"
