from django.urls import path

from jiayuan.estates.import_views import EstateImportView, EstateTemplateView

app_name = "estates_import"
urlpatterns = [
    path("", EstateImportView.as_view(), name="upload"),
    path("template/", EstateTemplateView.as_view(), name="template"),
]
