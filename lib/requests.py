"""The request being answered, for code it calls that is not handed it: the links of an e-mail
sent while answering (``lib.email_links``), who did what and from where in the audit trail."""

from contextvars import ContextVar

_request = ContextVar("portal_request", default=None)


def current_request():
    """The request this thread (or task) is answering; None in a command."""
    return _request.get()


class CurrentRequestMiddleware:
    """Remembers the request while it is answered (notifications are sent when the
    transaction commits, inside the view; the audit trail is written there too)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)
