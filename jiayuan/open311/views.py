"""Open311 GeoReport v2 endpoints (docs/open311.md). Every answer is JSON or XML, errors included.

Reads need no key; filing (POST requests) needs `api_key`, so POST is CSRF-exempt: no cookie is
ever used to authenticate here.
"""

from __future__ import annotations

import datetime as dt
import math

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from jiayuan.cases.services import DuplicateSuspected
from jiayuan.core.exceptions import DomainError
from jiayuan.core.filters import EARLIEST_DATE, LATEST_DATE
from jiayuan.core.text import CONTROL_CHARACTERS
from jiayuan.estates.models import Estate
from jiayuan.open311 import georeport, selectors
from jiayuan.open311.georeport import error_response, respond
from jiayuan.open311.services import request_file
from jiayuan.policy.loader import active_preset


class BadRequest(Exception):
    """A parameter the specification's 400 answers."""


def services_list(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method != "GET":
        return error_response(405, _("Method not allowed."), fmt=fmt)
    return respond(georeport.services(active_preset()), fmt=fmt, root="services")


def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    if request.method != "GET":
        return error_response(405, _("Method not allowed."), fmt=fmt)
    if code not in active_preset().categories:
        return error_response(404, _("Unknown service_code %(code)s.") % {"code": code}, fmt=fmt)
    return respond(georeport.service_definition(code), fmt=fmt, root="service_definition")


@csrf_exempt
def requests_endpoint(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        request.GET, request.POST  # noqa: B018 - parse now: too many fields is the client's error
    except (TooManyFieldsSent, RequestDataTooBig):
        return error_response(400, _("The request has too many parameters or is too large."), fmt=fmt)
    if request.method == "GET":
        return requests_list(request, fmt)
    if request.method == "POST":
        return request_create(request, fmt)
    return error_response(405, _("Method not allowed."), fmt=fmt)


def requests_list(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        filters = parse_filters(request.GET)
    except BadRequest as error:
        return error_response(400, str(error), fmt=fmt)
    preset = active_preset()
    rows = [georeport.service_request(case, preset) for case in selectors.public_requests(filters)]
    return respond(rows, fmt=fmt, root="service_requests")


def request_detail(request: HttpRequest, number: str, fmt: str) -> HttpResponse:
    if request.method != "GET":
        return error_response(405, _("Method not allowed."), fmt=fmt)
    case = selectors.public_request(number)
    if case is None:
        return error_response(404, _("No service request %(id)s.") % {"id": number}, fmt=fmt)
    return respond([georeport.service_request(case, active_preset())], fmt=fmt, root="service_requests")


def token_detail(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    # Cases are filed synchronously and POST answers with the service_request_id, so no token is
    # ever issued (docs/open311.md).
    return error_response(404, _("Unknown token; this server returns service_request_id directly."), fmt=fmt)


def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    fmt = "xml" if rest.endswith(".xml") else "json"
    return error_response(404, _("Not found."), fmt=fmt)


def request_create(request: HttpRequest, fmt: str) -> HttpResponse:
    data = request.POST
    client = selectors.client_for_key(str(data.get("api_key") or "").strip())
    if client is None:
        return error_response(403, _("Invalid or missing api_key."), fmt=fmt)
    try:
        code, account_id = field(data, "service_code"), field(data, "account_id")
        if code not in active_preset().categories:
            raise BadRequest(_("Unknown service_code %(code)s.") % {"code": code})
        estate = locate(data)
        case = request_file(
            client=client,
            estate=estate,
            service_code=code,
            description=field(data, "description"),
            first_name=field(data, "first_name"),
            last_name=field(data, "last_name"),
            phone=field(data, "phone"),
        )
    except BadRequest as error:
        return error_response(400, str(error), fmt=fmt)
    except DuplicateSuspected as error:
        text = _("Duplicate of open service request %(id)s at this estate: add to it instead.")
        return error_response(400, text % {"id": error.case.number}, fmt=fmt)
    except DomainError as error:
        status = 403 if error.status == 403 else 400
        return error_response(status, str(error.message), fmt=fmt)
    except Http404:
        return error_response(404, _("Not found."), fmt=fmt)
    row = {"service_request_id": case.number, "service_notice": "", "account_id": account_id}
    return respond([row], fmt=fmt, root="service_requests")


def locate(data: QueryDict) -> Estate:
    """The estate a POST names: `address_id` (the estate's id), else the nearest to `lat`/`long`,
    else the one `address_string` names. Anything else is a 400."""
    address_id, lat_text, long_text = field(data, "address_id"), field(data, "lat"), field(data, "long")
    if address_id:
        estate = selectors.estate_by_id(address_id)
        if estate is None:
            raise BadRequest(_("Unknown address_id %(id)s.") % {"id": address_id})
        return estate
    if lat_text or long_text:
        lat, lon = degrees(lat_text, 90), degrees(long_text, 180)
        estate = selectors.estate_near(lat, lon)
        if estate is None:
            raise BadRequest(_("No estate is recorded near this lat/long."))
        return estate
    if address_string := field(data, "address_string"):
        matches = selectors.estates_by_address(address_string)
        if len(matches) != 1:
            raise BadRequest(
                _("address_string names no estate.") if not matches else _("address_string is ambiguous.")
            )
        return matches[0]
    raise BadRequest(_("A location is required: address_id, lat and long, or address_string."))


def degrees(text: str, limit: int) -> float:
    """A latitude (limit 90) or longitude (limit 180) in decimal degrees; not nan, not infinite."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and -limit <= value <= limit):
        raise BadRequest(_("lat and long must both be decimal degrees (lat -90 to 90, long -180 to 180)."))
    return value


def field(data: QueryDict, name: str) -> str:
    """A parameter as text; one with control characters is refused, naming it (they break feeds)."""
    value = str(data.get(name) or "").strip()
    if CONTROL_CHARACTERS.search(value):
        raise BadRequest(_("%(name)s contains invisible control characters.") % {"name": name})
    return value


def parse_filters(query: QueryDict) -> selectors.RequestFilters:
    statuses = split(query.get("status", ""))
    if not set(statuses) <= {"open", "closed"}:
        raise BadRequest(_("status must be open or closed."))
    return selectors.RequestFilters(
        numbers=split(query.get("service_request_id", "")),
        service_codes=split(query.get("service_code", "")),
        start=parse_moment(query.get("start_date", ""), "start_date"),
        end=parse_moment(query.get("end_date", ""), "end_date"),
        statuses=statuses,
    )


def split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def parse_moment(value: str, name: str) -> dt.datetime | None:
    """An ISO 8601 date-time (or a date, meaning its start); a naive one is in the server's zone."""
    value = value.strip()
    if not value:
        return None
    try:
        moment = parse_datetime(value.replace(" ", "+"))
        if moment is None and (day := parse_date(value)) is not None:
            moment = dt.datetime.combine(day, dt.time.min)
    except ValueError:
        moment = None
    if moment is None:
        raise BadRequest(_("%(name)s must be an ISO 8601 date-time.") % {"name": name})
    if not EARLIEST_DATE <= moment.date() <= LATEST_DATE:
        raise BadRequest(
            _("%(name)s must lie between %(earliest)s and %(latest)s.")
            % {"name": name, "earliest": EARLIEST_DATE, "latest": LATEST_DATE}
        )
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment
