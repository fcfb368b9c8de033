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

from django.conf import settings
from django.core.exceptions import DisallowedHost

from .requests import current_request


def portal_url(path):
    """The absolute address of ``path`` (``/periods/2021/410300/``) for a link in an e-mail."""
    request = current_request()
    if settings.DEBUG and request is not None:
        try:
            return request.build_absolute_uri(path)
        except DisallowedHost:
            pass
    return settings.PORTAL_BASE_URL.rstrip("/") + path
