import django_tables2 as tables
from django.utils import timezone, translation
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent


def when(event):
    return format_date(timezone.localtime(event.at), "Y-m-d H:i:s")


# The names of the details the portal records, in the reader's language (the values are kept
# as they were recorded, in the portal's language).
DETAILS = {
    "before": _("原"),
    "after": _("新"),
    "move": _("操作"),
    "from": _("原状态"),
    "to": _("新状态"),
    "locked_out": _("已锁定"),
    "failures": _("失败次数"),
    "method": _("请求方式"),
    "path": _("网址"),
    "page": _("页面"),
    "content_type": _("文件类型"),
    "file": _("文件"),
    "period": _("周期"),
    "unit": _("填报单位"),
    "kind": _("类别"),
    "changed": _("变更行数"),
    "sha256": "SHA-256",
    "reason": _("原因"),
    "database": _("数据库"),
    "by": _("系统账号"),
    "error": _("错误"),
    "tables": _("表数"),
    "rows": _("行数"),
    "username": _("用户名"),
    "address": _("地址"),
    "before_date": _("早于"),
    "removed": _("删除行数"),
    "up_to_id": _("删除至第几行"),
}


def _value(value):
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if isinstance(value, list):
        return "、".join(str(item) for item in value) or "—"
    if value in (None, ""):
        return "—"
    return str(value)


def details_text(event):
    """``{"before": [...], "after": [...]}`` as "原：a、b；新：c", named in the reader's language."""
    chinese = (translation.get_language() or "").startswith("zh")
    colon, semicolon = ("：", "；") if chinese else (": ", "; ")
    return semicolon.join(
        f"{DETAILS.get(name, name)}{colon}{_value(value)}"
        for name, value in (event.details or {}).items()
    )


def object_text(event):
    return event.object_label or event.object_id


class TrailTable(tables.Table):
    at = tables.Column(verbose_name=_("时间"), attrs={"td": {"class": "nowrap"}})
    username = tables.Column(verbose_name=_("用户"))
    roles = tables.Column(verbose_name=_("角色"))
    address = tables.Column(verbose_name=_("地址"))
    event = tables.Column(verbose_name=_("事件"))
    object_label = tables.Column(verbose_name=_("对象"), empty_values=())
    result = tables.Column(verbose_name=_("结果"))
    details = tables.Column(verbose_name=_("详情"), empty_values=())

    class Meta:
        model = AuditEvent
        fields = ()
        orderable = False
        attrs = {"class": "list audit"}
        row_attrs = {"data-result": lambda record: record.result}

    def render_at(self, record):
        return when(record)

    def render_event(self, record):
        return record.get_event_display()

    def render_result(self, record):
        return record.get_result_display()

    def render_object_label(self, record):
        return object_text(record) or "—"

    def render_details(self, record):
        return details_text(record) or "—"
