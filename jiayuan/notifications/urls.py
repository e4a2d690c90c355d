from django.urls import path

from jiayuan.notifications import views

app_name = "notifications"
urlpatterns = [
    path("outbox/", views.OutboxView.as_view(), name="outbox"),
]
