"""Helpers every service uses: the scope check on the object acted on, and model validation."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import Http404

from jiayuan.core.actor import Actor
from jiayuan.core.exceptions import DomainError


def require_in_scope(actor: Actor, obj: Model) -> None:
    """Acting on what one cannot see is the same as acting on what does not exist: 404."""
    if not actor.can_see(obj):
        raise Http404


def require_region_in_scope(actor: Actor, path: str) -> None:
    if not actor.scope.covers_path(path):
        raise Http404


def validate(obj: Model, *, exclude: list[str] | None = None) -> None:
    """Run the model's validation and raise a DomainError naming the first bad field."""
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DomainError(
            messages[0],
            code="invalid",
            field=None if field == "__all__" else field,
            details=error.message_dict,
        ) from error
