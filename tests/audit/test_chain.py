"""The audit trail is append-only and tamper-evident: the ORM refuses to change or delete a row,
PostgreSQL's trigger refuses raw SQL too, and ``audit_verify`` names the first row changed,
removed or inserted; ``audit_prune`` removes only rows past the retention, keeping the chain."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from audit.models import AuditEvent, AuditHead, AuditTrailIsAppendOnly, Event, Result
from audit.services import record, verify

pytestmark = pytest.mark.django_db
TABLE = AuditEvent._meta.db_table


@pytest.fixture
def trail(db):
    """Five events, oldest first."""
    return [
        record(Event.LOGIN_FAILED, username=f"user{n}", result=Result.FAILED, details={"n": n})
        for n in range(5)
    ]


def raw(sql, *params):
    """SQL as somebody with the database's password would type it (on PostgreSQL, past the
    trigger, as the table's owner could by disabling it)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # the table's owner may switch its trigger off
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_event_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER audit_event_append_only")


def verdict():
    try:
        call_command("audit_verify")
    except CommandError as error:
        return str(error)
    return "ok"


def test_an_untouched_trail_verifies(trail, capsys):
    assert verdict() == "ok"
    out = capsys.readouterr().out
    assert "审计记录完好：5 行" in out and f"链头第 {trail[-1].pk} 行" in out
    rows, broken, _head = verify()
    assert (rows, broken) == (5, None)


def test_each_row_chains_to_the_one_before(trail):
    assert trail[0].previous_hash == AuditHead.GENESIS
    for before, after in zip(trail, trail[1:], strict=False):
        assert after.previous_hash == before.hash
    assert AuditHead.objects.get().last_hash == trail[-1].hash


def test_a_changed_row_is_named(trail):
    raw(f"UPDATE {TABLE} SET username = %s WHERE id = %s", "nobody", trail[2].pk)
    assert verdict() == (
        f"第 {trail[2].pk} 行已被改动：其内容与其哈希值不符。"
        f"\nRow {trail[2].pk} was changed: its content does not match its hash."
    )


def test_a_deleted_row_is_named_by_the_row_after_it(trail):
    raw(f"DELETE FROM {TABLE} WHERE id = %s", trail[2].pk)
    assert verdict().startswith(f"第 {trail[3].pk} 行与前一行（{trail[1].pk}）衔接不上")


def test_an_inserted_row_is_named(trail):
    forged = trail[2]
    raw(
        f"INSERT INTO {TABLE} (at, user_id, username, roles, address, event, object_type,"
        " object_id, object_label, result, details, previous_hash, hash)"
        " SELECT at, user_id, 'forged', roles, address, event, object_type, object_id,"
        f" object_label, result, details, previous_hash, hash FROM {TABLE} WHERE id = %s",
        forged.pk,
    )
    inserted = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    # A copy of row 3 appended: it claims to follow row 2, not the newest row.
    assert verdict().startswith(f"第 {inserted} 行与前一行（{trail[-1].pk}）衔接不上")


def test_the_newest_rows_removed_are_seen_against_the_head(trail):
    raw(f"DELETE FROM {TABLE} WHERE id >= %s", trail[3].pk)
    assert verdict().startswith(f"审计记录止于第 {trail[2].pk} 行，而链头记在第 {trail[4].pk} 行")


def test_the_orm_refuses_to_change_or_delete_an_event(trail):
    event = AuditEvent.objects.get(pk=trail[0].pk)
    event.username = "nobody"
    with pytest.raises(AuditTrailIsAppendOnly):
        event.save()
    with pytest.raises(AuditTrailIsAppendOnly):
        event.delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(username="nobody")
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.all().delete()
    assert verdict() == "ok"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_raw_update_and_delete(trail):
    for sql in (f"UPDATE {TABLE} SET username = 'x'", f"DELETE FROM {TABLE}"):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql)
    assert AuditEvent.objects.count() == 5 and verdict() == "ok"


def test_pruning_refuses_rows_younger_than_the_retention(trail, settings):
    assert settings.AUDIT_RETENTION_DAYS == 180
    with pytest.raises(CommandError, match="审计记录须保存至少 180 天"):
        call_command("audit_prune", "--before", timezone.localdate().isoformat())
    assert AuditEvent.objects.count() == 5


def test_pruning_old_rows_keeps_the_rest_verifiable(db, time_machine):
    now = timezone.now()
    time_machine.move_to(now - datetime.timedelta(days=400), tick=False)
    old = [record(Event.LOGOUT, username=f"old{n}") for n in range(3)]
    time_machine.move_to(now - datetime.timedelta(days=10), tick=False)
    kept = [record(Event.LOGOUT, username=f"new{n}") for n in range(2)]
    time_machine.move_to(now, tick=False)
    with pytest.raises(CommandError):  # not even a day inside the retention
        call_command(
            "audit_prune",
            "--before",
            timezone.localdate(now - datetime.timedelta(days=179)).isoformat(),
        )
    call_command("audit_prune")  # up to the retention's start
    assert not AuditEvent.objects.filter(pk__in=[event.pk for event in old]).exists()
    assert AuditEvent.objects.filter(pk__in=[event.pk for event in kept]).count() == 2
    pruned = AuditEvent.objects.get(event=Event.AUDIT_PRUNED)
    assert pruned.details["removed"] == 3
    assert AuditHead.objects.get().anchor_hash == old[-1].hash
    assert verdict() == "ok"
    # What is left is still guarded: a row removed after the pruning is found.
    raw(f"DELETE FROM {TABLE} WHERE id = %s", kept[0].pk)
    assert "衔接不上" in verdict()
