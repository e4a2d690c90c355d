from django.urls import path

from jiayuan.estates import views

app_name = "estates"
urlpatterns = [
    path("", views.EstateListView.as_view(), name="list"),
    path("<int:pk>/", views.EstateDetailView.as_view(), name="detail"),
    path("<int:pk>/owners/<int:owner_pk>/reveal/", views.OwnerRevealView.as_view(), name="owner_reveal"),
]
