from django.urls import path

from cities import converters as _units  # noqa: F401 (registers the path converters)
from periods import converters as _periods  # noqa: F401
from reporting import converters as _kinds  # noqa: F401

from . import views

app_name = "analysis"
urlpatterns = [
    path("analysis/", views.DashboardView.as_view(), name="dashboard"),
    path("analysis/units/<unit:code>/", views.UnitView.as_view(), name="unit"),
    path(
        "analysis/<period:period>/<kind:kind>/", views.ComparisonView.as_view(), name="comparison"
    ),
]
