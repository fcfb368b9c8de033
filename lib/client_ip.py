"""The client's address, for the log-in lock-out and the logs."""

import ipaddress
import logging

from django.conf import settings


def client_ip(request):
    """REMOTE_ADDR, or behind ``TRUSTED_PROXIES`` reverse proxies the address the outermost saw.

    Each proxy appends the address it received the request from to X-Forwarded-For, so with
    N proxies the client is the N-th entry from the right. Entries further left were written
    by the client and are never believed. A request that carries fewer entries than there are
    proxies, or a malformed one, did not come through them all: its REMOTE_ADDR is used.
    """
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXIES
    if not proxies:
        return remote
    entries = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(entries) < proxies or not entries[-proxies]:
        return remote
    try:
        return str(ipaddress.ip_address(entries[-proxies]))
    except ValueError:
        return remote


class ClientAddressFilter(logging.Filter):
    """Gives every log record a ``client_ip``: the request's client, or "-" for no request."""

    def filter(self, record):
        request = getattr(record, "request", None)
        record.client_ip = (client_ip(request) if hasattr(request, "META") else None) or "-"
        return True
