from django.urls import path

from jiayuan.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.LedgerView.as_view(), name="ledger"),
    path("export/", views.LedgerExportView.as_view(), name="export"),
    path("new/", views.HotlineCaseView.as_view(), name="new"),
    path("import/", views.LedgerImportView.as_view(), name="import"),
    path("import/template/", views.LedgerTemplateView.as_view(), name="import_template"),
    path("<int:pk>/", views.CaseDetailView.as_view(), name="detail"),
    path("<int:pk>/attachments/", views.CaseAttachView.as_view(), name="attach"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.CaseAttachmentView.as_view(),
        name="attachment",
    ),
    path("<int:pk>/complainant/", views.ComplainantRevealView.as_view(), name="complainant"),
    path("<int:pk>/<slug:name>/", views.CaseTransitionView.as_view(), name="transition"),
]
