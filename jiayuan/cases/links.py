"""The complainant's link to follow a case: a signed case id, no account needed.

Sent in the text messages that tell the complainant of each step; the page behind it (intake's
follow page, `intake:follow`) shows the case without personal data, and rating or reopening needs
the phone's verification code. Here in cases, below intake, so that the case notifications can
build the link; the salt keeps its first name so that links already sent stay valid.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from jiayuan.cases.models import Case

FOLLOW_SALT = "intake.case"


def case_follow_token(case: Case) -> str:
    return signing.Signer(salt=FOLLOW_SALT).sign_object(case.pk)


def case_from_follow_token(token: str) -> Case | None:
    """The case a follow token names, or None for a forged or mistyped token."""
    try:
        pk = signing.Signer(salt=FOLLOW_SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    related = ("estate", "handler_enterprise", "handler_department", "handler_region")
    return Case.objects.select_related(*related).filter(pk=pk).first()


def case_follow_url(case: Case) -> str:
    """The absolute link (SITE_URL) to the case's follow page."""
    return settings.SITE_URL + reverse("intake:follow", args=[case_follow_token(case)])
