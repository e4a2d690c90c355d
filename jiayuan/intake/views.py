"""The owner's phone pages (no login) and the staff's printable QR poster of an estate.

The owner's steps keep their state in the session: the verified-to-be phone after step 1, the
filed case's number after step 2.
"""

from __future__ import annotations

from typing import Any

import segno
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from jiayuan.core import permissions
from jiayuan.core.exceptions import DomainError
from jiayuan.core.views import ActorMixin
from jiayuan.estates.models import Estate
from jiayuan.estates.selectors import estate_list
from jiayuan.intake.forms import ComplaintForm, PhoneForm
from jiayuan.intake.services import PURPOSE, estate_from_token, estate_token, intake_file
from jiayuan.notifications.services import verification_check, verification_request

DONE_KEY = "intake:done"


def phone_key(estate: Estate) -> str:
    return f"intake:phone:{estate.pk}"


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
    form = ComplaintForm(request.POST or None)
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
        url = self.request.build_absolute_uri(reverse("intake:report", args=[estate_token(estate)]))
        qr = segno.make(url, error="m")
        # segno writes plain SVG (no script, no style attribute) from our own URL: safe to inline.
        svg = mark_safe(qr.svg_inline(scale=4, omitsize=True, border=2, title=estate.name))
        context.update({"estate": estate, "url": url, "qr_svg": svg})
        return context


def follow_case(request: HttpRequest, token: str) -> HttpResponse:
    """The complainant's view of their case (being built: status, timeline, rating, reopen)."""
    raise Http404
