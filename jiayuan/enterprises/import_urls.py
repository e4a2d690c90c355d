from django.urls import path

from jiayuan.enterprises.import_views import EnterpriseImportView, EnterpriseTemplateView

app_name = "enterprises_import"
urlpatterns = [
    path("", EnterpriseImportView.as_view(), name="upload"),
    path("template/", EnterpriseTemplateView.as_view(), name="template"),
]
