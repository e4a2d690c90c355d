from django.urls import path

from jiayuan.intake import views

app_name = "intake"

urlpatterns = [
    path("poster/<int:pk>/", views.PosterView.as_view(), name="poster"),
    path("case/<str:token>/", views.follow_case, name="follow"),
    path("mine/<int:pk>/", views.FollowMineView.as_view(), name="follow_mine"),
    path("<str:token>/", views.report_phone, name="report"),
    path("<str:token>/complaint/", views.report_complaint, name="complaint"),
    path("<str:token>/thanks/", views.report_thanks, name="thanks"),
]
