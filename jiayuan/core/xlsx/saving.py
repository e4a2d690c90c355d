"""Writing the rows of an import that passed every check: one bulk insert with model history."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import IntegrityError
from django.db.models import Model
from simple_history.utils import bulk_create_with_history

from jiayuan.core.actor import Actor
from jiayuan.core.exceptions import Conflict

M = TypeVar("M", bound=Model)


def save_imported(
    *, actor: Actor, model: type[M], objects: list[M], file_name: str, conflict: Any
) -> list[M]:
    """Insert the checked rows with history; a row registered meanwhile by someone else is a Conflict."""
    try:
        return list(
            bulk_create_with_history(
                objects,
                model,
                batch_size=500,
                default_user=actor.user if getattr(actor.user, "pk", None) else None,
                default_change_reason=f"import: {file_name}"[:100],
            )
        )
    except IntegrityError as error:
        raise Conflict(conflict) from error
