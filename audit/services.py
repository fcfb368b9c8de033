"""Writing the audit trail: ``record()`` is the one way an event is written.

An event is written in the transaction of the action it records: if the audit write fails, the
action fails with it; an event recorded outside any transaction (a failed
log-in, a download) commits on its own. Writers are serialised on the chain's head, which each
locks last, after the rows of its action (the one lock order: see docs/architecture.md).
"""

import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation

from lib.client_ip import client_ip
from lib.requests import current_request

from .chain import event_hash, first_break, json_value
from .models import AuditEvent, AuditHead, Event, Result

SUPERUSER = "超级用户"


def roles_of(user):
    """The roles ``user`` holds, as the trail keeps them: group names, and 超级用户."""
    if user is None or not user.is_authenticated:
        return ""
    # Read once per user object (a request's): nobody changes their own roles (accounts).
    if not hasattr(user, "_audit_roles"):
        names = sorted(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            names.insert(0, SUPERUSER)
        user._audit_roles = ",".join(names)
    return user._audit_roles


def describe(obj):
    """(kind, id, label) of a model instance, the label in the portal's own language."""
    if obj is None:
        return "", "", ""
    with translation.override(settings.LANGUAGE_CODE):
        return obj._meta.label_lower, str(obj.pk), str(obj)[:300]


def record(
    event,
    *,
    user=None,
    username=None,
    obj=None,
    object_type="",
    object_id="",
    object_label="",
    result=Result.SUCCESS,
    details=None,
    request=None,
):
    """Write one event; return it.

    ``user`` defaults to the user of the request being answered (if any); ``username`` to
    theirs (pass it for a failed log-in, as typed). ``obj`` names the object; or name it with
    ``object_type``/``object_id``/``object_label``. The client's address and the roles held are
    taken as the request and the user show them now.
    """
    request = request if request is not None else current_request()
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    if obj is not None:
        object_type, object_id, object_label = describe(obj)
    with translation.override(settings.LANGUAGE_CODE):
        details = json_value(details or {})
        object_label = str(object_label)[:300]
    event = AuditEvent(
        user=user,
        username=(username if username is not None else getattr(user, "username", ""))[:150],
        roles=roles_of(user)[:300],
        address=(client_ip(request) or "") if request is not None else "",
        event=event,
        object_type=object_type[:100],
        object_id=str(object_id)[:100],
        object_label=object_label,
        result=result,
        details=details,
    )
    # No savepoint of its own: if the write fails, the action it records fails with it.
    with transaction.atomic(savepoint=False):
        head = AuditHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head, _created = AuditHead.objects.get_or_create(pk=1)
            head = AuditHead.objects.select_for_update().get(pk=1)
        event.at = timezone.now()
        event.previous_hash = head.last_hash
        event.hash = event_hash(event.previous_hash, event)
        event.save(force_insert=True)
        head.last_hash, head.last_id = event.hash, event.pk
        head.save(update_fields=["last_hash", "last_id"])
    return event


def verify():
    """Walk the whole trail, oldest first, in one snapshot of the database; return
    (rows read, the first ``Break`` or None, the head)."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        # One snapshot for the whole walk, while writers go on (a transaction of its own).
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        head = AuditHead.objects.filter(pk=1).first() or AuditHead()
        counted = _Counted(AuditEvent.objects.order_by("id").iterator(chunk_size=5000))
        broken = first_break(counted, head)
        return counted.count, broken, head


class _Counted:
    def __init__(self, iterable):
        self.iterable, self.count = iterable, 0

    def __iter__(self):
        for item in self.iterable:
            self.count += 1
            yield item


class PruneRefused(Exception):
    pass


def retention_cutoff(now=None):
    """The oldest moment an event must still be kept for: the retention's days ago."""
    now = now or timezone.now()
    return now - datetime.timedelta(days=settings.AUDIT_RETENTION_DAYS)


def prune(before):
    """Remove the events recorded before ``before`` (no later than the retention allows),
    keeping the rest verifiable: the head's anchor becomes the hash of the last removed row.
    The pruning itself is recorded. Returns the number of rows removed."""
    cutoff = retention_cutoff()
    if before > cutoff:
        raise PruneRefused(cutoff)
    with transaction.atomic():
        head, _created = AuditHead.objects.select_for_update().get_or_create(pk=1)
        last = AuditEvent.objects.filter(at__lt=before).order_by("-id").first()
        removed = 0
        if last is not None:
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute("SET LOCAL portal.audit_prune = 'on'")
                cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id <= %s", [last.pk])
                removed = cursor.rowcount
                if connection.vendor == "postgresql":
                    cursor.execute("SET LOCAL portal.audit_prune = 'off'")
            head.anchor_hash, head.pruned_before = last.hash, before
            head.save(update_fields=["anchor_hash", "pruned_before"])
        record(
            Event.AUDIT_PRUNED,
            object_type="audit",
            object_label=str(before),
            details={
                "before_date": before,
                "removed": removed,
                "up_to_id": last.pk if last else None,
            },
        )
    return removed
