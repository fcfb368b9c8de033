from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from audit.models import Event
from backups import services


class Command(BaseCommand):
    help = (
        "把数据库备份到一个文件：SQLite 用在线备份，PostgreSQL 用 pg_dump 的自定义格式。"
        " · Back up the database to one file: SQLite's online backup, or pg_dump's custom format."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="备份文件 · the backup file to write")
        parser.add_argument(
            "--force", action="store_true", help="覆盖已有的文件 · overwrite an existing file"
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="设置中的数据库别名 · the database alias in the settings",
        )
        parser.add_argument(
            "--database-url",
            help="备份这个数据库，而不是设置中的 · back up this database instead",
        )

    def handle(self, *args, file, force, database, database_url, verbosity, **options):
        try:
            settings_dict = services.database_settings(database, database_url)
            summary = services.audited(
                Event.BACKUP,
                file,
                settings_dict,
                lambda: services.backup(file, settings_dict, force=force),
            )
        except services.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            services.bilingual(
                _("已把 %(database)s 备份到 %(path)s：%(size)s，%(tables)d 个表，%(rows)d 行。"),
                database=services.describe(settings_dict),
                path=summary.path,
                size=filesizeformat(summary.size).replace("\xa0", " "),
                tables=len(summary.rows),
                rows=summary.total_rows,
            )
        )
        if verbosity >= 2:
            for table, rows in sorted(summary.rows.items()):
                self.stdout.write(f"  {table:<50} {rows:>10}")
