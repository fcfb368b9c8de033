"""The portal's password rules: Django's validators, one of them reworded so it reads in Chinese."""

from django.contrib.auth import password_validation
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
