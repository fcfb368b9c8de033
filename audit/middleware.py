"""Downloads and refused pages, recorded as they are answered.

A download is any response that hands out a file (``Content-Disposition``): ranked tables and
their CSV/XLSX/PDF, the board's, the analysis' and the matrix's exports, contracts, measure
documents, circulars, the admin's exports. A refused page is any 403. If the event cannot be
written, the file is not handed out (the error propagates: a 500).
"""

from django.utils.http import parse_header_parameters

from .models import Event, Result
from .services import record


def _filename(disposition):
    _kind, parameters = parse_header_parameters(disposition)
    return parameters.get("filename", "")


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            record(
                Event.FORBIDDEN,
                object_type="page",
                object_id=request.path[:100],
                object_label=_page_name(request),
                result=Result.REFUSED,
                details={"method": request.method, "path": request.get_full_path()[:1000]},
            )
        elif (
            response.status_code == 200
            and request.method != "HEAD"  # no file was handed out
            and response.has_header("Content-Disposition")
        ):
            record(
                Event.DOWNLOAD,
                object_type="file",
                object_id=request.path[:100],
                object_label=_filename(response["Content-Disposition"]),
                details={"path": request.get_full_path()[:1000]},
            )
        return response


def _page_name(request):
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else ""
