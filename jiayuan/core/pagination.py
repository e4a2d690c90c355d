"""Pagination of API lists and of long pages.

`StandardPagination` numbers pages (`?page=`, with a `count`): for short lists. Long lists (the case
ledger) page by keyset (`KeysetPagination` for the API, `keyset_page` for pages): "next" and
"previous" carry a cursor, the position of the last (or first) row seen on the ordering
`(-created_at, -id)`, so page 50 costs what page 1 does (no OFFSET walking the rows before it) and no
`COUNT(*)` runs (a page that shows a total takes it from a query it makes anyway).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from rest_framework.exceptions import NotFound
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

MAX_PAGE_SIZE = 200


class StandardPagination(PageNumberPagination):
    """`count`, `next`, `previous`, `results`; `?page=` and `?page_size=` (at most 200)."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


class InvalidCursor(ValueError):
    pass


@dataclass(frozen=True)
class Cursor:
    """A position on `(created_at, id)`, newest first; `back` pages towards newer rows."""

    created_at: dt.datetime
    id: int
    back: bool = False

    def encode(self) -> str:
        raw = json.dumps([self.created_at.isoformat(), self.id, int(self.back)], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> Cursor:
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            at, pk, back = json.loads(raw)
            created_at = dt.datetime.fromisoformat(at)
            if created_at.tzinfo is None or not isinstance(pk, int) or back not in (0, 1):
                raise InvalidCursor(token)
        except (ValueError, TypeError) as error:  # binascii.Error and JSONDecodeError are ValueErrors
            raise InvalidCursor(token) from error
        return cls(created_at, pk, bool(back))


@dataclass
class KeysetPage:
    """One page of rows, newest first, with the cursors of its neighbours (None at either end)."""

    object_list: list[Any]
    next_cursor: str | None = None
    previous_cursor: str | None = None
    total: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __iter__(self) -> Any:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_cursor is not None


def after(cursor: Cursor) -> Q:
    """Rows older than the cursor. `created_at <= c` alone is the index condition; the OR only
    settles rows filed at the same instant (a row comparison Django cannot write)."""
    c = cursor.created_at
    return Q(created_at__lte=c) & (Q(created_at__lt=c) | Q(id__lt=cursor.id))


def before(cursor: Cursor) -> Q:
    c = cursor.created_at
    return Q(created_at__gte=c) & (Q(created_at__gt=c) | Q(id__gt=cursor.id))


def keyset_page(queryset: QuerySet[Any], token: str | None, *, size: int) -> KeysetPage:
    """The page of `queryset` (any filter; its ordering is replaced) at the cursor `token`.

    An invalid cursor raises `InvalidCursor`. One query: `size + 1` rows tell whether there are more.
    """
    cursor = Cursor.decode(token) if token else None
    if cursor is None:
        rows = list(queryset.order_by("-created_at", "-id")[: size + 1])
        more, rows = len(rows) > size, rows[:size]
        return page_of(rows, newer=False, older=more)
    if not cursor.back:
        rows = list(queryset.filter(after(cursor)).order_by("-created_at", "-id")[: size + 1])
        more, rows = len(rows) > size, rows[:size]
        return page_of(rows, newer=True, older=more)
    rows = list(queryset.filter(before(cursor)).order_by("created_at", "id")[: size + 1])
    more, rows = len(rows) > size, rows[:size]
    rows.reverse()
    return page_of(rows, newer=more, older=True)


def page_of(rows: list[Any], *, newer: bool, older: bool) -> KeysetPage:
    page = KeysetPage(rows)
    if rows and older:
        page.next_cursor = Cursor(rows[-1].created_at, rows[-1].pk).encode()
    if rows and newer:
        page.previous_cursor = Cursor(rows[0].created_at, rows[0].pk, back=True).encode()
    return page


class KeysetPagination(BasePagination):
    """`next`, `previous`, `results`; `?cursor=` (from `next` or `previous`) and `?page_size=`.

    For long lists ordered newest first by `(created_at, id)`: no `count` (the list's counts
    endpoint has the totals) and no OFFSET, so every page costs the same.
    """

    page_size = 20
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request: Request) -> int:
        try:
            size = int(request.query_params[self.page_size_query_param])
        except (KeyError, ValueError):
            return self.page_size
        return min(size, self.max_page_size) if size > 0 else self.page_size

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any]:
        self.request = request
        try:
            self.page = keyset_page(
                queryset, request.query_params.get(self.cursor_query_param), size=self.get_page_size(request)
            )
        except InvalidCursor as error:
            raise NotFound("Invalid cursor.") from error
        return self.page.object_list

    def link(self, token: str | None) -> str | None:
        if token is None:
            return None
        url = remove_query_param(self.request.build_absolute_uri(), "page")
        return replace_query_param(url, self.cursor_query_param, token)

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {
                "next": self.link(self.page.next_cursor),
                "previous": self.link(self.page.previous_cursor),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "The position to continue from: take it from `next` or `previous`.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page (default {self.page_size}, at most {self.max_page_size}).",
                "schema": {"type": "integer"},
            },
        ]
