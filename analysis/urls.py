from django.urls import path

from reporting import converters  # noqa: F401 (registers the path converters)

from . import views

app_name = "analysis"
urlpatterns = [
    path("analysis/", views.DashboardView.as_view(), name="dashboard"),
    path("analysis/units/<unit:code>/", views.UnitView.as_view(), name="unit"),
    path(
        "analysis/<period:period>/<kind:kind>/", views.ComparisonView.as_view(), name="comparison"
    ),
]
