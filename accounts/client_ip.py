"""The client address that log-in lock-out counts against."""

from django.conf import settings


def client_ip(request):
    """REMOTE_ADDR, or behind our reverse proxy the address it appended to X-Forwarded-For.

    Only the right-most entry is trusted: the ones before it are whatever the client sent.
    """
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR")
