from django.urls import path

from jiayuan.estates import region_views as views

# The region browser, under the regions namespace: it lists estates, so it lives above regions.
app_name = "regions"
urlpatterns = [
    path("", views.RegionBrowseView.as_view(), name="browse"),
    path("<int:pk>/", views.RegionDetailView.as_view(), name="detail"),
]
