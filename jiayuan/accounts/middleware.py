"""Session rules of 等保 2.0 level 3: an idle session ends, a password an administrator set is changed.

Both apply to sessions of logged-in users only; API tokens have their own expiry.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

LAST_SEEN = "jiayuan_last_seen"
# The session is written at most this often for its activity stamp, not on every request.
STAMP_EVERY_SECONDS = 60


class IdleSessionTimeoutMiddleware:
    """Log out a session idle longer than `JIAYUAN_SESSION_IDLE_MINUTES` (default 30)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and hasattr(request, "session"):
            now = timezone.now().timestamp()
            last_seen = request.session.get(LAST_SEEN)
            idle_limit = settings.JIAYUAN_SESSION_IDLE_MINUTES * 60
            if isinstance(last_seen, int | float) and now - last_seen > idle_limit:
                logout(request)
                messages.info(request, _("You were logged out after a period without activity."))
                if not request.path.startswith("/api/"):
                    return redirect(f"{reverse('accounts:login')}?next={request.path}")
            elif not isinstance(last_seen, int | float) or now - last_seen >= STAMP_EVERY_SECONDS:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """A user whose password an administrator set reaches only the password page and logout."""

    OPEN_URL_NAMES = ("accounts:password_change", "accounts:logout", "accounts:login")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and getattr(user, "must_change_password", False):
            open_paths = {reverse(name) for name in self.OPEN_URL_NAMES}
            if request.path not in open_paths:
                message = _("Change the password an administrator set before you go on.")
                if request.path.startswith("/api/"):
                    error = {"code": "password_change_required", "message": message, "details": None}
                    return JsonResponse({"error": error}, status=403)
                return redirect("accounts:password_change")
        return self.get_response(request)
