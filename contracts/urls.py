from django.urls import path

from cities import converters as _units  # noqa: F401 (registers the path converters)
from periods import converters as _periods  # noqa: F401

from . import views

app_name = "contracts"
urlpatterns = [
    path("contracts/import/", views.ContractImportView.as_view(), name="import"),
    path(
        "contracts/import/<int:pk>/confirm/",
        views.ConfirmContractImportView.as_view(),
        name="confirm_import",
    ),
    path(
        "contracts/template/<period:period>/<unit:code>.xlsx",
        views.TemplateView.as_view(),
        name="template",
    ),
    path("contracts/template/", views.TemplateChoiceView.as_view(), name="template_choice"),
    path(
        "periods/<period:period>/<unit:code>/contracts/",
        views.ReportContractsView.as_view(),
        name="report_contracts",
    ),
    path(
        "contracts/batches/<int:pk>/withdraw/",
        views.WithdrawBatchView.as_view(),
        name="withdraw_batch",
    ),
    path("reports/<period:period>/banks/", views.BankRankingView.as_view(), name="banks"),
]
