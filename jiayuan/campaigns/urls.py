from django.urls import path

from jiayuan.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("", views.CampaignListView.as_view(), name="list"),
    path("new/", views.CampaignCreateView.as_view(), name="new"),
    path("<int:pk>/", views.CampaignLedgerView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.CampaignUpdateView.as_view(), name="edit"),
    path("cases/<int:pk>/", views.CaseCampaignView.as_view(), name="case_set"),
]
