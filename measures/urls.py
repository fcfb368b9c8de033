from django.urls import path

from cities import converters as _units  # noqa: F401 (registers the path converters)
from periods import converters as _periods  # noqa: F401

from . import converters, views  # noqa: F401 (converters registers measure_type, measure_action)

app_name = "measures"
urlpatterns = [
    path("measures/imports/", views.MeasureImportView.as_view(), name="import"),
    path(
        "measures/imports/<int:pk>/confirm/",
        views.ConfirmMeasureImportView.as_view(),
        name="confirm_import",
    ),
    path(
        "measures/imports/template/<measure_type:measure_type>/",
        views.ImportTemplateView.as_view(),
        name="import_template",
    ),
    path("measures/units/<unit:code>/", views.UnitMeasuresView.as_view(), name="unit"),
    path("measures/documents/<int:pk>/", views.DocumentView.as_view(), name="document"),
    path("measures/<period:period>/", views.MatrixView.as_view(), name="matrix"),
    path("measures/<period:period>/<unit:code>/", views.MeasureReportView.as_view(), name="report"),
    path(
        "measures/<period:period>/<unit:code>/<measure_action:action>/",
        views.TransitionView.as_view(),
        name="transition",
    ),
    path(
        "measures/<period:period>/<unit:code>/<measure_type:measure_type>/new/",
        views.ItemFormView.as_view(),
        name="add_item",
    ),
    path(
        "measures/<period:period>/<unit:code>/<measure_type:measure_type>/<int:pk>/",
        views.ItemFormView.as_view(),
        name="edit_item",
    ),
    path(
        "measures/<period:period>/<unit:code>/<measure_type:measure_type>/<int:pk>/delete/",
        views.ItemDeleteView.as_view(),
        name="delete_item",
    ),
]
