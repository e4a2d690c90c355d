from django.urls import path

from jiayuan.accounts.api.views import MeView, TokenObtainView, TokenRevokeView, TokensRevokeAllView

urlpatterns = [
    path("auth/token/", TokenObtainView.as_view(), name="api-auth-token"),
    path("auth/logout/", TokenRevokeView.as_view(), name="api-auth-logout"),
    path("auth/logout-all/", TokensRevokeAllView.as_view(), name="api-auth-logout-all"),
    path("me/", MeView.as_view(), name="api-me"),
]
