"""The token that cached reference data and pages are keyed on.

Whatever shapes cached pages besides the reports themselves (units, periods and their
extensions, peer benchmarks, user names, the standing rules) bumps a token in the shared cache
whenever it is saved or deleted. A token, not a counter: if the cache drops it, a new one
starts, and nothing cached before can match again.
"""

import uuid

from django.core.cache import cache
from django.db import transaction

REFERENCE_KEY = "reporting:reference-version"


def _new_token():
    cache.set(REFERENCE_KEY, uuid.uuid4().hex, None)


def bump_reference_version(**kwargs):
    """A signal receiver: reference data changed. The token moves now, and again once the change
    is committed: a page read in between (the old data under the first new token) is never
    asked for again."""
    _new_token()
    transaction.on_commit(_new_token)


def bump_unless_a_login(sender, instance=None, update_fields=None, **kwargs):
    """A user saved: a new name moves the version; the time of a log-in does not."""
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    bump_reference_version()


def reference_version():
    return cache.get_or_set(REFERENCE_KEY, lambda: uuid.uuid4().hex, None)
