"""Logging in and out, changing one's password. Lock-out after repeated failures is django-axes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from jiayuan.accounts import services
from jiayuan.accounts.forms import LoginForm, PasswordChangeForm
from jiayuan.accounts.selectors import api_tokens_of
from jiayuan.core.actor import actor_for
from jiayuan.core.exceptions import DomainError
from jiayuan.core.queues import PREVIOUS_VISIT_SESSION_KEY


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        """Log in, and keep the previous login in the session: logging in overwrites `last_login`,
        and the home page's queues say what changed since the last visit (jiayuan/core/queues.py)."""
        previous = form.get_user().last_login
        response = super().form_valid(form)
        if previous is not None:
            self.request.session[PREVIOUS_VISIT_SESSION_KEY] = previous.isoformat()
        return response


class LogoutView(auth_views.LogoutView):
    """POST only (Django 5): the header's logout button submits a form.

    With `revoke_tokens`, the user's API tokens stop working too (the tokens page offers it).
    """

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and request.POST.get("revoke_tokens"):
            services.api_tokens_revoke_all(actor=actor_for(request.user), user=request.user)
        return super().post(request, *args, **kwargs)


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


class ApiTokensView(LoginRequiredMixin, View):
    """The user's API tokens (key, issued, expiry; never the secret), to revoke one or all."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "accounts/tokens.html", {"tokens": api_tokens_of(user=request.user)})

    def post(self, request: HttpRequest) -> HttpResponse:
        actor = actor_for(request.user)
        if request.POST.get("all"):
            count = services.api_tokens_revoke_all(actor=actor, user=request.user)  # type: ignore[arg-type]
            messages.success(request, _("%(count)d API tokens revoked.") % {"count": count})
        else:
            token = api_tokens_of(user=request.user).filter(token_key=request.POST.get("key", "")).first()
            if token is None:
                raise Http404
            services.api_token_revoke(actor=actor, token=token)
            messages.success(request, _("The API token %(key)s was revoked.") % {"key": token.token_key})
        return redirect("accounts:tokens")
