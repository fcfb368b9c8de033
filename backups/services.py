"""Back the database up to one file and restore it, with each engine's own tools.

SQLite: the online backup API, a consistent copy even while the portal writes.
PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore`` in one transaction. Both tools get the
connection from the settings (or a URL) through libpq's environment variables, so the password
is never on a command line.

A backup is written under a temporary name beside the file and renamed when it is whole and
checked; a restore either replaces the target's content entirely or leaves it as it was.
"""

import contextlib
import copy
import getpass
import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import dj_database_url
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.utils import ConnectionHandler
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent, Event, Result
from audit.services import record
from lib.wording import bilingual

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"
# Every database of the portal has it, so every backup of one has it.
MIGRATIONS_TABLE = "django_migrations"
# Connection options of the settings that libpq's tools read from the environment.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


class BackupError(Exception):
    """A refusal or a failure, worded for the operator: Chinese, then English."""


def refusal(message, **params):
    return BackupError(bilingual(message, **params))


@dataclass
class Summary:
    """What a backup or a restore did."""

    path: Path
    size: int
    rows: dict  # table → rows
    pending_migrations: list = field(default_factory=list)
    extra_tables: list = field(default_factory=list)

    @property
    def total_rows(self):
        return sum(self.rows.values())


# ── The audit trail ───────────────────────────────────────────────────────────────────────


def audited(event, path, settings_dict, run):
    """``run()`` (a backup or a restore), recorded in the portal's audit trail whether it
    succeeds or fails: who ran it (the system account), which file, which database. A restore
    is recorded in the database as restored. Returns the run's summary."""
    details = {"file": str(path), "database": describe(settings_dict), "by": _system_user()}
    try:
        summary = run()
    except BackupError as error:
        with contextlib.suppress(DatabaseError):  # the refusal is what the operator must see
            _record(event, Result.FAILED, {**details, "error": str(error)})
        raise
    _record(
        event, Result.SUCCESS, {**details, "tables": len(summary.rows), "rows": summary.total_rows}
    )
    return summary


def _system_user():
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def _record(event, result, details):
    connection = connections[DEFAULT_DB_ALIAS]
    if event == Event.RESTORE and not connection.in_atomic_block:
        connection.close()  # a restore replaced what the connection had open
    if AuditEvent._meta.db_table not in connection.introspection.table_names():
        return  # a backup of an older version, not migrated yet
    record(
        event,
        object_type="backup",
        object_label=Path(details["file"]).name,
        result=result,
        details=details,
    )


# ── Which database ────────────────────────────────────────────────────────────────────────


def database_settings(alias=DEFAULT_DB_ALIAS, url=None):
    """The settings of the database to act on: those of ``alias``, or those ``url`` names."""
    if url:
        try:
            return dj_database_url.parse(url)
        except ValueError as error:
            raise refusal(_("无法识别的数据库地址：%(error)s"), error=error) from error
    return copy.deepcopy(connections[alias].settings_dict)


def engine(settings_dict):
    vendor = settings_dict["ENGINE"].rsplit(".", 1)[-1]
    if vendor == "sqlite3":
        return "sqlite"
    if vendor == "postgresql":
        return "postgresql"
    raise refusal(
        _("不支持的数据库引擎：%(engine)s（只支持 SQLite 和 PostgreSQL）。"),
        engine=settings_dict["ENGINE"],
    )


def describe(settings_dict):
    """The database in a few words, without its password."""
    if engine(settings_dict) == "sqlite":
        return f"SQLite {settings_dict['NAME']}"
    host = settings_dict.get("HOST") or "local socket"
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    user = f"{settings_dict['USER']}@" if settings_dict.get("USER") else ""
    return f"PostgreSQL {user}{host}{port}/{settings_dict['NAME']}"


def is_in_memory(settings_dict):
    name = str(settings_dict["NAME"])
    return name == ":memory:" or "mode=memory" in name


@contextlib.contextmanager
def connected(settings_dict):
    """A Django connection of its own to the database, closed afterwards."""
    handler = ConnectionHandler({DEFAULT_DB_ALIAS: copy.deepcopy(settings_dict)})
    connection = handler[DEFAULT_DB_ALIAS]
    try:
        connection.ensure_connection()
    except DatabaseError as error:
        raise refusal(
            _("无法连接数据库 %(database)s：%(error)s"),
            database=describe(settings_dict),
            error=str(error).strip(),
        ) from error
    try:
        yield connection
    finally:
        connection.close()


def table_rows(connection):
    """Rows per table of the connection's database."""
    quote = connection.ops.quote_name
    rows = {}
    with connection.cursor() as cursor:
        for name in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {quote(name)}")
            rows[name] = cursor.fetchone()[0]
    return rows


def pending_migrations(connection):
    """The migrations of this code that the database has not applied (a backup from before)."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


# ── Backup ────────────────────────────────────────────────────────────────────────────────


def backup(path, settings_dict, *, force=False):
    """Write a backup of the database to ``path``; an existing file is kept unless ``force``."""
    path = Path(path)
    kind = engine(settings_dict)
    if path.exists() and not force:
        raise refusal(_("文件 %(path)s 已存在，没有覆盖。要覆盖它，请加 --force。"), path=path)
    if not path.parent.is_dir():
        raise refusal(_("目录 %(path)s 不存在。"), path=path.parent)
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".partial", dir=path.parent
    )
    os.close(descriptor)
    temporary = Path(temporary)
    try:
        if kind == "sqlite":
            rows = _backup_sqlite(settings_dict, temporary)
        else:
            rows = _backup_postgresql(settings_dict, temporary)
        _sync(temporary)
        _publish(temporary, path, force=force)
    finally:
        temporary.unlink(missing_ok=True)
    return Summary(path=path, size=path.stat().st_size, rows=rows)


def _backup_sqlite(settings_dict, temporary):
    with _sqlite_source(settings_dict) as source:
        target = sqlite3.connect(temporary)
        try:
            source.backup(target)
        finally:
            target.close()
    return _sqlite_backup_rows(temporary)


@contextlib.contextmanager
def _sqlite_source(settings_dict):
    if is_in_memory(settings_dict):
        # Only this process sees an in-memory database (the test suite's): read it through
        # a connection of its own to the same shared memory.
        with connected(settings_dict) as connection:
            try:
                yield connection.connection
            finally:
                # Django keeps in-memory connections open; this one is ours alone.
                connection.connection.close()
        return
    name = Path(settings_dict["NAME"])
    if not name.is_file():
        # Opening it would create an empty database, and back that up.
        raise refusal(_("数据库文件 %(path)s 不存在。"), path=name)
    source = sqlite3.connect(f"{name.resolve().as_uri()}?mode=ro", uri=True, timeout=20)
    try:
        yield source
    finally:
        source.close()


def _backup_postgresql(settings_dict, temporary):
    pg_dump = _tool("pg_dump")
    with connected(settings_dict) as connection:
        # pg_dump reads the snapshot this transaction exports, so the rows counted here are
        # exactly those in the file.
        connection.set_autocommit(False)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
            try:
                _run(
                    [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={temporary}"],
                    settings_dict,
                )
            except BackupError as error:
                raise refusal(_("备份失败：%(error)s"), error=error) from error
            rows = table_rows(connection)
        finally:
            connection.rollback()
            connection.set_autocommit(True)
    _archive_tables(temporary)
    return rows


def _sync(path):
    with open(path, "rb") as file:
        os.fsync(file.fileno())


def _publish(temporary, path, *, force):
    """Give the checked temporary file its name; without ``force`` never replace a file."""
    if force:
        os.replace(temporary, path)
    else:
        try:
            # A hard link fails when the name exists, even if it appeared a moment ago.
            os.link(temporary, path)
        except FileExistsError:
            raise refusal(
                _("文件 %(path)s 已存在，没有覆盖。要覆盖它，请加 --force。"), path=path
            ) from None
        except OSError:  # a file system without hard links
            if path.exists():
                raise refusal(
                    _("文件 %(path)s 已存在，没有覆盖。要覆盖它，请加 --force。"), path=path
                ) from None
            os.replace(temporary, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


# ── Reading a backup ──────────────────────────────────────────────────────────────────────


def _head(path):
    try:
        with open(path, "rb") as file:
            return file.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise refusal(_("无法读取 %(path)s：%(error)s"), path=path, error=error) from error


def _not_a_backup(path, kind):
    head = _head(path)
    if kind == "sqlite" and head.startswith(PG_CUSTOM_MAGIC):
        return refusal(_("%(path)s 是 PostgreSQL 的备份，不能恢复到 SQLite 数据库。"), path=path)
    if kind == "postgresql" and head == SQLITE_MAGIC:
        return refusal(_("%(path)s 是 SQLite 的备份，不能恢复到 PostgreSQL 数据库。"), path=path)
    return refusal(
        _("%(path)s 不是本系统的备份文件，或已损坏：没有恢复，数据库未作任何改动。"), path=path
    )


def _sqlite_backup_rows(path):
    """Rows per table of an SQLite backup, once it is known to be whole and the portal's."""
    path = Path(path)
    if _head(path) != SQLITE_MAGIC:
        raise _not_a_backup(path, "sqlite")
    # immutable: nobody writes to a backup, so read it without locks or journal files.
    backup = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        if backup.execute("PRAGMA quick_check").fetchall() != [("ok",)]:
            raise _not_a_backup(path, "sqlite")
        names = [
            name
            for (name,) in backup.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
            )
        ]
        if MIGRATIONS_TABLE not in names:
            raise _not_a_backup(path, "sqlite")
        rows = {}
        for name in names:
            quoted = '"{}"'.format(name.replace('"', '""'))
            rows[name] = backup.execute(f"SELECT COUNT(*) FROM {quoted}").fetchone()[0]
        return rows
    except sqlite3.DatabaseError as error:
        raise _not_a_backup(path, "sqlite") from error
    finally:
        backup.close()


def _archive_tables(path):
    """The tables in a ``pg_dump`` custom archive, once pg_restore can read its contents."""
    path = Path(path)
    if _head(path)[: len(PG_CUSTOM_MAGIC)] != PG_CUSTOM_MAGIC:
        raise _not_a_backup(path, "postgresql")
    result = subprocess.run(
        [_tool("pg_restore"), "--list", str(path)],
        capture_output=True,
        text=True,
        errors="replace",
        check=False,
    )
    if result.returncode != 0:
        raise _not_a_backup(path, "postgresql")
    # Lines of the contents: "<id>; <class> <oid> TABLE <schema> <name> <owner>".
    tables = set()
    for line in result.stdout.splitlines():
        parts = line.split()
        if not line.startswith(";") and len(parts) >= 6 and parts[3] == "TABLE":
            if parts[4] != "DATA":
                tables.add(parts[5])
    if MIGRATIONS_TABLE not in tables:
        raise _not_a_backup(path, "postgresql")
    return tables


def _archive_rows(path):
    """Rows per table in a ``pg_dump`` custom archive, counted in its data: one line per row.

    pg_restore writes the data as COPY sections without touching a database; a row's own line
    breaks are escaped in that format, so lines are rows.
    """
    process = subprocess.Popen(
        [_tool("pg_restore"), "--data-only", "--file=-", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    rows, table = {}, None
    for line in process.stdout:
        if table is None:
            if line.startswith(b"COPY "):
                table = line.split()[1].decode().rsplit(".", 1)[-1].strip('"')
                rows[table] = 0
        elif line == b"\\.\n":
            table = None
        else:
            rows[table] += 1
    if process.wait() != 0:
        raise _not_a_backup(path, "postgresql")
    return rows


# ── Restore ───────────────────────────────────────────────────────────────────────────────


def restore(path, settings_dict, *, force=False):
    """Replace the database's content with the backup's; a non-empty one only with ``force``."""
    path = Path(path)
    kind = engine(settings_dict)
    if not path.is_file():
        raise refusal(_("备份文件 %(path)s 不存在。"), path=path)
    # Check the file before touching the database.
    if kind == "sqlite":
        if is_in_memory(settings_dict):
            raise refusal(_("不能恢复到内存数据库。"))
        expected = _sqlite_backup_rows(path)
        tables = set(expected)
    else:
        tables = _archive_tables(path)
        expected = _archive_rows(path)

    with connected(settings_dict) as connection:
        existing = table_rows(connection)
    if existing and not force:
        raise refusal(
            _(
                "目标数据库 %(database)s 不是空的（%(tables)d 个表，%(rows)d 行）：恢复会覆盖其中的"
                "全部数据，所以没有恢复，数据库未作任何改动。确认要覆盖，请加 --force 再运行。"
            ),
            database=describe(settings_dict),
            tables=len(existing),
            rows=sum(existing.values()),
        )

    if kind == "sqlite":
        _restore_sqlite(path, settings_dict)
    else:
        _restore_postgresql(path, settings_dict, clean=bool(existing))

    with connected(settings_dict) as connection:
        rows = table_rows(connection)
        pending = pending_migrations(connection)
    # Pages and documents cached from the data replaced must not outlive it.
    cache.clear()
    missing = sorted(tables - set(rows))
    if missing:
        raise refusal(_("恢复后缺少这些表：%(tables)s"), tables=", ".join(missing))
    if expected is not None:
        differing = sorted(name for name, count in expected.items() if rows.get(name) != count)
        if differing:
            raise refusal(
                _("恢复后这些表的行数与备份不同：%(tables)s"), tables=", ".join(differing)
            )
    return Summary(
        path=path,
        size=path.stat().st_size,
        rows=rows,
        pending_migrations=pending,
        extra_tables=sorted(set(rows) - tables),
    )


def _restore_sqlite(path, settings_dict):
    source = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    target = sqlite3.connect(settings_dict["NAME"], timeout=20)
    try:
        # All pages in one step, in one transaction of the target: all or nothing.
        source.backup(target)
    except sqlite3.Error as error:
        raise refusal(_("恢复失败，数据库未作任何改动：%(error)s"), error=error) from error
    finally:
        target.close()
        source.close()


def _restore_postgresql(path, settings_dict, *, clean):
    arguments = [
        _tool("pg_restore"),
        # One transaction: a damaged file or any error leaves the database as it was.
        "--single-transaction",
        "--exit-on-error",
        # The restoring role owns what it restores (the scratch database of a drill too).
        "--no-owner",
        "--no-privileges",
        f"--dbname={settings_dict['NAME']}",
    ]
    if clean:
        arguments += ["--clean", "--if-exists"]
    try:
        _run([*arguments, str(path)], settings_dict)
    except BackupError as error:
        raise refusal(_("恢复失败，数据库未作任何改动：%(error)s"), error=error) from error


# ── PostgreSQL's tools ────────────────────────────────────────────────────────────────────


def _tool(name):
    found = shutil.which(name)
    if found is None:
        raise refusal(
            _("找不到 %(tool)s：请安装 PostgreSQL 客户端（Debian：postgresql-client）。"),
            tool=name,
        )
    return found


def libpq_environment(settings_dict):
    """The environment that points libpq's tools at the database, password included."""
    values = {
        "PGDATABASE": settings_dict.get("NAME"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
    }
    options = settings_dict.get("OPTIONS") or {}
    for option, variable in LIBPQ_OPTIONS.items():
        values[variable] = options.get(option)
    environment = dict(os.environ)
    environment.update({name: str(value) for name, value in values.items() if value})
    return environment


def _run(arguments, settings_dict):
    result = subprocess.run(
        arguments,
        env=libpq_environment(settings_dict),
        capture_output=True,
        text=True,
        errors="replace",
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(
            result.stderr.strip() or f"{Path(arguments[0]).name}: {result.returncode}"
        )
    return result
