"""Pagination of API lists and of long pages.

`StandardPagination` numbers pages (`?page=`, with a `count`): for short lists. Long lists (the case
ledger) page by keyset (`KeysetPagination` for the API, `keyset_page` for pages): "next" and
"previous" carry a cursor, the position of the last (or first) row seen on the ordering
(`(-created_at, -id)` unless a `KeysetOrder` says otherwise), so page 50 costs what page 1 does (no
OFFSET walking the rows before it) and no `COUNT(*)` runs (a page that shows a total takes it from a
query it makes anyway).
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
class KeysetOrder:
    """An order a keyset can walk: a non-null datetime column, then `id`, both one way.

    `created_at` newest first is the default (and the API's); the ledger also walks by deadline
    either way. Each order wants an index on `(field, id)` or `(field)` for its cursor to be cheap.
    """

    field: str = "created_at"
    descending: bool = True

    @property
    def key(self) -> str:
        """The order as `order_by` writes it ("-created_at"): what a cursor names it by."""
        return ("-" if self.descending else "") + self.field

    def order_by(self, *, reverse: bool = False) -> tuple[str, str]:
        sign = "-" if self.descending != reverse else ""
        return (f"{sign}{self.field}", f"{sign}id")

    def beyond(self, cursor: Cursor, *, reverse: bool = False) -> Q:
        """Rows after the cursor's row in this order (before it with `reverse`).

        `field <= c` alone (or `>=`) is the index condition; the OR only settles rows with the same
        value (a row comparison Django cannot write).
        """
        down = self.descending != reverse
        strict, loose = ("lt", "lte") if down else ("gt", "gte")
        value = cursor.value
        return Q(**{f"{self.field}__{loose}": value}) & (
            Q(**{f"{self.field}__{strict}": value}) | Q(**{f"id__{strict}": cursor.id})
        )


NEWEST_FIRST = KeysetOrder()


@dataclass(frozen=True)
class Cursor:
    """A position on `(value, id)` in the order `order` (a `KeysetOrder.key`); `back` pages towards
    the start of the list."""

    value: dt.datetime
    id: int
    back: bool = False
    order: str = NEWEST_FIRST.key

    def encode(self) -> str:
        items: list[Any] = [self.value.isoformat(), self.id, int(self.back)]
        if self.order != NEWEST_FIRST.key:
            items.append(self.order)
        raw = json.dumps(items, separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> Cursor:
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            items = json.loads(raw)
            if not isinstance(items, list) or len(items) not in (3, 4):
                raise InvalidCursor(token)
            at, pk, back, *rest = items
            order = rest[0] if rest else NEWEST_FIRST.key
            value = dt.datetime.fromisoformat(at)
            if value.tzinfo is None or not isinstance(pk, int) or back not in (0, 1):
                raise InvalidCursor(token)
            if not isinstance(order, str):
                raise InvalidCursor(token)
        except (ValueError, TypeError) as error:  # binascii.Error and JSONDecodeError are ValueErrors
            raise InvalidCursor(token) from error
        return cls(value, pk, bool(back), order)


@dataclass
class KeysetPage:
    """One page of rows in the keyset's order, with the cursors of its neighbours (None at either end)."""

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
    """Rows older than the cursor on the default order (newest first)."""
    return NEWEST_FIRST.beyond(cursor)


def before(cursor: Cursor) -> Q:
    return NEWEST_FIRST.beyond(cursor, reverse=True)


def keyset_page(
    queryset: QuerySet[Any], token: str | None, *, size: int, order: KeysetOrder = NEWEST_FIRST
) -> KeysetPage:
    """The page of `queryset` (any filter; its ordering is replaced by `order`) at the cursor `token`.

    An invalid cursor, or one taken in another order, raises `InvalidCursor`. One query: `size + 1`
    rows tell whether there are more.
    """
    cursor = Cursor.decode(token) if token else None
    if cursor is not None and cursor.order != order.key:
        raise InvalidCursor(token)
    if cursor is None:
        rows = list(queryset.order_by(*order.order_by())[: size + 1])
        more, rows = len(rows) > size, rows[:size]
        return page_of(rows, newer=False, older=more, order=order)
    if not cursor.back:
        rows = list(queryset.filter(order.beyond(cursor)).order_by(*order.order_by())[: size + 1])
        more, rows = len(rows) > size, rows[:size]
        return page_of(rows, newer=True, older=more, order=order)
    backwards = queryset.filter(order.beyond(cursor, reverse=True)).order_by(*order.order_by(reverse=True))
    rows = list(backwards[: size + 1])
    more, rows = len(rows) > size, rows[:size]
    rows.reverse()
    return page_of(rows, newer=more, older=True, order=order)


def page_of(rows: list[Any], *, newer: bool, older: bool, order: KeysetOrder = NEWEST_FIRST) -> KeysetPage:
    """`newer`: rows come before this page (a previous page); `older`: rows come after it."""
    page = KeysetPage(rows)
    if rows and older:
        last = rows[-1]
        page.next_cursor = Cursor(getattr(last, order.field), last.pk, order=order.key).encode()
    if rows and newer:
        first = rows[0]
        position = Cursor(getattr(first, order.field), first.pk, back=True, order=order.key)
        page.previous_cursor = position.encode()
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
