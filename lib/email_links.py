"""Absolute links to the portal's pages, for e-mail.

In production every link starts with ``DJANGO_PORTAL_BASE_URL``, the address users reach
(whatever host and port the server itself sees behind its proxy). In a local run (DEBUG) an
e-mail sent while answering a request links to the address that request came to, so that
``make run PORT=8101`` sends links to port 8101; one sent by a command, with no request,
uses ``DJANGO_PORTAL_BASE_URL`` there too.

The request's host is trusted only as Django checks it: ``get_host()`` refuses a host that
``ALLOWED_HOSTS`` does not list (such a request is answered 400 before any view runs), and
a host it refuses here is never put in a link.
"""

from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import DisallowedHost

_request = ContextVar("portal_request", default=None)


class RequestAddressMiddleware:
    """Remembers the request being answered, for the links of e-mail sent while answering it
    (notifications are sent when the transaction commits, inside the view)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def portal_url(path):
    """The absolute address of ``path`` (``/periods/2021/410300/``) for a link in an e-mail."""
    request = _request.get()
    if settings.DEBUG and request is not None:
        try:
            return request.build_absolute_uri(path)
        except DisallowedHost:
            pass
    return settings.PORTAL_BASE_URL.rstrip("/") + path
