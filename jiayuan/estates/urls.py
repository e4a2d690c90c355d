from django.urls import path

from jiayuan.estates import registry_views, views

app_name = "estates"
urlpatterns = [
    path("", views.EstateListView.as_view(), name="list"),
    path("<int:pk>/", views.EstateDetailView.as_view(), name="detail"),
    path("<int:pk>/owners/<int:owner_pk>/reveal/", views.OwnerRevealView.as_view(), name="owner_reveal"),
    # The registry: units, owners and ownerships (estates/registry_views.py).
    path("<int:pk>/units/new/", registry_views.UnitCreateView.as_view(), name="unit_new"),
    path("units/<int:pk>/edit/", registry_views.UnitUpdateView.as_view(), name="unit_edit"),
    path("units/<int:pk>/owners/new/", registry_views.OwnershipRegisterView.as_view(), name="ownership_new"),
    path("ownerships/<int:pk>/edit/", registry_views.OwnershipUpdateView.as_view(), name="ownership_edit"),
    path("ownerships/<int:pk>/end/", registry_views.OwnershipEndView.as_view(), name="ownership_end"),
    path("owners/<int:pk>/edit/", registry_views.OwnerUpdateView.as_view(), name="owner_edit"),
]
