from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from jiayuan.core.api import api_not_found

api_v1 = [
    path("", include("jiayuan.accounts.api.urls")),
    path("", include("jiayuan.regions.api.urls")),
    path("", include("jiayuan.estates.api.urls")),
    path("", include("jiayuan.enterprises.api.urls")),
    path("", include("jiayuan.governance.api.urls")),
    path("", include("jiayuan.cases.api.urls")),
    path("", include("jiayuan.campaigns.api.urls")),
]

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    re_path(r"^api/", api_not_found, name="api-not-found"),
    path("admin/", admin.site.urls),
    path("accounts/", include("jiayuan.accounts.urls")),
    path("regions/", include("jiayuan.estates.region_urls")),
    path("estates/import/", include("jiayuan.estates.import_urls")),
    path("estates/", include("jiayuan.estates.urls")),
    path("enterprises/import/", include("jiayuan.enterprises.import_urls")),
    path("enterprises/", include("jiayuan.enterprises.urls")),
    path("imports/", include("jiayuan.imports.urls")),
    path("governance/", include("jiayuan.governance.urls")),
    path("cases/", include("jiayuan.cases.urls")),
    path("campaigns/", include("jiayuan.campaigns.urls")),
    path("notifications/", include("jiayuan.notifications.urls")),
    path("audit/", include("jiayuan.audit.urls")),
    path("open311/v2/", include("jiayuan.open311.urls")),
    path("report/", include("jiayuan.intake.urls")),
    path("", include("jiayuan.dashboard.urls")),
]

handler404 = "jiayuan.core.views.not_found"
handler500 = "jiayuan.core.api.api_server_error"

# MEDIA is never served from a public URL, not even with DEBUG: its only files are case attachments,
# served by the case's scoped download view (cases:attachment).
