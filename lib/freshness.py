"""The version of the data that cached pages and lookups are keyed on.

A token in the shared cache that moves whenever one of the models cached pages read is saved
or deleted: ``portal.freshness`` lists those models and connects the signals, and a test holds
every cached computation to that list. A token, not a counter: if the cache drops it, a new one
starts, and nothing cached before can match again. Today's date is part of the version too:
whether a period is still open depends on it.
"""

import uuid

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

KEY = "portal:data-version"


def _new_token():
    cache.set(KEY, uuid.uuid4().hex, None)


def bump(**kwargs):
    """A signal receiver: data that cached pages read changed. The token moves now, and again
    once the change is committed: a page read in between (the old data under the first new
    token) is never asked for again."""
    _new_token()
    transaction.on_commit(_new_token)


def bump_unless_a_login(sender, instance=None, update_fields=None, **kwargs):
    """A user saved: a new name moves the version; the time of a log-in does not."""
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    bump()


def data_version():
    """The version to key cached data on (one read of the cache, no query)."""
    token = cache.get_or_set(KEY, lambda: uuid.uuid4().hex, None)
    return (token, timezone.localdate().isoformat())
