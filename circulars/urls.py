from django.urls import path

from periods import converters as _periods  # noqa: F401 (registers the path converters)
from reporting import converters as _kinds  # noqa: F401

from . import converters as _fmt  # noqa: F401 (registers the fmt converter)
from . import views

app_name = "circulars"
urlpatterns = [
    path("circulars/", views.CircularListView.as_view(), name="list"),
    path("circulars/new/", views.CircularEditView.as_view(), name="create"),
    path("circulars/practices/", views.PracticeExchangeView.as_view(), name="practice_exchange"),
    path("circulars/<int:pk>/", views.CircularDetailView.as_view(), name="detail"),
    path("circulars/<int:pk>/edit/", views.CircularEditView.as_view(), name="edit"),
    path("circulars/<int:pk>/redraft/", views.RedraftView.as_view(), name="redraft"),
    path("circulars/<int:pk>/issue/", views.IssueView.as_view(), name="issue"),
    path("circulars/<int:pk>/withdraw/", views.WithdrawView.as_view(), name="withdraw"),
    path("circulars/<int:pk>/copy/", views.CopyView.as_view(), name="copy"),
    path("circulars/<int:pk>/file.<fmt:fmt>", views.CircularFileView.as_view(), name="file"),
    path(
        "reports/<period:period>/<kind:kind>.pdf",
        views.AttachmentPdfView.as_view(),
        name="attachment_pdf",
    ),
]
