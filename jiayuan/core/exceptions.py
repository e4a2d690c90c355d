"""Errors a service raises. Views turn them into form errors or messages, the API into JSON."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A request the rules refuse. `message` is shown to the user (already translated)."""

    code = "invalid"
    status = 400

    def __init__(
        self,
        message: Any,
        *,
        code: str | None = None,
        field: str | None = None,
        details: Any = None,
    ) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.details = details
        if code:
            self.code = code


class NotPermitted(DomainError):
    """The actor's roles do not allow this act."""

    code = "permission_denied"
    status = 403

    def __init__(self, permission: str) -> None:
        from django.utils.translation import gettext

        super().__init__(gettext("You are not allowed to do this."), details={"permission": permission})


class Conflict(DomainError):
    """The act collides with the current state (a second contract in force, a stale edit)."""

    code = "conflict"
    status = 409


class ImportRejected(DomainError):
    """An imported file has errors; nothing was written. `errors` lists them by row and column."""

    code = "import_rejected"

    def __init__(self, message: Any, errors: list[dict[str, Any]]) -> None:
        super().__init__(message, details=errors)
        self.errors = errors
