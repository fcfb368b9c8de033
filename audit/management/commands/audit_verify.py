from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext_lazy as _

from audit.services import verify
from lib.wording import bilingual

BROKEN = {
    "changed": _("第 %(row)s 行已被改动：其内容与其哈希值不符。"),
    "unlinked": _(
        "第 %(row)s 行与前一行（%(previous)s）衔接不上：两者之间有行被删除，或第 %(row)s 行是插入的。"
    ),
    "truncated": _(
        "审计记录止于第 %(previous)s 行，而链头记在第 %(row)s 行：最新的记录被删除，或链头之后插入了行。"
    ),
}


class Command(BaseCommand):
    help = (
        "逐行核对审计记录的哈希链；发现被改动、删除或插入的行时以非零状态退出，并指出第一处。"
        " · Walk the audit trail's hash chain; exit non-zero naming the first row that was"
        " changed, removed or inserted."
    )

    def handle(self, *args, **options):
        rows, broken, head = verify()
        if broken is not None:
            raise CommandError(
                bilingual(
                    BROKEN[broken.kind],
                    row=broken.event_id,
                    previous=broken.previous_id or "—",
                )
            )
        self.stdout.write(
            bilingual(
                _("审计记录完好：%(rows)d 行，链头第 %(last)s 行，哈希 %(hash)s。"),
                rows=rows,
                last=head.last_id or "—",
                hash=head.last_hash,
            )
        )
