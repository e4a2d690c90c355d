"""The GeoReport v2 wire format: what a service and a request look like, in JSON or XML.

Only public fields are rendered: never the complainant's name or phone, never the original text a
moderator hid.
"""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse

from jiayuan.cases import workflow
from jiayuan.cases.choices import HandlerKind
from jiayuan.cases.models import Case
from jiayuan.core.text import printable
from jiayuan.policy.loader import PolicyPreset

# The element names of a list and of its items in XML, per the specification.
XML_ITEMS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
}


def services(preset: PolicyPreset) -> list[dict[str, Any]]:
    """One Open311 service per category of the active preset; its group is the category group."""
    rows = []
    for category in preset.categories.values():
        group = preset.category_groups.get(category.group)
        rows.append(
            {
                "service_code": category.code,
                "service_name": category.name,
                "description": category.description,
                "metadata": False,
                "type": "realtime",
                "keywords": ", ".join(filter(None, [category.name_en, group.name_en if group else ""])),
                "group": group.name if group else "",
            }
        )
    return rows


def service_definition(code: str) -> dict[str, Any]:
    return {"service_code": code, "attributes": []}


def agency(case: Case) -> str:
    """The name of the body responsible for the case now, if it has been dispatched."""
    if case.handler_kind == HandlerKind.ENTERPRISE and case.handler_enterprise:
        return case.handler_enterprise.name
    if case.handler_kind == HandlerKind.DEPARTMENT and case.handler_department:
        return case.handler_department.name
    if case.handler_region:
        return case.handler_region.name
    return ""


def status_notes(case: Case) -> str:
    notes = str(case.get_state_display())
    if case.outcome:
        notes = f"{notes}: {case.get_outcome_display()}"
    return notes


def service_request(case: Case, preset: PolicyPreset) -> dict[str, Any]:
    """A case as a GeoReport service request: public fields only."""
    category = preset.categories.get(case.category)
    estate = case.estate
    return {
        "service_request_id": case.number,
        "status": "open" if case.state in workflow.OPEN_STATES else "closed",
        "status_notes": status_notes(case),
        "service_name": category.name if category else case.category,
        "service_code": case.category,
        "description": case.public_description,
        "agency_responsible": agency(case),
        "service_notice": "",
        "requested_datetime": case.created_at,
        "updated_datetime": case.updated_at,
        "expected_datetime": case.deadline,
        "address": estate.address,
        "address_id": estate.pk,
        "zipcode": "",
        "lat": float(estate.latitude) if estate.latitude is not None else None,
        "long": float(estate.longitude) if estate.longitude is not None else None,
        "media_url": "",
    }


def errors(status: int, *descriptions: str) -> list[dict[str, Any]]:
    return [{"code": status, "description": text} for text in descriptions]


def to_xml(root: str, data: Any) -> bytes:
    element = ElementTree.Element(root)
    fill(element, root, data)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(element, encoding="utf-8")


def fill(element: ElementTree.Element, name: str, data: Any) -> None:
    if isinstance(data, list):
        for item in data:
            fill(ElementTree.SubElement(element, XML_ITEMS.get(name, "item")), "", item)
    elif isinstance(data, dict):
        for key, value in data.items():
            fill(ElementTree.SubElement(element, key), key, value)
    elif data is not None:
        text = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
        element.text = str(text).lower() if isinstance(text, bool) else printable(str(text))


def respond(data: Any, *, fmt: str, root: str, status: int = 200) -> HttpResponse:
    """Render `data` as JSON or as XML under `root` (services, service_requests, errors ...)."""
    if fmt == "xml":
        return HttpResponse(to_xml(root, data), status=status, content_type="text/xml; charset=utf-8")
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")


def error_response(status: int, *descriptions: str, fmt: str = "json") -> HttpResponse:
    return respond(errors(status, *descriptions), fmt=fmt, root="errors", status=status)
