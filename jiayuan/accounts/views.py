"""Logging in and out, changing one's password. Lock-out after repeated failures is django-axes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from jiayuan.accounts import services
from jiayuan.accounts.forms import LoginForm, PasswordChangeForm
from jiayuan.core.exceptions import DomainError


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django 5): the header's logout button submits a form."""


class PasswordChangeView(LoginRequiredMixin, FormView):
    """Choose a new password; the only page open to a user whose password an administrator set."""

    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        user = self.request.user
        try:
            services.password_change(
                user=user,  # type: ignore[arg-type]
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
            return self.form_invalid(form)
        update_session_auth_hash(self.request, user)  # type: ignore[arg-type]
        messages.success(self.request, _("Your password has been changed."))
        return redirect("dashboard:home")
