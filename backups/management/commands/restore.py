from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext_lazy as _

from audit.models import Event
from backups import services


class Command(BaseCommand):
    help = (
        "从备份文件恢复数据库，并逐表核对行数；目标数据库不是空的时，须加 --force。"
        " · Restore the database from a backup and check it table by table; a database that is"
        " not empty needs --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="备份文件 · the backup file")
        parser.add_argument(
            "--force",
            action="store_true",
            help="覆盖不是空的数据库 · overwrite a database that is not empty",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="设置中的数据库别名 · the database alias in the settings",
        )
        parser.add_argument(
            "--database-url",
            help=(
                "恢复到这个数据库（例如演练用的临时库），而不是设置中的"
                " · restore into this database (a scratch one for a drill) instead"
            ),
        )

    def handle(self, *args, file, force, database, database_url, **options):
        try:
            settings_dict = services.database_settings(database, database_url)
            summary = services.audited(
                Event.RESTORE,
                file,
                settings_dict,
                lambda: services.restore(file, settings_dict, force=force),
            )
        except services.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            services.bilingual(
                _("已从 %(path)s 恢复到 %(database)s：%(tables)d 个表，%(rows)d 行。"),
                path=summary.path,
                database=services.describe(settings_dict),
                tables=len(summary.rows),
                rows=summary.total_rows,
            )
        )
        for table, rows in sorted(summary.rows.items()):
            self.stdout.write(f"  {table:<50} {rows:>10}")
        self.stdout.write(services.bilingual(_("核对通过：备份中的每个表都已恢复，各表行数如上。")))
        if summary.extra_tables:
            self.stdout.write(
                services.bilingual(
                    _("注意：数据库中还有备份里没有的表：%(tables)s"),
                    tables=", ".join(summary.extra_tables),
                )
            )
        if summary.pending_migrations:
            self.stdout.write(
                services.bilingual(
                    _(
                        "备份来自较早的版本，有 %(count)d 个迁移尚未应用：请运行 "
                        "python manage.py migrate。"
                    ),
                    count=len(summary.pending_migrations),
                )
            )
