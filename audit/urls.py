from django.urls import path

from .views import TrailView

app_name = "audit"
urlpatterns = [
    path("audit/", TrailView.as_view(), name="trail"),
]
