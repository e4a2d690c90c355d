from django.urls import path

from jiayuan.audit import views

app_name = "audit"
urlpatterns = [
    path("verifications/", views.VerificationListView.as_view(), name="verifications"),
]
