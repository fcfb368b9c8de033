"""The portal's password rules: Django's validators (one reworded so it reads in Chinese), no
password of whitespace, none of the account's last five, and an age after which it must change."""

import datetime

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule, at least 10 characters by default.

    Django 5.2 reworded this refusal and its Chinese catalogue translates only the old
    wording, so "too short" showed in English on Chinese pages; the message is ours.
    """

    def __init__(self, min_length=10):
        super().__init__(min_length)

    def get_error_message(self):
        return ngettext(
            "密码太短：至少需要 %(min_length)d 个字符。",
            "密码太短：至少需要 %(min_length)d 个字符。",
            self.min_length,
        ) % {"min_length": self.min_length}


class NotBlankValidator:
    """Ten spaces are ten characters, and no password."""

    def validate(self, password, user=None):
        if not password.strip():
            raise ValidationError(_("密码不能全是空格。"), code="password_blank")

    def get_help_text(self):
        return _("密码不能全是空格。")


class HistoryValidator:
    """None of the account's last ``count`` passwords (its current one included)."""

    def __init__(self, count=5):
        self.count = count

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        hashes = recent_hashes(user, self.count)
        if any(check_password(password, stored) for stored in hashes):
            raise ValidationError(
                _("不能使用最近用过的 %(count)d 个密码之一。") % {"count": self.count},
                code="password_reused",
            )

    def get_help_text(self):
        return _("不能使用最近用过的 %(count)d 个密码之一。") % {"count": self.count}


def recent_hashes(user, count):
    stored = list(user.passwords_set.values_list("password", flat=True)[:count])
    # (Validators run before the new password is set: ``user.password`` is still the current
    # one, kept here for an account whose passwords were set before they were remembered.)
    if user.password and user.password not in stored:
        stored.insert(0, user.password)
    return stored[:count]


def remember(user, *, by_owner):
    """Keep the password ``user`` was just given (its hash), and who chose it."""
    from .models import PasswordSet

    PasswordSet.objects.create(
        user=user, password=user.password, set_at=timezone.now(), by_owner=by_owner
    )


def change_due(user):
    """When ``user`` must change their password: a moment (now or past: at once), or None."""
    latest = user.passwords_set.first()
    if latest is not None and not latest.by_owner:
        return latest.set_at  # set for them by someone else: at the first log-in
    since = latest.set_at if latest is not None else user.date_joined
    return since + datetime.timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)


def must_change_now(user, now=None):
    due = change_due(user)
    return due is not None and due <= (now or timezone.now())


def reason(user):
    """Why the password must change, for the change form's message."""
    latest = user.passwords_set.first()
    if latest is not None and not latest.by_owner:
        return _("您的密码由管理员设置，请先设置一个只有您自己知道的新密码。")
    return _("您的密码已使用超过 %(days)d 天，请先修改密码。") % {
        "days": settings.PASSWORD_MAX_AGE_DAYS
    }
