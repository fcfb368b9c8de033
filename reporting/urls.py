from django.urls import path

from cities import converters as _units  # noqa: F401 (registers the path converters)
from periods import converters as _periods  # noqa: F401
from workflow import converters as _moves  # noqa: F401

from . import converters, views, views_imports  # noqa: F401 (converters registers the path converters)

app_name = "reporting"
urlpatterns = [
    path("imports/", views_imports.ImportView.as_view(), name="import"),
    path(
        "imports/template/<kind:kind>.xlsx",
        views_imports.FiguresTemplateView.as_view(),
        name="import_template",
    ),
    path(
        "imports/<int:pk>/confirm/",
        views_imports.ConfirmImportView.as_view(),
        name="confirm_import",
    ),
    path(
        "reports/<period:period>/<kind:kind>/", views.RankedTableView.as_view(), name="ranked_table"
    ),
    path("periods/<period:period>/board/", views.BoardView.as_view(), name="board"),
    path(
        "periods/<period:period>/board/approve/",
        views.BulkApproveView.as_view(),
        name="bulk_approve",
    ),
    path("periods/<period:period>/<unit:code>/", views.ReportView.as_view(), name="report"),
    path(
        "periods/<period:period>/<unit:code>/<review_action:action>/",
        views.TransitionView.as_view(),
        name="transition",
    ),
    path(
        "periods/<period:period>/<unit:code>/extension/",
        views.ExtensionView.as_view(),
        name="extension",
    ),
]
