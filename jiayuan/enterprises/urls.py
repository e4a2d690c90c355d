from django.urls import path

from jiayuan.enterprises import views

app_name = "enterprises"
urlpatterns = [
    path("", views.EnterpriseListView.as_view(), name="list"),
    path("<int:pk>/", views.EnterpriseDetailView.as_view(), name="detail"),
]
