from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from portal.views import HomeView

admin.site.site_header = _("河南省知识产权质押融资统计报送系统")
admin.site.site_title = _("质押融资报送管理")
admin.site.index_title = _("系统管理")

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    # Browsers ask every site for /favicon.ico: it is a static file like the others, whose
    # name changes with its content in production (hence a temporary redirect, looked up late).
    path(
        "favicon.ico",
        RedirectView.as_view(url=lazy(static, str)("img/favicon.ico")),
        name="favicon",
    ),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("audit.urls")),
    path("", include("circulars.urls")),
    path("", include("contracts.urls")),
    path("", include("measures.urls")),
    path("", include("analysis.urls")),
    path("", include("reporting.urls")),
]
