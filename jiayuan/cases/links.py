"""The complainant's link to follow a case: a random token, kept only hashed, with an expiry.

Sent in the text messages that tell the complainant of each step; the page behind it (intake's
follow page, `intake:follow`) shows the case without personal data, and rating or reopening needs
the phone's verification code. Each link is minted when it is sent (the platform cannot show a
token again: it keeps only the hash) and stops working after the preset's days; an expired link
offers to text a fresh one to the case's own phone. Here in cases, below intake, so that the case
notifications can build the link.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from jiayuan.cases.models import Case, CaseFollowLink
from jiayuan.policy.loader import active_preset


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def case_follow_token(case: Case) -> str:
    """A new token for the case's follow page (one INSERT); only its digest is stored."""
    token = secrets.token_urlsafe(24)
    now = timezone.now()
    days = active_preset().data.cases.follow_link.days
    CaseFollowLink.objects.create(
        case=case, digest=token_digest(token), created_at=now, expires_at=now + dt.timedelta(days=days)
    )
    return token


def case_follow_url(case: Case) -> str:
    """The absolute link (SITE_URL) to the case's follow page, with a new token."""
    return settings.SITE_URL + reverse("intake:follow", args=[case_follow_token(case)])


@dataclass(frozen=True)
class FollowedCase:
    case: Case
    expired: bool


def case_from_follow_token(token: str) -> FollowedCase | None:
    """The case a token names and whether its link has expired, or None for an unknown token."""
    if not 16 <= len(token) <= 64:
        return None
    related = ("case__estate", "case__handler_enterprise", "case__handler_department", "case__handler_region")
    link = CaseFollowLink.objects.select_related(*related).filter(digest=token_digest(token)).first()
    if link is None:
        return None
    return FollowedCase(case=link.case, expired=link.expires_at <= timezone.now())
