"""The second factor, and the log-in in two steps.

A log-in whose user has a second factor (a TOTP authenticator, RFC 6238, through django-otp), or
whose role must have one (``OTP_REQUIRED_ROLES``), does not log in at the password: the session
only remembers, for a few minutes, whose password (or CAS ticket) was right. Until the code is
right the visitor is anonymous, so no page of the portal or the admin can be reached between
the two steps. Wrong codes count against the same lock-out as wrong passwords (django-axes),
and a log-in clears that count only once both steps are done.

A session of a user who must have a second factor carries how it was verified (``VERIFIED``);
``SessionLimitsMiddleware`` ends any session that does not (a role granted during a session,
a second factor reset, a log-in by another route).
"""

import re
import time
from base64 import b32encode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import Event
from audit.services import record

from .roles import (
    ADMINISTRATOR_GROUP,
    AUDITOR_GROUP,
    REVIEWER_GROUP,
    SECURITY_GROUP,
    SUBMITTER_GROUP,
    group_names,
)

User = get_user_model()

PENDING = "portal_pending_login"
VERIFIED = "portal_second_factor"
# A logged-in user enrolling by choice: the authenticator being enrolled, kept across reloads.
ENROLLING = "portal_enrolment_device"
# The recovery codes to show once, and where to go after.
RECOVERY_CODES_TO_SHOW = "portal_recovery_codes"
# Minutes between the password (or ticket) and the code before the first step must be redone.
PENDING_SECONDS = 5 * 60
RECOVERY_CODES = 10
ROLE_GROUPS = {
    "submitter": SUBMITTER_GROUP,
    "reviewer": REVIEWER_GROUP,
    "administrator": ADMINISTRATOR_GROUP,
    "security": SECURITY_GROUP,
    "auditor": AUDITOR_GROUP,
}


def required(user):
    """Whether ``user``'s roles (``OTP_REQUIRED_ROLES``) call for a second factor."""
    roles = settings.OTP_REQUIRED_ROLES
    if user.is_superuser and "superuser" in roles:
        return True
    groups = group_names(user)
    return any(ROLE_GROUPS[role] in groups for role in roles if role in ROLE_GROUPS)


def authenticator(user):
    """``user``'s confirmed TOTP device, or None."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def enrolled(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def next_step(user):
    """After the first factor: "code", "enrol", or None (the log-in is complete)."""
    if enrolled(user):
        return "code"
    if required(user):
        return "enrol"
    return None


# ── The pending log-in ────────────────────────────────────────────────────────────────


def begin(request, user, via, **extra):
    """The first factor was right: remember whose, for ``PENDING_SECONDS``."""
    request.session.cycle_key()
    request.session[PENDING] = {
        "user": user.pk,
        "backend": user.backend,
        "at": int(time.time()),
        "via": via,
        **extra,
    }


def pending(request):
    """The pending log-in's (user, data), or (None, None) when there is none or it lapsed."""
    data = request.session.get(PENDING)
    if not data:
        return None, None
    if time.time() - data["at"] > PENDING_SECONDS:
        del request.session[PENDING]
        return None, None
    user = User.objects.filter(pk=data["user"], is_active=True).first()
    if user is None:
        del request.session[PENDING]
        return None, None
    user.backend = data["backend"]
    return user, data


def abandon(request):
    request.session.pop(PENDING, None)


def complete(request, user, how):
    """Both factors are right: log in, and mark the session as verified ``how`` ("totp",
    "recovery", "cas"; None when no second factor was asked)."""
    data = request.session.pop(PENDING, None) or {}
    auth_login(request, user, backend=data.get("backend", getattr(user, "backend", None)))
    if how:
        request.session[VERIFIED] = how
    return data


def verified(session):
    return bool(session.get(VERIFIED))


# ── Codes ─────────────────────────────────────────────────────────────────────────────


def clean_code(code):
    return re.sub(r"[\s-]", "", code or "").lower()


def verify(request, user, code):
    """The kind of device ("totp", "recovery") ``code`` is right for (an authenticator's current code, or an unused recovery
    code, which is spent), or None. A code already used is refused (django-otp remembers the
    last time step of each authenticator)."""
    code = clean_code(code)
    if not code:
        return None
    if code.isdigit():
        device = authenticator(user)
        if device is not None and device.verify_token(code):
            return "totp"
        return None
    for device in StaticDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(code):
            record(
                Event.RECOVERY_CODE_USED,
                user=user,
                request=request,
                details={"left": device.token_set.count()},
            )
            return "recovery"
    return None


# ── Enrolment ─────────────────────────────────────────────────────────────────────────


def enrolment_device(user, device_id=None):
    """The unconfirmed authenticator being enrolled (kept across reloads of the page)."""
    if device_id is not None:
        device = TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first()
        if device is not None:
            return device
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def secret_text(device):
    """The secret as a person types it into an authenticator: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device):
    """The otpauth address as a QR code, drawn here as inline SVG (no service, no CDN)."""
    import segno

    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000", light="#fff")


@transaction.atomic
def confirm(request, user, device, code):
    """The first code from a new authenticator: it replaces any earlier one, and ten new
    recovery codes replace the old ones. Returns the recovery codes, or None if refused."""
    device = TOTPDevice.objects.select_for_update().filter(pk=device.pk, confirmed=False).first()
    if device is None or not device.verify_token(clean_code(code)):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = new_recovery_codes(user)
    record(Event.SECOND_FACTOR_ENROLLED, user=user, request=request)
    return codes


def new_recovery_codes(user):
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = []
    while len(codes) < RECOVERY_CODES:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def reset(user):
    """The 安全管理员 resets ``user``'s second factor: they enrol again at their next log-in,
    and their sessions end now."""
    from .sessions import end_sessions_of

    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    end_sessions_of(user)
