"""Reads of the Open311 endpoint: the client of a key, the estate a request names, public requests.

Open311 reads need no key and show no personal data, so they read as the platform (the system
actor) and the renderer (`georeport.py`) picks only public fields.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from jiayuan.cases import workflow
from jiayuan.cases.models import Case
from jiayuan.core.actor import system_actor
from jiayuan.core.filters import parse_id
from jiayuan.estates.models import Estate
from jiayuan.open311.models import ApiClient
from jiayuan.open311.services import hash_key

# How far from an estate's recorded point a lat/long may be to name it.
NEAR_METRES = 300
EARTH_METRES = 6_371_000
DEFAULT_DAYS = 90
MAX_REQUESTS = 1000


def client_for_key(key: str) -> ApiClient | None:
    """The active client whose key this is, or None."""
    if not key:
        return None
    clients = ApiClient.objects.visible_to(system_actor()).select_related("region")
    return clients.filter(key_hash=hash_key(key), active=True).first()


def estates() -> QuerySet[Estate]:
    return Estate.objects.visible_to(system_actor()).select_related("community")


def estate_by_id(value: str) -> Estate | None:
    pk = parse_id(value)
    return estates().filter(pk=pk).first() if pk is not None else None


def distance_metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_METRES * math.asin(math.sqrt(a))


def estate_near(lat: float, lon: float, *, within: float = NEAR_METRES) -> Estate | None:
    """The estate whose recorded point is nearest to (lat, lon), if within `within` metres.

    A bounding box narrows the rows in the database; the exact distance is computed here.
    """
    dlat = within / 111_000
    dlon = within / (111_000 * max(math.cos(math.radians(lat)), 0.01))
    box = estates().filter(
        latitude__range=(Decimal(str(lat - dlat)), Decimal(str(lat + dlat))),
        longitude__range=(Decimal(str(lon - dlon)), Decimal(str(lon + dlon))),
    )
    best: tuple[float, Estate] | None = None
    for estate in box:
        d = distance_metres(lat, lon, float(estate.latitude or 0), float(estate.longitude or 0))
        if d <= within and (best is None or d < best[0]):
            best = (d, estate)
    return best[1] if best else None


def estates_by_address(text: str) -> list[Estate]:
    """Estates named by an address string: an exact address or name, else the one that contains it
    (or whose address or name the text contains). More than one match is ambiguous."""
    text = text.strip()
    if not text:
        return []
    exact = list(estates().filter(Q(address=text) | Q(name=text))[:2])
    if exact:
        return exact
    return list(estates().filter(Q(address__icontains=text) | Q(name__icontains=text))[:2])


@dataclass(frozen=True)
class RequestFilters:
    """The GET filters of requests.json, already parsed."""

    numbers: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    statuses: tuple[str, ...] = ()


def public_cases() -> QuerySet[Case]:
    return (
        Case.objects.visible_to(system_actor())
        .select_related("estate", "handler_enterprise", "handler_department", "handler_region")
        .order_by("-created_at", "-id")
    )


def public_requests(filters: RequestFilters, *, now: dt.datetime | None = None) -> list[Case]:
    """Cases matching the filters, newest first, at most 1000.

    As the specification says, `service_request_id` overrides the other filters; with no dates,
    the last 90 days are returned.
    """
    cases = public_cases()
    if filters.numbers:
        return list(cases.filter(number__in=filters.numbers)[:MAX_REQUESTS])
    if filters.service_codes:
        cases = cases.filter(category__in=filters.service_codes)
    start = filters.start
    if start is None and filters.end is None:
        start = (now or timezone.now()) - dt.timedelta(days=DEFAULT_DAYS)
    if start is not None:
        cases = cases.filter(created_at__gte=start)
    if filters.end is not None:
        cases = cases.filter(created_at__lte=filters.end)
    statuses = set(filters.statuses)
    if statuses == {"open"}:
        cases = cases.filter(state__in=workflow.OPEN_STATES)
    elif statuses == {"closed"}:
        cases = cases.exclude(state__in=workflow.OPEN_STATES)
    return list(cases[:MAX_REQUESTS])


def public_request(number: str) -> Case | None:
    return public_cases().filter(number=number).first()
