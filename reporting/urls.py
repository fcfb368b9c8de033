from django.urls import path, register_converter

from . import converters, views

register_converter(converters.PeriodSlugConverter, "period")
register_converter(converters.IPKindConverter, "kind")

app_name = "reporting"
urlpatterns = [
    path(
        "reports/<period:period>/<kind:kind>/", views.RankedTableView.as_view(), name="ranked_table"
    ),
]
