"""The portal's URLs and three that fail on purpose, for the tests of the error pages."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import include, path


def refused(request):
    raise PermissionDenied


def refused_with_a_reason(request):
    raise PermissionDenied("报表已审核通过，数据已锁定。")


def suspicious(request):
    raise SuspiciousOperation("a request the portal cannot read")


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("test-errors/refused/", refused),
    path("test-errors/refused-with-a-reason/", refused_with_a_reason),
    path("test-errors/suspicious/", suspicious),
    path("test-errors/broken/", broken),
    path("", include("config.urls")),
]
