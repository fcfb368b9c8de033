"""Sessions that end: after ``SESSION_IDLE_MINUTES`` without a request, ``SESSION_COOKIE_AGE``
after the log-in whatever the user does, and at once when the user's role needs a second
factor the session was not verified with (``accounts.factors``); and passwords that must change (at once when set by
someone else, after ``PASSWORD_MAX_AGE_DAYS`` in any case) before anything else is opened.

What is checked on each request is kept in the session (three numbers), so a page costs no query
for it; the password's due time is read from the database at the log-in, and again only once due.
"""

import time
from importlib import import_module

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.models import Session
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Event
from audit.services import record

from . import factors, passwords

LOGIN_AT = "portal_login_at"
SEEN_AT = "portal_seen_at"
PASSWORD_DUE = "portal_password_due"
# The last request's time is written at most once a minute (a write per page costs).
SEEN_GRANULARITY = 60
# Pages a person whose password must change may still open.
OPEN_WHILE_DUE = {
    "password_change",
    "password_change_done",
    "logout",
    "set_language",
    "favicon",
    "admin:logout",
    "admin:jsi18n",
}


def _due_time(user):
    due = passwords.change_due(user)
    return None if due is None else due.timestamp()


def started(session, user):
    """A log-in: the session's clocks start, and the password's due time is read."""
    now = int(time.time())
    session[LOGIN_AT] = now
    session[SEEN_AT] = now
    session[PASSWORD_DUE] = _due_time(user)


def end_sessions_of(user):
    """End every session ``user`` is logged in with, or half-way through logging in with (a
    right password waiting for its code), on every browser and in every worker."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for row in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        data = row.get_decoded()
        pending = data.get(factors.PENDING) or {}
        if data.get(SESSION_KEY) == str(user.pk) or pending.get("user") == user.pk:
            store(session_key=row.session_key).delete()


def expiry(session, now, user):
    """Why the session is over ("idle", "absolute", "second_factor"), or None."""
    if not factors.verified(session) and factors.required(user):
        return "second_factor"
    login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
    if login_at is None or seen_at is None:
        return None
    if now - seen_at > settings.SESSION_IDLE_MINUTES * 60:
        return "idle"
    if now - login_at > settings.SESSION_COOKIE_AGE:
        return "absolute"
    return None


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            session, now = request.session, int(time.time())
            why = expiry(session, now, user)
            if why is not None:
                return self.expire(request, user, why)
            if session.get(LOGIN_AT) is None:  # a session from before these limits
                started(session, user)
            elif now - session[SEEN_AT] >= SEEN_GRANULARITY:
                session[SEEN_AT] = now
        return self.get_response(request)

    def expire(self, request, user, why):
        idle = settings.SESSION_IDLE_MINUTES
        record(
            Event.SESSION_EXPIRED,
            user=user,
            request=request,
            details={"reason": why, "idle_minutes": idle},
        )
        request.session.flush()  # gone from the server, not only from the browser
        request.user = AnonymousUser()
        if why == "idle":
            text = _("您已 %(minutes)d 分钟没有操作，为了安全已自动退出，请重新登录。") % {
                "minutes": idle
            }
        elif why == "second_factor":
            text = _("您的账号需要两步验证，请重新登录并输入验证码。")
        else:
            text = _("登录已超过 %(hours)s 小时，为了安全已自动退出，请重新登录。") % {
                "hours": round(settings.SESSION_COOKIE_AGE / 3600, 1)
            }
        messages.warning(request, text)
        return redirect_to_login(request.get_full_path())

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated:
            return None
        due = request.session.get(PASSWORD_DUE)
        if due is None or time.time() < due:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_WHILE_DUE:
            return None
        if not passwords.must_change_now(user):  # changed since: read it again
            request.session[PASSWORD_DUE] = _due_time(user)
            return None
        messages.warning(request, passwords.reason(user))
        return redirect("password_change")
