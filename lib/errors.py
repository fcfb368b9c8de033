"""Pages for requests the portal refuses before any view of an app runs."""

from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme


def csrf_failure(request, reason=""):
    """A form refused by the CSRF check (``CSRF_FAILURE_VIEW``): say to reload it.

    Unlike Django's page, which is rendered without the request, this one is a page of the
    portal: header, menu, language switch (and a fresh token for its own forms). The reason
    is technical and left to the log, which the middleware writes. The way back is the page
    the form was on, when the browser named it (same-origin Referer) and it is ours.
    """
    referer = request.META.get("HTTP_REFERER", "")
    ours = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    context = {"form_url": referer if referer and ours else ""}
    return render(request, "403_csrf.html", context, status=403)
