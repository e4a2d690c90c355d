from django.urls import path

from jiayuan.regions import views

app_name = "regions"
urlpatterns = [
    path("", views.RegionBrowseView.as_view(), name="browse"),
    path("<int:pk>/", views.RegionDetailView.as_view(), name="detail"),
]
