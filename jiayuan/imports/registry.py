"""The kinds of import the worker can run: each app with an import page registers its own.

This app sits below estates, enterprises and cases and does not import them: each registers an
`ImportKind` from its AppConfig.ready (`register_import_kind`), naming the same import service and
success message its page uses, so that an import run by the worker does exactly what the page does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from jiayuan.core.xlsx import ImportResult, SheetSpec


@dataclass(frozen=True)
class ImportKind:
    """`name` is stored on the job; `run(actor=, file=)` is the import service (all-or-nothing);
    `success_url_name` is the page to go on to once it is done."""

    name: str
    label: Any
    spec: SheetSpec
    permission: str
    run: Callable[..., ImportResult]
    success_message: Callable[[ImportResult], str]
    success_url_name: str


_kinds: dict[str, ImportKind] = {}


def register_import_kind(kind: ImportKind) -> None:
    _kinds[kind.name] = kind


def import_kind(name: str) -> ImportKind:
    try:
        return _kinds[name]
    except KeyError:
        raise ImproperlyConfigured(f"No app registered the import kind {name!r}") from None


def import_kinds() -> dict[str, ImportKind]:
    return dict(_kinds)
