"""Lock-out after repeated failed log-ins, on top of django-axes.

Two limits count recent failures (axes keeps a count per user name, address and browser, which
grows while each failure comes within a cool-off of the one before, and lapses after it):
- a user name from one address (``AXES_FAILURE_LIMIT``, 5): guessing one colleague's password;
- an address across all user names (``AXES_ADDRESS_FAILURE_LIMIT``, 20): trying one password on
  many accounts. Offices share one address behind NAT, so this limit is higher.
A lock lasts its cool-off from the failure that set it: attempts while locked are not counted
(``AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT`` off), so nobody can keep a colleague out by
trying again every few minutes.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.timesince import timeuntil


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler with the address limit scaled onto the user-name limit.

    axes compares one number with ``AXES_FAILURE_LIMIT``; an address reaching its own limit
    must reach that number too, hence the scaling (floor(n * L / A) >= L exactly when n >= A).
    """

    def get_failures(self, request, credentials=None):
        by_user, by_address = (
            _failures(attempts) for attempts in self.get_user_attempts(request, credentials)
        )
        limit = settings.AXES_FAILURE_LIMIT
        return max(by_user, by_address * limit // settings.AXES_ADDRESS_FAILURE_LIMIT)

    def reset_user_attempts(self, request, credentials=None):
        """A log-in clears its own user name's failures, not those of everyone at its address."""
        by_user = self.filter_user_attempts(request, credentials)[0]
        count, _kinds = by_user.delete()
        return count


def _failures(attempts):
    return sum(attempts.values_list("failures_since_start", flat=True))


def unlocks_at(attempts, limit, cool_off):
    """When the failures still counted fall below ``limit``: the oldest ones expire first."""
    counted = 0
    for attempt_time, failures in attempts.order_by("-attempt_time").values_list(
        "attempt_time", "failures_since_start"
    ):
        counted += failures
        if counted >= limit:
            return attempt_time + cool_off
    return None


def _moment(value):
    """A time of today as 16:35; of another day with its date (a lock set at 23:50 ends tomorrow)."""
    clock = formats.time_format(value, "H:i")
    if value.date() == timezone.localdate():
        return clock
    return f"{formats.date_format(value, 'MONTH_DAY_FORMAT')} {clock}"


def locked_out(request, original_response=None, credentials=None):
    """The page a locked-out log-in gets: which lock, for how long, until when (local time)."""
    cool_off = get_cool_off(request)
    now = timezone.now()
    since = now - cool_off
    address = request.axes_ip_address
    username = get_client_username(request, credentials)
    recent = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since)
    ends = [
        unlocks_at(recent.filter(username=username), settings.AXES_FAILURE_LIMIT, cool_off),
        unlocks_at(recent, settings.AXES_ADDRESS_FAILURE_LIMIT, cool_off),
    ]
    by_address = ends[1] is not None and (ends[0] is None or ends[1] > ends[0])
    until = max((end for end in ends if end), default=now + cool_off)
    context = {
        "by_address": by_address,
        "failure_limit": (
            settings.AXES_ADDRESS_FAILURE_LIMIT if by_address else settings.AXES_FAILURE_LIMIT
        ),
        # Django's own words for a duration ("30 分钟", "1 小时，30 分钟"), plain-spaced like the page.
        "cool_off": timeuntil(now + cool_off, now, depth=2).replace("\xa0", " "),
        "until": _moment(timezone.localtime(until)),
        "username": username or "",
        "local_login": settings.LOCAL_LOGIN,
    }
    return render(request, "registration/locked_out.html", context, status=429)
