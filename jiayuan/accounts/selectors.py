from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet
from knox.models import AuthToken

from jiayuan.accounts.choices import OrganisationKind
from jiayuan.accounts.models import Membership, Organisation
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


def memberships_prefetch(lookup: str) -> Prefetch:
    """Prefetch the memberships (with their organisations) of the users at `lookup`, e.g.
    "actor__memberships" for the users who acted in a case's timeline: one query for any number.
    Ended memberships come too: the body someone acted for then may be one they have since left."""
    return Prefetch(lookup, queryset=Membership.objects.select_related("organisation").order_by("id"))


def community_contacts(*, communities: Iterable[int]) -> dict[int, list[Organisation]]:
    """The community committees (居委会) of the given communities, by community id, by name (one query).

    Deliberately not scoped (no `visible_to`): callers pass the communities of estates the actor
    already sees, and a community committee's name is public contact information for the residents
    and enterprises of those estates, whoever's jurisdiction the committee itself lies in.
    """
    contacts: dict[int, list[Organisation]] = {}
    for organisation in Organisation.objects.filter(
        kind=OrganisationKind.COMMUNITY_COMMITTEE, region_id__in=set(communities)
    ).order_by("name"):
        contacts.setdefault(organisation.region_id, []).append(organisation)
    return contacts


def api_tokens_of(*, user: Any) -> QuerySet[AuthToken]:
    """A user's own API tokens, newest first (the secrets are not stored: only key and dates)."""
    return AuthToken.objects.filter(user=user).order_by("-created")
