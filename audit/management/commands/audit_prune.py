import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import PruneRefused, prune, retention_cutoff
from lib.wording import bilingual


def local_date(text):
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(
            bilingual(_("日期应写作 2026-06-01 这样：%(text)s"), text=text)
        ) from error
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class Command(BaseCommand):
    help = (
        "删除早于保存期限（DJANGO_AUDIT_RETENTION_DAYS，至少 180 天）的审计记录，哈希链仍可核对。"
        " · Remove audit events older than the retention (DJANGO_AUDIT_RETENTION_DAYS, at least"
        " 180 days), keeping the chain verifiable."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--before",
            type=local_date,
            help=(
                "删除这一天（北京时间 0 时）之前的记录，默认为保存期限的起点"
                " · remove events before this day (00:00 Beijing time); by default the"
                " retention's start"
            ),
        )

    def handle(self, *args, before=None, **options):
        before = before or retention_cutoff()
        try:
            removed = prune(before)
        except PruneRefused as refused:
            raise CommandError(
                bilingual(
                    _(
                        "审计记录须保存至少 %(days)d 天：只能删除 %(cutoff)s 之前的记录，"
                        "未删除任何记录。"
                    ),
                    days=settings.AUDIT_RETENTION_DAYS,
                    cutoff=timezone.localtime(refused.args[0]).strftime("%Y-%m-%d %H:%M"),
                )
            ) from refused
        self.stdout.write(
            bilingual(
                _("已删除 %(rows)d 行审计记录（%(before)s 之前的）。"),
                rows=removed,
                before=timezone.localtime(before).strftime("%Y-%m-%d %H:%M"),
            )
        )
