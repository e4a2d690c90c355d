"""Which regions a campaign may be run for, by whom, and which estates it covers.

Kept apart from the services so that the case services (filing a case with a campaign) can use the
same rules without importing the campaign services, which themselves write case timelines.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from jiayuan.accounts.choices import Role
from jiayuan.campaigns.models import Campaign
from jiayuan.core import permissions
from jiayuan.core.actor import Actor
from jiayuan.core.exceptions import DomainError, NotPermitted
from jiayuan.estates.models import Estate
from jiayuan.regions.choices import Level
from jiayuan.regions.models import Region

# The body of a region runs its campaigns: the city housing bureau, a district's, a subdistrict office.
ROLE_LEVELS: dict[str, str] = {
    Role.CITY_ADMIN: Level.CITY,
    Role.DISTRICT_OFFICER: Level.DISTRICT,
    Role.SUBDISTRICT_OFFICER: Level.SUBDISTRICT,
}
RUN_LEVELS = frozenset(ROLE_LEVELS.values())


def run_levels(actor: Actor) -> frozenset[str]:
    """The levels at which the actor's roles run campaigns (every level for a system administrator)."""
    if actor.scope_for(permissions.CAMPAIGNS_MANAGE).everything:
        return RUN_LEVELS
    return frozenset(ROLE_LEVELS[role] for role in actor.roles if role in ROLE_LEVELS)


def runs(actor: Actor, region: Region) -> bool:
    """Whether the actor administers `region` as the body that runs campaigns there (no query)."""
    if not actor.has(permissions.CAMPAIGNS_MANAGE) or region.level not in run_levels(actor):
        return False
    scope = actor.scope_for(permissions.CAMPAIGNS_MANAGE)
    return scope.everything or region.path in scope.region_paths


def require_runs(actor: Actor, region: Region) -> None:
    actor.require(permissions.CAMPAIGNS_MANAGE)
    if not runs(actor, region):
        raise NotPermitted(permissions.CAMPAIGNS_MANAGE)


def runnable_regions(actor: Actor) -> QuerySet[Region]:
    """The regions the actor may run a campaign for (their own city, district or subdistrict)."""
    if not actor.has(permissions.CAMPAIGNS_MANAGE):
        return Region.objects.none()
    regions = Region.objects.visible_to(actor).filter(level__in=sorted(run_levels(actor)))
    scope = actor.scope_for(permissions.CAMPAIGNS_MANAGE)
    return regions if scope.everything else regions.filter(path__in=scope.region_paths)


def covers(campaign: Campaign, estate: Estate) -> bool:
    """A campaign covers the estates under its region: the community path starts with the region's."""
    return bool(estate.community.path.startswith(campaign.region.path))


def require_covers(actor: Actor, campaign: Campaign, estate: Estate) -> None:
    """The campaign is one the actor sees and it covers the estate; else a DomainError on `campaign`."""
    if not actor.can_see(campaign):
        raise DomainError(_("No such campaign."), field="campaign", code="not_found")
    if not covers(campaign, estate):
        raise DomainError(
            _("Campaign “%(name)s” does not cover this estate.") % {"name": campaign.name},
            field="campaign",
            code="campaign_does_not_cover",
        )
