"""Logging in and out. Lock-out after repeated failures is django-axes (settings AXES_*)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views

from jiayuan.accounts.forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django 5): the header's logout button submits a form."""
