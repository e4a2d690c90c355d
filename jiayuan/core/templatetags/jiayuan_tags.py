"""Template helpers shared by every page: masking of personal data, permissions, navigation.

Load with `{% load jiayuan_tags %}`. Masking filters never reveal anything: the only way to show an
owner's data unmasked is the audited reveal view (`estates:owner_reveal`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.http import QueryDict
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiayuan.core import masking
from jiayuan.core.actor import Actor
from jiayuan.core.navigation import navigation

register = template.Library()


@register.filter
def masked_phone(value: Any) -> str:
    return masking.mask_phone(str(value or ""))


@register.filter
def masked_name(value: Any) -> str:
    return masking.mask_name(str(value or ""))


@register.filter
def masked_id(value: Any) -> str:
    return masking.mask_id_number(str(value or ""))


@register.filter
def can(actor: Actor | None, permission: str) -> bool:
    """`{% if actor|can:"estates.import" %}`: whether the actor's roles grant the permission."""
    return bool(actor is not None and actor.has(permission))


@register.filter
def role_labels(actor: Actor | None) -> list[str]:
    if actor is None:
        return []
    return actor.role_labels()


@register.filter
def days_until(day: dt.date | None) -> int | None:
    """Days from today (Asia/Shanghai) to a date; negative when it has passed."""
    if day is None:
        return None
    return (day - timezone.localdate()).days


@register.filter
def verbose_name_of(obj: Any) -> str:
    """The model's (translated) name of an object: "owners' committee", "management committee"."""
    meta = getattr(obj, "_meta", None)
    return str(meta.verbose_name) if meta is not None else ""


@register.filter
def in_force_today(contract: Any) -> bool:
    """Whether a service contract is in force today (its status and dates; no query)."""
    return bool(contract.in_force_on(timezone.localdate()))


@register.filter
def contract_state(contract: Any) -> dict[str, Any]:
    """What a contract is today, for a badge: in force, not yet started, expired, terminated, void."""
    today = timezone.localdate()
    if contract.status == "void":
        return {"label": contract.get_status_display(), "css": "danger"}
    if contract.in_force_on(today):
        return {"label": _("In force"), "css": "ok"}
    if contract.start_date > today:
        return {"label": _("Not yet started"), "css": "info"}
    if contract.status == "terminated":
        return {"label": contract.get_status_display(), "css": ""}
    return {"label": _("Expired"), "css": ""}


@register.filter
def minutes(value: Any) -> int:
    """A timedelta (or seconds) as whole minutes, rounded up: for the lock-out page."""
    seconds = value.total_seconds() if isinstance(value, dt.timedelta) else float(value or 0)
    return max(1, -(-int(seconds) // 60)) if seconds > 0 else 0


@register.simple_tag(takes_context=True)
def page_query(context: template.Context, param: str, number: int) -> str:
    """The current query string with one page parameter replaced: filters survive paging."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else QueryDict(mutable=True)
    query[param] = str(number)
    return f"?{query.urlencode()}"


@register.simple_tag(takes_context=True)
def nav_items(context: template.Context) -> list[dict[str, Any]]:
    """The main navigation for the acting user: label, url and whether it is the current section."""
    actor: Actor | None = context.get("actor")
    if actor is None:
        return []
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    current = f"{match.namespace}:{match.url_name}" if match else ""
    namespace = match.namespace if match else ""
    items = []
    for item in navigation():
        if item.roles is not None and not actor.has_role(*item.roles):
            continue
        if item.allowed is not None and not item.allowed(actor):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        active = current == item.url_name or (
            item.url_name != "dashboard:home" and namespace == item.url_name.split(":")[0]
        )
        items.append({"url": url, "label": item.label, "active": active})
    return items


@register.filter
def can_use_admin(user: Any) -> bool:
    """Whether the Django admin is open to this user (system administrators and superusers)."""
    from jiayuan.core.admin_site import admin_allowed

    return admin_allowed(user)
