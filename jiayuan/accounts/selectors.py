from __future__ import annotations

from django.db.models import QuerySet

from jiayuan.accounts.models import Membership
from jiayuan.core.actor import Actor


def memberships_of(*, actor: Actor) -> QuerySet[Membership]:
    """The acting user's own memberships, with their organisations and regions."""
    return (
        Membership.objects.filter(user=actor.user, active=True)
        .select_related(
            "organisation__region",
            "organisation__enterprise",
            "organisation__estate",
            "organisation__department",
        )
        .order_by("id")
    )
