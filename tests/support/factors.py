"""Second factors for the tests: an enrolled authenticator, its codes, recovery codes, and the
personas' sessions verified as production's are."""

import time

from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import factors


def enrol(user):
    """``user``'s confirmed authenticator (made if they have none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def code(device_or_key, at=None, step_offset=0):
    """The code an authenticator shows at ``at`` (now) moved by ``step_offset`` steps of 30 s."""
    key = device_or_key if isinstance(device_or_key, bytes) else device_or_key.bin_key
    totp = TOTP(key, step=30, t0=0, digits=6)
    totp.time = (time.time() if at is None else at) + 30 * step_offset
    return f"{totp.token():06d}"


def secret_key(text):
    """The key of an authenticator from the secret its enrolment page shows (base32)."""
    from base64 import b32decode

    secret = text.replace(" ", "").upper()
    return b32decode(secret + "=" * (-len(secret) % 8))


def recovery_code(user, token="rcvr2345"):
    """A fresh recovery code for ``user`` (their authenticator enrolled if need be)."""
    enrol(user)
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    StaticToken.objects.filter(device=device, token=token).delete()
    StaticToken.objects.create(device=device, token=token)
    return token


_force_login = Client.force_login


def force_login_verified(self, user, backend=None):
    """``Client.force_login`` as production logs in: both factors done. Tests of the log-in
    itself post its forms instead; ``force_login_password_only`` is the session without."""
    _force_login(self, user, backend)
    session = self.session
    session[factors.VERIFIED] = "totp"
    session.save()


def force_login_password_only(client, user):
    _force_login(client, user)


def verify_forced_log_ins():
    Client.force_login = force_login_verified
