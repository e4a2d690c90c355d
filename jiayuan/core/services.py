"""Helpers every service uses: the scope check on the object acted on, and model validation."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Model
from django.http import Http404
from django.utils.translation import gettext as _

from jiayuan.core.actor import Actor
from jiayuan.core.exceptions import Conflict, DomainError, NotPermitted


def require_in_scope(actor: Actor, obj: Model, *, permission: str | None = None) -> None:
    """Acting on what one cannot see is the same as acting on what does not exist: 404.

    Given the permission the act needs, the object must also lie where the actor holds it: what one
    sees through another membership is refused (403, as one may see it anyway).
    """
    if not actor.can_see(obj):
        raise Http404
    narrower = permission is not None and actor.scope_for(permission) is not actor.scope
    if narrower and not actor.can_see(obj, permission=permission):
        raise NotPermitted(str(permission))


def require_region_in_scope(actor: Actor, path: str, *, permission: str | None = None) -> None:
    """The region (by path) is in the actor's scope, and where they hold `permission` if given."""
    if not actor.scope.covers_path(path):
        raise Http404
    if permission is not None and not actor.scope_for(permission).covers_path(path):
        raise NotPermitted(permission)


UNIQUE_CODES = {"unique", "unique_together"}


def validate(obj: Model, *, exclude: list[str] | None = None) -> None:
    """Run the model's validation and raise a DomainError naming the first bad field.

    A clash with an existing row is a Conflict; a clash on several fields ("this name already exists
    in this community") is named after the last of them, the one the user chose.
    """
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        first = error.error_dict[field][0]
        unique_check = (first.params or {}).get("unique_check") if first.code in UNIQUE_CODES else None
        if field == NON_FIELD_ERRORS and unique_check:
            field = unique_check[-1]
        error_class = Conflict if first.code in UNIQUE_CODES else DomainError
        raise error_class(
            messages[0],
            code="conflict" if error_class is Conflict else "invalid",
            field=None if field == NON_FIELD_ERRORS else field,
            details=error.message_dict,
        ) from error


def field_value(obj: Model, name: str, value: Any) -> Any:
    """`value` as the model field holds it, so that "6" and 6 compare equal when finding changes."""
    field = obj._meta.get_field(name)
    try:
        return field.to_python(value)  # type: ignore[union-attr]
    except ValidationError as error:
        raise DomainError(error.messages[0], field=name, details={name: error.messages}) from error


def apply_changes(obj: Model, fields: dict[str, Any], *, allowed: tuple[str, ...]) -> dict[str, list[str]]:
    """Set the given fields on `obj` and return {field: [old, new]} for those that really changed.

    Refuses a field outside `allowed` (naming it); validates the object when something changed.
    The caller saves with `update_fields=list(changed)` and records `changed` in its audit event.
    """
    changed: dict[str, list[str]] = {}
    for name, raw in fields.items():
        if name not in allowed:
            raise DomainError(_("Field %(name)s cannot be changed here.") % {"name": name}, field=name)
        value = field_value(obj, name, raw)
        if getattr(obj, name) != value:
            changed[name] = [str(getattr(obj, name)), str(value)]
            setattr(obj, name, value)
    if changed:
        validate(obj)
    return changed
