"""A backup is only as good as its restore: back up the demo, restore it into a new database
and find every row of every table again, on SQLite and on PostgreSQL alike.

pg_dump sees only committed rows, so these tests commit (a transactional database, emptied
after each test). Under the test suite SQLite lives in memory; its backup reads it there.
"""

import io
import sqlite3
import uuid
from urllib.parse import quote

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from backups import services

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def run(command, *arguments):
    out = io.StringIO()
    call_command(command, *map(str, arguments), stdout=out)
    return out.getvalue()


@pytest.fixture
def scratch_url(tmp_path):
    """The URL of a new, empty database of the suite's engine, removed afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
        return
    name = f"restore_drill_{uuid.uuid4().hex[:12]}"
    settings = connection.settings_dict
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
    user = quote(settings["USER"] or "", safe="")
    password = f":{quote(settings['PASSWORD'], safe='')}" if settings["PASSWORD"] else ""
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    try:
        yield f"postgres://{user}{password}@{settings['HOST']}{port}/{name}"
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)} WITH (FORCE)"
            )


def every_row(db):
    """Every table's full rows, ordered by primary key."""
    quote_name = db.ops.quote_name
    tables = {}
    with db.cursor() as cursor:
        for table in db.introspection.table_names(cursor):
            key = db.introspection.get_primary_key_columns(cursor, table) or [
                column.name for column in db.introspection.get_table_description(cursor, table)
            ]
            order = ", ".join(map(quote_name, key))
            cursor.execute(f"SELECT * FROM {quote_name(table)} ORDER BY {order}")
            tables[table] = [
                tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                for row in cursor.fetchall()
            ]
    return tables


def rows_of(url):
    with services.connected(services.database_settings(url=url)) as db:
        return every_row(db)


def change_a_row(url):
    with services.connected(services.database_settings(url=url)) as db, db.cursor() as cursor:
        cursor.execute(
            "UPDATE auth_group SET name = name || '（改）' WHERE id = (SELECT MIN(id) FROM auth_group)"
        )


@pytest.fixture
def demo():
    """The local demo, committed, with binary contents (an archived PDF, a pending upload)."""
    from circulars.models import Circular
    from periods.models import ReportingPeriod
    from uploads.models import PendingImport

    with override_settings(DEBUG=True):
        call_command("loaddemo", stdout=io.StringIO())
    every_byte = bytes(range(256)) * 8
    Circular.objects.filter(pk=Circular.objects.order_by("pk").first().pk).update(
        archived_pdf=b"%PDF-1.7\n" + every_byte
    )
    PendingImport.objects.create(
        user=apps.get_model("auth", "User").objects.order_by("pk").first(),
        filename="2020年专利质押.xlsx",
        content=every_byte,
        period=ReportingPeriod.objects.order_by("pk").first(),
        kind="patent",
        versions={"1": 0},
        target=apps.get_model("contenttypes", "ContentType").objects.get_for_model(
            apps.get_model("reporting", "PledgeFigures")
        ),
    )


@pytest.fixture
def backup_file(tmp_path):
    """A backup of what the migrations load (units, groups, permissions): quicker than the demo."""
    path = tmp_path / "portal.backup"
    run("backup", path)
    return path


def chinese(refused):
    """A refusal's Chinese line (the English one follows it)."""
    return str(refused.value).split("\n")[0]


def test_a_backup_of_the_demo_restores_every_row_of_every_table(demo, tmp_path, scratch_url):
    path = tmp_path / "portal.backup"
    source = every_row(connection)
    tables = len(source)
    rows = sum(len(table_rows) for table_rows in source.values())

    out = run("backup", path)
    assert out.startswith(f"已把 {services.describe(connection.settings_dict)} 备份到 {path}：")
    assert f"，{tables} 个表，{rows} 行。\n" in out
    assert out.endswith(f", {tables} tables, {rows} rows.\n")  # then in English

    if connection.vendor == "postgresql":  # the restore compares these with what it restored
        assert services._archive_rows(path) == {t: len(r) for t, r in source.items()}
    cache.set("fragment:a-page", "rendered from the data the restore replaces")
    out = run("restore", path, "--database-url", scratch_url)
    assert cache.get("fragment:a-page") is None  # nothing cached outlives the data it showed
    restored = rows_of(scratch_url)
    assert restored == source
    # Every table of every installed app, and the demo's rows in them.
    assert {model._meta.db_table for model in apps.get_models()} <= set(restored)
    assert len(restored["reporting_pledgereport"]) > 0 and len(restored["auth_user"]) > 0
    assert "uploads_pendingimport" in restored and restored["uploads_pendingimport"]
    assert f"：{tables} 个表，{rows} 行。\n" in out
    assert f"  {'reporting_pledgereport':<50} {len(source['reporting_pledgereport']):>10}\n" in out
    assert out.endswith(
        "核对通过：备份中的每个表都已恢复，各表行数如上。\n"
        "Check passed: every table in the backup was restored; rows per table above.\n"
    )


def test_a_backup_does_not_overwrite_a_file_without_force(backup_file):
    backup_file.write_bytes(b"yesterday's backup")
    with pytest.raises(CommandError) as refused:
        run("backup", backup_file)
    assert chinese(refused) == f"文件 {backup_file} 已存在，没有覆盖。要覆盖它，请加 --force。"
    assert str(refused.value).split("\n")[1] == (
        f"The file {backup_file} exists and was not overwritten. To overwrite it, add --force."
    )
    assert backup_file.read_bytes() == b"yesterday's backup"
    assert [path.name for path in backup_file.parent.iterdir()] == [backup_file.name]

    run("backup", backup_file, "--force")
    assert backup_file.read_bytes() != b"yesterday's backup"
    assert [path.name for path in backup_file.parent.iterdir()] == [backup_file.name]


def test_a_restore_into_a_database_that_is_not_empty_is_refused_and_changes_nothing(
    backup_file, scratch_url
):
    run("restore", backup_file, "--database-url", scratch_url)
    source = rows_of(scratch_url)  # the backup's rows
    change_a_row(scratch_url)
    changed = rows_of(scratch_url)
    assert changed != source

    with pytest.raises(CommandError) as refused:
        run("restore", backup_file, "--database-url", scratch_url)
    tables, rows = len(changed), sum(map(len, changed.values()))
    database = services.describe(services.database_settings(url=scratch_url))
    assert chinese(refused) == (
        f"目标数据库 {database} 不是空的（{tables} 个表，{rows} 行）：恢复会覆盖其中的全部数据，"
        "所以没有恢复，数据库未作任何改动。确认要覆盖，请加 --force 再运行。"
    )
    assert rows_of(scratch_url) == changed

    run("restore", backup_file, "--database-url", scratch_url, "--force")
    assert rows_of(scratch_url) == source


@pytest.mark.parametrize("damage", ["text", "truncated", "overwritten"])
def test_a_file_that_is_not_a_whole_backup_is_refused_and_changes_nothing(
    backup_file, scratch_url, damage
):
    run("restore", backup_file, "--database-url", scratch_url)
    change_a_row(scratch_url)
    before = rows_of(scratch_url)
    content = backup_file.read_bytes()
    bad = backup_file.with_name("bad.backup")
    if damage == "text":
        bad.write_text("这不是备份 · not a backup\n", encoding="utf-8")
    elif damage == "truncated":
        bad.write_bytes(content[: len(content) * 2 // 3])
    else:
        middle = len(content) // 2
        bad.write_bytes(content[:middle] + b"\xff" * 4096 + content[middle + 4096 :])

    with pytest.raises(CommandError) as refused:
        run("restore", bad, "--database-url", scratch_url, "--force")
    message = chinese(refused)
    not_a_backup = f"{bad} 不是本系统的备份文件，或已损坏：没有恢复，数据库未作任何改动。"
    if connection.vendor == "sqlite":
        assert message == not_a_backup
    else:
        # pg_restore reads a table's data only as it restores it, all in one transaction.
        assert message == not_a_backup or message.startswith("恢复失败，数据库未作任何改动：")
    assert rows_of(scratch_url) == before


def test_a_backup_of_the_other_engine_is_refused_by_name(tmp_path, scratch_url):
    other = tmp_path / "other.backup"
    if connection.vendor == "sqlite":
        other.write_bytes(b"PGDMP\x01\x0e\x00" + bytes(100))
        expected = f"{other} 是 PostgreSQL 的备份，不能恢复到 SQLite 数据库。"
    else:
        sqlite3.connect(other).execute(
            "CREATE TABLE django_migrations (id integer)"
        ).connection.close()
        expected = f"{other} 是 SQLite 的备份，不能恢复到 PostgreSQL 数据库。"
    with pytest.raises(CommandError) as refused:
        run("restore", other, "--database-url", scratch_url)
    assert chinese(refused) == expected


@pytest.mark.postgresql("pg_restore's single transaction")
def test_a_restore_that_fails_half_way_changes_nothing(backup_file, scratch_url):
    run("restore", backup_file, "--database-url", scratch_url)
    with services.connected(services.database_settings(url=scratch_url)) as db:
        with db.cursor() as cursor:
            # Not in the backup and pointing at one of its tables: dropping that table fails.
            cursor.execute("CREATE TABLE local_note (user_id integer REFERENCES auth_user (id))")
    change_a_row(scratch_url)
    before = rows_of(scratch_url)

    with pytest.raises(CommandError) as refused:
        run("restore", backup_file, "--database-url", scratch_url, "--force")
    assert chinese(refused).startswith("恢复失败，数据库未作任何改动：")
    assert "auth_user" in chinese(refused)
    assert rows_of(scratch_url) == before
