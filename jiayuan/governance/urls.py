from django.urls import path

from jiayuan.governance import views

app_name = "governance"
urlpatterns = [
    path("", views.OwnerBodyListView.as_view(), name="list"),
    path(
        "estates/<int:pk>/owners-committee/new/",
        views.OwnersCommitteeRegisterView.as_view(),
        name="committee_new",
    ),
    path(
        "owners-committees/<int:pk>/edit/", views.OwnersCommitteeUpdateView.as_view(), name="committee_edit"
    ),
]
