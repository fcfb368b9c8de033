"""The audit trail: one append-only table of security events, each row chained to the one
before it by a SHA-256 hash (``audit.chain``), and the head of that chain.

A row is never changed or deleted through the ORM (``save`` of a stored row, ``delete`` and a
queryset's ``update``/``delete`` raise); on PostgreSQL a trigger refuses UPDATE and DELETE
(migration 0002) except inside ``audit_prune``, the one removal there is.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditTrailIsAppendOnly(Exception):
    """Raised by any attempt to change or remove a recorded event through the ORM."""


class Event(models.TextChoices):
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOCKED_OUT = "locked_out", _("账号锁定")
    LOGOUT = "logout", _("退出登录")
    SESSION_EXPIRED = "session_expired", _("会话超时")
    PASSWORD_CHANGED = "password_changed", _("修改密码")
    PASSWORD_RESET = "password_reset", _("重置密码")
    ACCOUNT_CREATED = "account_created", _("创建账号")
    ACCOUNT_DISABLED = "account_disabled", _("停用账号")
    ACCOUNT_ENABLED = "account_enabled", _("启用账号")
    ACCOUNT_UNLOCKED = "account_unlocked", _("解除锁定")
    SECOND_FACTOR_ENROLLED = "second_factor_enrolled", _("启用两步验证")
    SECOND_FACTOR_RESET = "second_factor_reset", _("重置两步验证")
    RECOVERY_CODE_USED = "recovery_code_used", _("使用恢复码")
    ROLES_CHANGED = "roles_changed", _("角色变更")
    UNITS_CHANGED = "units_changed", _("填报单位变更")
    WORKFLOW_MOVE = "workflow_move", _("流程操作")
    IMPORT_CONFIRMED = "import_confirmed", _("确认导入")
    DOWNLOAD = "download", _("下载导出")
    CIRCULAR_ISSUED = "circular_issued", _("印发通知")
    CIRCULAR_WITHDRAWN = "circular_withdrawn", _("撤销通知")
    BACKUP = "backup", _("备份")
    RESTORE = "restore", _("恢复")
    FORBIDDEN = "forbidden", _("拒绝访问")
    AUDIT_PRUNED = "audit_pruned", _("清理审计记录")


class Result(models.TextChoices):
    SUCCESS = "success", _("成功")
    REFUSED = "refused", _("拒绝")
    FAILED = "failed", _("失败")


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditTrailIsAppendOnly("audit events are never changed")

    def delete(self):
        raise AuditTrailIsAppendOnly("audit events are removed only by audit_prune")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditTrailIsAppendOnly("audit events are never changed")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("时间"), default=timezone.now)
    # No constraint: a row outlives its user, and deleting a user changes no row.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # The user name as it was (or as typed, for a failed log-in).
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    roles = models.CharField(_("角色"), max_length=300, blank=True)
    # As the lock-out sees it (lib.client_ip), kept as text: what is stored is what was hashed.
    address = models.CharField(_("地址"), max_length=45, blank=True)
    event = models.CharField(_("事件"), max_length=32, choices=Event.choices)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=100, blank=True)
    object_label = models.CharField(_("对象"), max_length=300, blank=True)
    result = models.CharField(_("结果"), max_length=10, choices=Result.choices)
    details = models.JSONField(_("详情"), default=dict, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-id"]
        # Who reads the trail is a rule (audit.view_audit_trail, accounts.roles), not a model
        # permission anyone could be granted in the admin.
        default_permissions = ()
        # The page lists the newest first, filtered by time, user, event, object or result.
        indexes = [
            models.Index(fields=["at", "id"], name="audit_at"),
            models.Index(fields=["username", "at", "id"], name="audit_username_at"),
            models.Index(fields=["event", "at", "id"], name="audit_event_at"),
            models.Index(fields=["object_type", "object_id", "at"], name="audit_object_at"),
            models.Index(fields=["result", "at", "id"], name="audit_result_at"),
        ]

    def __str__(self):
        return f"{self.pk} {self.get_event_display()} {self.username}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditTrailIsAppendOnly("audit events are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditTrailIsAppendOnly("audit events are removed only by audit_prune")


class AuditHead(models.Model):
    """The one row that orders the chain: a writer locks it, links its event to ``last_hash``
    and moves it on, so events are chained in the order they commit. ``anchor_hash`` is what
    the oldest kept event follows (zeros, until ``audit_prune`` removes older ones);
    ``last_id`` is the newest event, so a removed newest row is seen too."""

    GENESIS = "0" * 64

    anchor_hash = models.CharField(max_length=64, default=GENESIS)
    last_hash = models.CharField(max_length=64, default=GENESIS)
    last_id = models.BigIntegerField(null=True)
    pruned_before = models.DateTimeField(null=True)

    class Meta:
        default_permissions = ()

    def __str__(self):
        return f"audit head at {self.last_id}"
