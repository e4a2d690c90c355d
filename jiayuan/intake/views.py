"""The owner's phone pages (no login), the complainant's follow page, and the staff's printable QR
poster of an estate.

The owner's steps keep their state in the session: the verified-to-be phone after step 1, the
filed case's number after step 2. On the follow page the session remembers, per case, that a code
was sent to the case's phone and, for a while, that it was entered.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from django_ratelimit.core import is_ratelimited

from jiayuan.cases.choices import State
from jiayuan.cases.links import case_follow_token, case_from_follow_token
from jiayuan.cases.models import Case
from jiayuan.cases.selectors import complaints_of
from jiayuan.cases.services.notify import case_follow_link_resend
from jiayuan.core import permissions
from jiayuan.core.exceptions import DomainError
from jiayuan.core.masking import mask_phone
from jiayuan.core.views import ActorMixin
from jiayuan.estates.models import Estate
from jiayuan.estates.selectors import estate_list
from jiayuan.intake.forms import CodeForm, ComplaintForm, PhoneForm, RatingForm, ReopenForm
from jiayuan.intake.selectors import is_poor, public_facts, public_timeline, reopen_deadline
from jiayuan.intake.services import (
    FOLLOW_PURPOSE,
    PURPOSE,
    estate_from_token,
    estate_token,
    intake_file,
    intake_rate,
    intake_reopen,
)
from jiayuan.notifications.services import verification_check, verification_request

DONE_KEY = "intake:done"
logger = logging.getLogger("jiayuan.intake")


def phone_key(estate: Estate) -> str:
    return f"intake:phone:{estate.pk}"


def refuse_if_address_limited(request: HttpRequest) -> None:
    """Codes asked for from one network address, counted across all phones (SMS bombing).

    The preset limits codes per phone; this limit, a setting, stops one address from sending codes
    to many phones. It counts in the cache, so several web processes need a shared one
    (CACHE_REDIS_URL).
    """
    if is_ratelimited(
        request, group="intake.codes", key="ip", rate=settings.JIAYUAN_CODES_PER_ADDRESS, increment=True
    ):
        logger.warning(
            "Verification codes refused for %s: over the per-address limit", request.META.get("REMOTE_ADDR")
        )
        raise DomainError(
            _("Too many verification codes were asked for from this network. Please try again later."),
            code="rate_limited",
        )


def estate_or_404(token: str) -> Estate:
    estate = estate_from_token(token)
    if estate is None:
        raise Http404
    return estate


def report_phone(request: HttpRequest, token: str) -> HttpResponse:
    """Step 1: the owner's mobile number; a code is sent to it."""
    estate = estate_or_404(token)
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            refuse_if_address_limited(request)
            issued = verification_request(phone=form.cleaned_data["phone"], purpose=PURPOSE)
        except DomainError as refused:  # InvalidPhone, RateLimited
            form.add_error("phone", str(refused.message))
        else:
            request.session[phone_key(estate)] = issued.phone
            return HttpResponseRedirect(reverse("intake:complaint", args=[token]))
    return render(request, "intake/phone.html", {"estate": estate, "form": form, "token": token})


def report_complaint(request: HttpRequest, token: str) -> HttpResponse:
    """Step 2: the code, and the complaint; it is filed when the code is right."""
    estate = estate_or_404(token)
    phone = request.session.get(phone_key(estate))
    if not phone:
        return HttpResponseRedirect(reverse("intake:report", args=[token]))
    form = ComplaintForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not verification_check(phone=phone, purpose=PURPOSE, code=data["code"]):
            form.add_error("code", _("The code is wrong or has expired. Check the SMS, or get a new code."))
        else:
            try:
                case, open_case = intake_file(
                    estate=estate,
                    phone=phone,
                    category=data["category"],
                    description=data["description"],
                    name=data["name"],
                    photos=data["photos"],
                )
            except DomainError as refused:
                field = refused.field if refused.field in form.fields else None
                form.add_error(field, str(refused.message))
            else:
                del request.session[phone_key(estate)]
                request.session[DONE_KEY] = {
                    "estate": estate.pk,
                    "number": case.number,
                    "open_case": open_case.number if open_case else "",
                    "follow": case_follow_token(case),
                }
                return HttpResponseRedirect(reverse("intake:thanks", args=[token]))
    context = {"estate": estate, "form": form, "token": token, "phone_masked": f"{phone[:3]}****{phone[-4:]}"}
    return render(request, "intake/complaint.html", context)


def report_thanks(request: HttpRequest, token: str) -> HttpResponse:
    """Step 3: the case number to quote when asking about it."""
    estate = estate_or_404(token)
    done = request.session.get(DONE_KEY)
    if not done or done.get("estate") != estate.pk:
        return HttpResponseRedirect(reverse("intake:report", args=[token]))
    return render(request, "intake/thanks.html", {"estate": estate, "done": done, "token": token})


class PosterView(ActorMixin, TemplateView):
    """An A4 poster to print and put up at the estate: its name, the QR code and the short link."""

    required_permission = permissions.CASES_ACCEPT
    template_name = "intake/poster.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        estate = get_object_or_404(estate_list(actor=self.actor), pk=self.kwargs["pk"])
        # The configured public address, as in the text messages: not the host this request came by
        # (a printed poster must work for owners outside the staff's network).
        url = settings.SITE_URL + reverse("intake:report", args=[estate_token(estate)])
        qr = segno.make(url, error="m")
        # segno writes plain SVG (no script, no style attribute) from our own URL: safe to inline.
        svg = mark_safe(qr.svg_inline(scale=4, omitsize=True, border=2, title=estate.name))
        context.update({"estate": estate, "url": url, "qr_svg": svg})
        return context


# --- the complainant's follow page ----------------------------------------------------------------

# How long a code entered on the follow page keeps the session verified for that case.
FOLLOW_VERIFIED_FOR = dt.timedelta(minutes=30)
FollowForms = dict[str, Form]


def follow_key(case: Case) -> str:
    return f"intake:follow:{case.pk}"


def follow_url(token: str, suffix: str = "") -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("intake:follow", args=[token]) + suffix)


def verified_phone(request: HttpRequest, case: Case) -> str | None:
    """The case's phone, if this session proved holding it with a code for this very case lately."""
    state = request.session.get(follow_key(case)) or {}
    phone, at = state.get("phone"), state.get("verified_at")
    if not phone or not at or phone != case.complainant_phone:
        return None
    if timezone.now() - dt.datetime.fromisoformat(at) > FOLLOW_VERIFIED_FOR:
        return None
    return str(phone)


def confirm_first(request: HttpRequest, token: str) -> HttpResponse:
    """Back to the code step: this session has not proved the case's phone, or did so too long ago."""
    messages.warning(request, _("For your safety, first confirm it is you with a new code."))
    return follow_url(token, "#opinion")


def follow_send(request: HttpRequest, case: Case, token: str, forms: FollowForms) -> HttpResponse | None:
    """Send a code to the case's own phone (the owner cannot type another number)."""
    try:
        refuse_if_address_limited(request)
        verification_request(phone=case.complainant_phone, purpose=FOLLOW_PURPOSE)
    except DomainError as refused:  # RateLimited
        forms["verify"].add_error(None, str(refused.message))
        return None
    request.session[follow_key(case)] = {"sent": True}
    return follow_url(token, "#opinion")


def follow_verify(request: HttpRequest, case: Case, token: str, forms: FollowForms) -> HttpResponse | None:
    form = forms["verify"] = CodeForm(request.POST)
    if not form.is_valid():
        return None
    if not verification_check(
        phone=case.complainant_phone, purpose=FOLLOW_PURPOSE, code=form.cleaned_data["code"]
    ):
        form.add_error("code", _("The code is wrong or has expired. Check the SMS, or get a new code."))
        return None
    now = timezone.now().isoformat()
    request.session[follow_key(case)] = {"phone": case.complainant_phone, "verified_at": now}
    return follow_url(token, "#opinion")


def follow_rate(request: HttpRequest, case: Case, token: str, forms: FollowForms) -> HttpResponse | None:
    phone = verified_phone(request, case)
    if phone is None:
        return confirm_first(request, token)
    form = forms["rate"] = RatingForm(request.POST)
    if not form.is_valid():
        return None
    rating = form.cleaned_data["rating"]
    try:
        intake_rate(case=case, phone=phone, rating=rating, comment=form.cleaned_data["comment"])
    except DomainError as refused:
        form.add_error(None, str(refused.message))
        return None
    if is_poor(rating):
        return follow_url(token, "?reopen=1#reopen")
    messages.success(request, _("Thank you for rating the result."))
    return follow_url(token, "#opinion")


def follow_reopen(request: HttpRequest, case: Case, token: str, forms: FollowForms) -> HttpResponse | None:
    phone = verified_phone(request, case)
    if phone is None:
        return confirm_first(request, token)
    form = forms["reopen"] = ReopenForm(request.POST)
    if not form.is_valid():
        return None
    try:
        intake_reopen(case=case, phone=phone, reason=form.cleaned_data["reason"])
    except DomainError as refused:  # the window has passed, or someone changed the case meanwhile
        form.add_error(None, str(refused.message))
        return None
    messages.success(request, _("Your case has been reopened. The staff must handle it again."))
    return follow_url(token)


FOLLOW_ACTIONS = {"send": follow_send, "verify": follow_verify, "rate": follow_rate, "reopen": follow_reopen}


def follow_context(request: HttpRequest, case: Case, token: str, forms: FollowForms) -> dict[str, Any]:
    now = timezone.now()
    until = reopen_deadline(case)
    closed = until is not None
    return {
        "estate": case.estate,
        "token": token,
        "facts": public_facts(case, now),
        "steps": public_timeline(case),
        "closed": closed,
        "has_phone": bool(case.complainant_phone),
        "phone_masked": mask_phone(case.complainant_phone),
        "code_sent": bool((request.session.get(follow_key(case)) or {}).get("sent")),
        "verified": verified_phone(request, case) is not None,
        "can_rate": closed and case.rating is None,
        "can_reopen": closed and until is not None and now <= until,
        "reopen_until": until,
        "offer_reopen": request.GET.get("reopen") == "1" and is_poor(case.rating),
        "forms": forms,
    }


def follow_expired(request: HttpRequest, case: Case) -> HttpResponse:
    """An expired link: it shows nothing of the case but its number, and offers a fresh link by SMS
    to the case's own phone (no other number can be typed)."""
    sent, error = False, ""
    if request.method == "POST" and request.POST.get("action") == "renew":
        try:
            refuse_if_address_limited(request)
            sent = case_follow_link_resend(case=case)
        except DomainError as refused:
            error = str(refused.message)
    context = {
        "number": case.number,
        "has_phone": bool(case.complainant_phone),
        "phone_masked": mask_phone(case.complainant_phone),
        "sent": sent,
        "error": error,
    }
    return render(request, "intake/follow_expired.html", context, status=410 if not sent else 200)


def follow_case(request: HttpRequest, token: str) -> HttpResponse:
    """The complainant's view of their case, from the link in their SMS: where it stands and its
    steps; once closed out, rating the result and reopening it after proving the case's phone."""
    followed = case_from_follow_token(token)
    if followed is None:
        raise Http404
    case = followed.case
    if followed.expired:
        return follow_expired(request, case)
    forms: FollowForms = {"verify": CodeForm(), "rate": RatingForm(), "reopen": ReopenForm()}
    if request.method == "POST":
        action = FOLLOW_ACTIONS.get(request.POST.get("action", ""))
        if action is None or not case.complainant_phone or case.state != State.CLOSED_OUT:
            return follow_url(token)
        response = action(request, case, token, forms)
        if response is not None:
            return response
    return render(request, "intake/follow.html", follow_context(request, case, token, forms))


class FollowMineView(ActorMixin, View):
    """A logged-in owner's own complaint (`complaints_of`), from their home page: a fresh follow link
    and on to the follow page, where the phone's code lets them rate or reopen it. POST: it writes."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = get_object_or_404(complaints_of(actor=self.actor), pk=pk)
        return HttpResponseRedirect(reverse("intake:follow", args=[case_follow_token(case)]))
