"""Reading an uploaded ledger: `SheetSpec.read` checks the file, finds the header row, parses every cell.

It refuses what is not a readable xlsx workbook, is empty, or is too big (`ImportRejected`, no
errors); finds the header row in the first rows of the first sheet (title rows above it and extra
columns are fine) and reports missing required columns; then parses every cell and returns a
`Sheet`: the parsed rows, plus errors that name the row number as Excel shows it, the column
letter, the header and the problem. The import service adds its own row errors (lookups,
duplicates) with `Sheet.add_error` and calls `Sheet.raise_if_errors()` before it writes anything:
an import is all-or-nothing.
"""

from __future__ import annotations

import dataclasses
import io
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cached_property
from itertools import chain
from typing import Any, NoReturn

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter

from jiayuan.core.exceptions import ImportRejected
from jiayuan.core.xlsx.columns import CellInvalid, Column, cell_text, normalise_label
from jiayuan.core.xlsx.template import ReferenceSheet, build_template

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97-2003) and encrypted workbooks
# Guards against a file built to hold a worker: a zip bomb, one part (the shared strings of one huge
# cell, a sheet of a million blank rows) that openpyxl would take whole into memory.
MAX_UNZIPPED_BYTES = 60 * 1024 * 1024
MAX_PART_BYTES = 30 * 1024 * 1024
# Excel's own limit for one cell; longer text is not something a clerk typed.
MAX_CELL_CHARACTERS = 32_767
# How often (in sheet rows) a reading reports its progress to the callback of `reporting_progress`.
PROGRESS_EVERY_ROWS = 200

# (rows read so far, rows in the sheet below the header when the file says, else None)
ProgressCallback = Callable[[int, "int | None"], None]
_progress: ContextVar[ProgressCallback | None] = ContextVar("jiayuan_xlsx_progress", default=None)


_already_read: ContextVar[Sheet | None] = ContextVar("jiayuan_xlsx_already_read", default=None)


@contextmanager
def reporting_progress(callback: ProgressCallback) -> Iterator[None]:
    """While inside, every `SheetSpec.read` calls `callback(read, total)` every PROGRESS_EVERY_ROWS
    rows and once at the end. The import services need not know (jiayuan/imports uses it)."""
    token = _progress.set(callback)
    try:
        yield
    finally:
        _progress.reset(token)


@contextmanager
def using_sheet(sheet: Sheet) -> Iterator[None]:
    """While inside, the first `read` of `sheet`'s spec returns `sheet` instead of reading the file.

    A background import reads the file first, outside the service's transaction, so that its
    progress commits as it goes (jiayuan/imports); the service it runs then gets that sheet: the
    file is read once, and the service checks and writes exactly as when it reads the file itself.
    """
    token = _already_read.set(sheet)
    try:
        yield
    finally:
        _already_read.reset(token)


@dataclass(frozen=True)
class CellError:
    row: int | None
    column: str
    header: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "header": self.header, "message": self.message}

    def sort_key(self) -> tuple[int, int]:
        return (self.row or 0, column_index_from_string(self.column) if self.column else 0)


@dataclass
class Row:
    """One data row: `number` as Excel shows it, parsed `values` by field, `bad` fields that failed."""

    number: int
    values: dict[str, Any]
    bad: set[str] = dataclasses.field(default_factory=set)

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    @property
    def ok(self) -> bool:
        return not self.bad


@dataclass
class Sheet:
    """A read sheet: its rows and the errors found so far."""

    spec: SheetSpec
    file_name: str
    header_row: int
    letters: dict[str, str]
    rows: list[Row] = dataclasses.field(default_factory=list)
    errors: list[CellError] = dataclasses.field(default_factory=list)

    def add_error(self, row: Row | int | None, name: str, message: Any) -> None:
        """Record a problem in a cell of `row` (a Row or a row number), in the column of field `name`."""
        number = row.number if isinstance(row, Row) else row
        column = self.spec.columns_by_field.get(name)
        self.errors.append(
            CellError(
                row=number,
                column=self.letters.get(name, ""),
                header=column.header if column else "",
                message=str(message),
            )
        )
        if isinstance(row, Row):
            row.bad.add(name)

    def raise_if_errors(self) -> None:
        if self.errors:
            reject_with(self.errors)


def reject_with(errors: Iterable[CellError]) -> NoReturn:
    ordered = sorted(errors, key=CellError.sort_key)
    raise ImportRejected(
        ngettext(
            "The file was not imported: %(count)d problem was found. Nothing was changed.",
            "The file was not imported: %(count)d problems were found. Nothing was changed.",
            len(ordered),
        )
        % {"count": len(ordered)},
        [error.as_dict() for error in ordered],
    )


@dataclass(frozen=True)
class SheetSpec:
    """A ledger's layout. `title` names the first sheet of the template; `notes` add to 填写说明."""

    title: str
    columns: tuple[Column, ...]
    max_rows: int = 5000
    max_bytes: int = 10 * 1024 * 1024
    header_search_rows: int = 20
    notes: tuple[Any, ...] = ()
    # Columns read from each row (the template's columns, title columns and some extra), and sheet
    # rows read at most, blank ones included: beyond them the file is refused, not read on.
    max_columns: int = 60
    blank_rows_allowed: int = 1000

    @cached_property
    def columns_by_field(self) -> dict[str, Column]:
        return {column.field: column for column in self.columns}

    def read(self, file: Any) -> Sheet:
        """Read an uploaded file (an UploadedFile, a file object or bytes); see the module docstring."""
        ready = _already_read.get()
        if ready is not None and ready.spec is self:
            _already_read.set(None)
            return ready
        name, data = read_upload(file, self.max_bytes)
        workbook = open_workbook(data)
        try:
            worksheet = workbook.worksheets[0]
            rows = worksheet.iter_rows(values_only=True, max_col=self.max_columns)
            head = [row for _i, row in zip(range(self.header_search_rows), rows, strict=False)]
            header_row, positions = self.locate_header(head)
            sheet = Sheet(
                spec=self,
                file_name=name,
                header_row=header_row,
                letters={column.field: get_column_letter(index + 1) for index, column in positions.items()},
            )
            data_rows = chain(head[header_row:], rows)
            # The sheet's own dimension (absent or wrong in some writers' files): an estimate only.
            declared = getattr(worksheet, "max_row", None)
            total = declared - header_row if isinstance(declared, int) and declared > header_row else None
            self.parse_rows(sheet, positions, data_rows, total=total)
        finally:
            workbook.close()
        return sheet

    def locate_header(self, head: list[tuple[Any, ...]]) -> tuple[int, dict[int, Column]]:
        """The row among the first ones that matches the most declared headers, and where each is."""
        by_label: dict[str, Column] = {}
        for column in self.columns:
            for label in (column.header, *column.aliases):
                by_label[normalise_label(label)] = column
        best_row, best = 0, dict[int, Column]()
        for number, row in enumerate(head, start=1):
            found = {
                i: by_label[key] for i, cell in enumerate(row) if (key := normalise_label(cell)) in by_label
            }
            if len(found) > len(best):
                best_row, best = number, found
        if not best:
            raise ImportRejected(
                _(
                    "No header row was found in the first sheet. Its first rows must hold the column "
                    "headers of the template: %(headers)s."
                )
                % {"headers": "、".join(column.header for column in self.columns)},
                [],
            )
        errors: list[CellError] = []
        positions: dict[int, Column] = {}
        for index, column in best.items():
            if column in positions.values():
                errors.append(
                    CellError(
                        best_row, get_column_letter(index + 1), column.header, _("This column appears twice.")
                    )
                )
            else:
                positions[index] = column
        for column in self.columns:
            if column.required and column not in positions.values():
                errors.append(CellError(best_row, "", column.header, _("This required column is missing.")))
        if errors:
            reject_with(errors)
        return best_row, positions

    def parse_rows(
        self,
        sheet: Sheet,
        positions: dict[int, Column],
        rows: Iterator[tuple[Any, ...]],
        *,
        total: int | None = None,
    ) -> None:
        progress = _progress.get()
        absent = {
            column.field: column.parser.empty for column in self.columns if column not in positions.values()
        }
        deadline = time.monotonic() + settings.JIAYUAN_IMPORT_MAX_SECONDS
        blank = 0
        read = 0
        for number, cells in enumerate(rows, start=sheet.header_row + 1):
            read = number - sheet.header_row
            if progress is not None and read % PROGRESS_EVERY_ROWS == 0:
                progress(read, total)
            if time.monotonic() > deadline:
                raise ImportRejected(
                    _("Reading the file took too long; split it into smaller files and upload them."), []
                )
            raw = {index: cells[index] if index < len(cells) else None for index in positions}
            if all(cell_text(value) == "" for value in raw.values()):
                blank += 1
                if blank > self.blank_rows_allowed:
                    raise ImportRejected(
                        _(
                            "The sheet has more than %(max)d empty rows. Delete the empty rows below the "
                            "data (or copy the data into a new workbook) and upload it again."
                        )
                        % {"max": self.blank_rows_allowed},
                        [],
                    )
                continue
            if len(sheet.rows) >= self.max_rows:
                raise ImportRejected(
                    _("The file has more than %(max)d rows; split it into smaller files.")
                    % {"max": self.max_rows},
                    [],
                )
            row = Row(number=number, values=dict(absent))
            for index, column in positions.items():
                self.parse_cell(sheet, row, column, raw[index])
            sheet.rows.append(row)
        if progress is not None:
            progress(read, read)
        if not sheet.rows:
            raise ImportRejected(_("The file has no rows to import below the header row."), [])

    @staticmethod
    def parse_cell(sheet: Sheet, row: Row, column: Column, value: Any) -> None:
        if isinstance(value, str) and len(value) > MAX_CELL_CHARACTERS:
            row.values[column.field] = column.parser.empty
            sheet.add_error(
                row,
                column.field,
                _("This cell holds more than %(max)d characters.") % {"max": MAX_CELL_CHARACTERS},
            )
            return
        if cell_text(value) == "":
            row.values[column.field] = column.parser.empty
            if column.required:
                sheet.add_error(row, column.field, _("This cell is empty, but it is required."))
            return
        try:
            row.values[column.field] = column.parser.parse(value)
        except CellInvalid as invalid:
            row.values[column.field] = column.parser.empty
            sheet.add_error(row, column.field, invalid.message)

    def template(
        self,
        *,
        example: Mapping[str, Any] | None = None,
        reference: ReferenceSheet | None = None,
        examples: Sequence[Mapping[str, Any]] = (),
    ) -> bytes:
        """The empty ledger to download, with 填写说明 (and 填写示例 with `examples`, rows by field,
        and a reference sheet when given)."""
        return build_template(
            self, {**{c.field: c.example for c in self.columns}, **(example or {})}, reference, examples
        )


# ---------------------------------------------------------------------------------------- files


def file_name_of(file: Any) -> str:
    return str(getattr(file, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]


def read_upload(file: Any, max_bytes: int) -> tuple[str, bytes]:
    """The name and bytes of an upload, refusing what is empty or larger than `max_bytes`."""
    too_big = _("The file is larger than %(mb)d MB; split it into smaller files.") % {
        "mb": max_bytes // (1024 * 1024)
    }
    if isinstance(file, bytes | bytearray):
        data = bytes(file)
    else:
        size = getattr(file, "size", None)
        if isinstance(size, int) and size > max_bytes:
            raise ImportRejected(too_big, [])
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ImportRejected(too_big, [])
    if not data:
        raise ImportRejected(_("The file is empty."), [])
    return file_name_of(file), data


def open_workbook(data: bytes) -> Any:
    """Open xlsx bytes read-only, or refuse them with a message a clerk can act on."""
    not_xlsx = _(
        "This is not an Excel .xlsx file. Open it in Excel or WPS, save it as “Excel workbook (*.xlsx)” "
        "and upload it again."
    )
    if data.startswith(OLE_MAGIC):
        raise ImportRejected(
            _(
                "This is an old Excel 97-2003 (.xls) file or an encrypted workbook. Remove the password "
                "if there is one, save it as “Excel workbook (*.xlsx)” and upload it again."
            ),
            [],
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise ImportRejected(not_xlsx, [])
            parts = archive.infolist()
            if (
                sum(info.file_size for info in parts) > MAX_UNZIPPED_BYTES
                or max(info.file_size for info in parts) > MAX_PART_BYTES
            ):
                raise ImportRejected(
                    _(
                        "The workbook is too large once unpacked (a very long cell, or very many rows "
                        "or columns). Copy the data alone into a new workbook and upload that."
                    ),
                    [],
                )
    except zipfile.BadZipFile as error:
        raise ImportRejected(not_xlsx, []) from error
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file; all mean the same here
        raise ImportRejected(not_xlsx, []) from error
    if not workbook.worksheets:
        workbook.close()
        raise ImportRejected(not_xlsx, [])
    return workbook


# --------------------------------------------------------------------------------------- results


@dataclass(frozen=True)
class ImportResult:
    """What an import service created: how many, from which file, and their ids."""

    created: int
    file_name: str
    ids: tuple[int, ...] = ()
