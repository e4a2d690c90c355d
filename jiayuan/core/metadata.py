"""What `OPTIONS` on an API route answers."""

from __future__ import annotations

from typing import Any

from rest_framework.metadata import SimpleMetadata
from rest_framework.request import Request


class ApiMetadata(SimpleMetadata):
    """Name, description, renderers and parsers; no `actions` block.

    Every write takes its own input serializer (one per operation, not one per viewset), so DRF's
    description of "the" serializer does not exist; the OpenAPI schema at /api/schema/ describes
    each operation's body exactly.
    """

    def determine_actions(self, request: Request, view: Any) -> dict[str, Any]:
        return {}
