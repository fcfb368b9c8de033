"""The chain that makes the audit trail tamper-evident.

Each event's hash is SHA-256 over the hash of the event before it and the event's own content
(canonical JSON: keys sorted, times in UTC to the microsecond). Changing a row breaks its own
hash; removing or inserting one breaks the link of the row after it; removing the newest rows
is seen against the head (``AuditHead.last_id``/``last_hash``).
"""

import datetime
import hashlib
import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder

# The fields hashed, in this order; ``hash`` itself is not one of them.
HASHED = (
    "at",
    "user_id",
    "username",
    "roles",
    "address",
    "event",
    "object_type",
    "object_id",
    "object_label",
    "result",
    "details",
)


def json_value(value):
    """``value`` as it comes back from a JSON column: Decimal and dates as text, tuples as lists
    (what is stored is what was hashed)."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def _utc(moment):
    return moment.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def event_hash(previous_hash, event):
    content = {name: getattr(event, name) for name in HASHED}
    content["at"] = _utc(event.at)
    content["previous_hash"] = previous_hash
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Break:
    """Where the chain is broken: the row (by id) and how.

    ``changed``: the row's content no longer hashes to its hash. ``unlinked``: the row does not
    follow the row before it (``previous_id``; None for the oldest kept): a row was removed
    between them, or this one inserted. ``truncated``: the trail ends at ``previous_id``, its
    head at ``event_id`` (the newest rows were removed, or a row appended after the head).
    """

    kind: str
    event_id: int | None
    previous_id: int | None = None


def first_break(events, head):
    """The first place where ``events`` (oldest first) do not form the chain ``head`` ends;
    None if they do. Reads the rows one by one (an iterator, any number of rows)."""
    previous_hash = head.anchor_hash
    previous_id = None
    for event in events:
        if event.previous_hash != previous_hash:
            return Break("unlinked", event.pk, previous_id)
        if event_hash(event.previous_hash, event) != event.hash:
            return Break("changed", event.pk, previous_id)
        previous_hash, previous_id = event.hash, event.pk
    if previous_id != head.last_id or previous_hash != head.last_hash:
        return Break("truncated", head.last_id, previous_id)
    return None
