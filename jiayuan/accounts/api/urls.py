from django.urls import path

from jiayuan.accounts.api.views import MeView, TokenObtainView

urlpatterns = [
    path("auth/token/", TokenObtainView.as_view(), name="api-auth-token"),
    path("me/", MeView.as_view(), name="api-me"),
]
