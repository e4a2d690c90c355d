from django.urls import path

from jiayuan.governance import views

app_name = "governance"
urlpatterns = [
    path("", views.OwnerBodyListView.as_view(), name="list"),
]
