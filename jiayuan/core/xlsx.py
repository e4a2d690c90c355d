"""Reading and writing Excel (xlsx) ledgers: the one layer every import and export goes through.

An import declares its sheet once, as a `SheetSpec` of `Column`s: the header as the clerks' ledger
spells it (Chinese; it is data, not interface text, so it is not translated), the field it fills,
whether it is required, and a `Parser` for its cells. `SheetSpec.read(file)` then

- refuses what is not a readable xlsx workbook, is empty, or is too big (`ImportRejected`, no errors);
- finds the header row in the first rows of the first sheet (title rows above it and extra columns
  are fine) and reports missing required columns;
- parses every cell and returns a `Sheet`: the parsed rows, plus errors that name the row number as
  Excel shows it, the column letter, the header and the problem. The import service adds its own
  row errors (lookups, duplicates) with `Sheet.add_error` and calls `Sheet.raise_if_errors()` before
  it writes anything: an import is all-or-nothing.

`SheetSpec.template()` builds the empty workbook clerks download: styled headers with a comment per
column, dropdowns for choice columns, text format for code columns (so Excel keeps leading zeros and
long digit strings) and a second sheet "填写说明" explaining each column.

For pages: `ImportPage` (upload form, then a redirect with a message or the table of errors) and
`TemplateDownload` (`xlsx_response`, the Chinese file name RFC 5987-encoded) are the base views of
every import page; a subclass names its spec, template and service.

The layer is one module for now; past its current size it should become a package
(parsers, reading, templates, pages).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cached_property
from itertools import chain
from typing import Any, NoReturn
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from jiayuan.core.exceptions import DomainError, ImportRejected, NotPermitted
from jiayuan.core.views import ActorMixin, View

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INSTRUCTIONS_TITLE = "填写说明"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97-2003) and encrypted workbooks
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # a guard against zip bombs


class CellInvalid(Exception):
    """A cell's value is unusable; `message` (translated) says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------------------------------- cells


def cell_text(value: Any) -> str:
    """A cell as the clerk sees it: trimmed text; 12.0 becomes "12", a date "2024-03-15"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


_LABEL_TRANSLATION = str.maketrans({"（": "(", "）": ")", "＊": "", "*": "", "㎡": "m²"})


def normalise_label(value: Any) -> str:
    """Compare headers and choice labels as clerks type them: no spaces, either kind of bracket."""
    text = re.sub(r"\s+", "", cell_text(value).translate(_LABEL_TRANSLATION))
    return re.sub(r"\((必填|选填|可选|可不填)\)", "", text)


def _strip_units(text: str, units: Sequence[str]) -> str:
    text = text.replace(",", "").replace("，", "").replace(" ", "")
    for unit in units:
        if text.endswith(unit):
            return text[: -len(unit)]
    return text


class Parser:
    """Turns one non-empty cell into a value, or raises CellInvalid. `empty` is the value of a blank cell."""

    empty: Any = None
    number_format: str | None = None

    def parse(self, value: Any) -> Any:
        raise NotImplementedError

    def describe(self) -> str:
        return ""

    def options(self) -> list[str]:
        return []


class Text(Parser):
    """Text, trimmed; optionally upper-cased, length-limited, matched against a pattern, validated."""

    empty = ""
    number_format = "@"

    def __init__(
        self,
        *,
        max_length: int | None = None,
        pattern: str | None = None,
        pattern_help: Any = None,
        upper: bool = False,
        validators: Sequence[Callable[[str], None]] = (),
    ) -> None:
        self.max_length = max_length
        self.pattern = re.compile(pattern) if pattern else None
        self.pattern_help = pattern_help
        self.upper = upper
        self.validators = tuple(validators)

    def parse(self, value: Any) -> str:
        text = cell_text(value)
        if self.upper:
            text = text.upper()
        if self.max_length is not None and len(text) > self.max_length:
            raise CellInvalid(
                _("At most %(max)d characters are allowed; this has %(n)d.")
                % {"max": self.max_length, "n": len(text)}
            )
        if self.pattern is not None and not self.pattern.fullmatch(text):
            raise CellInvalid(
                str(self.pattern_help or _("“%(value)s” is not in the expected format.")) % {"value": text}
            )
        for validator in self.validators:
            try:
                validator(text)
            except ValidationError as error:
                raise CellInvalid(" ".join(error.messages)) from error
        return text

    def describe(self) -> str:
        if self.pattern_help is not None:
            return str(self.pattern_help) % {"value": "…"}
        if self.max_length is not None:
            return _("Text, at most %(max)d characters.") % {"max": self.max_length}
        return _("Text.")


def code(pattern: str, *, pattern_help: Any, upper: bool = True, **kwargs: Any) -> Text:
    """A code column (division code, credit code ...): text matched in full against `pattern`."""
    return Text(pattern=pattern, pattern_help=pattern_help, upper=upper, **kwargs)


class Integer(Parser):
    """A whole number in a range; "1,200" and a trailing unit ("套") are accepted."""

    def __init__(
        self, *, min_value: int | None = None, max_value: int | None = None, units: Sequence[str] = ()
    ) -> None:
        self.min_value = min_value
        self.max_value = max_value
        self.units = tuple(units)

    def bounds(self) -> tuple[int | None, int | None]:
        return self.min_value, self.max_value

    def parse(self, value: Any) -> int:
        number = self.to_int(value)
        low, high = self.bounds()
        if (low is not None and number < low) or (high is not None and number > high):
            raise CellInvalid(self.range_message())
        return number

    def to_int(self, value: Any) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
            return int(value)
        text = _strip_units(cell_text(value), self.units)
        if re.fullmatch(r"[+-]?\d+(\.0*)?", text):
            return int(Decimal(text))
        raise CellInvalid(_("Enter a whole number; “%(value)s” is not one.") % {"value": cell_text(value)})

    def range_message(self) -> str:
        low, high = self.bounds()
        if low is not None and high is not None:
            return _("Enter a whole number from %(min)d to %(max)d.") % {"min": low, "max": high}
        if low is not None:
            return _("Enter a whole number of at least %(min)d.") % {"min": low}
        return _("Enter a whole number of at most %(max)d.") % {"max": high}

    def describe(self) -> str:
        return self.range_message()


class Year(Integer):
    """A year from `min_value` to this year (a date cell counts by its year; "2010年" is accepted)."""

    def __init__(self, *, min_value: int = 1900) -> None:
        super().__init__(min_value=min_value, units=("年",))

    def bounds(self) -> tuple[int | None, int | None]:
        return self.min_value, timezone.localdate().year

    def to_int(self, value: Any) -> int:
        if isinstance(value, dt.date):
            return value.year
        return super().to_int(value)

    def range_message(self) -> str:
        return _("Enter a year from %(min)d to this year (%(max)d).") % {
            "min": self.min_value,
            "max": timezone.localdate().year,
        }

    def describe(self) -> str:
        return _("A year from %(min)d to this year, e.g. 2010.") % {"min": self.min_value}


class Number(Parser):
    """A decimal number with at most `places` decimals (or rounded to them), in a range."""

    def __init__(
        self,
        *,
        places: int = 2,
        min_value: Decimal | None = None,
        max_value: Decimal | None = None,
        round_places: bool = False,
        units: Sequence[str] = (),
    ) -> None:
        self.places = places
        self.min_value = min_value
        self.max_value = max_value
        self.round_places = round_places
        self.units = tuple(units)

    def parse(self, value: Any) -> Decimal:
        number = self.to_decimal(value)
        if (self.min_value is not None and number < self.min_value) or (
            self.max_value is not None and number > self.max_value
        ):
            raise CellInvalid(self.range_message())
        try:
            rounded = number.quantize(Decimal(1).scaleb(-self.places), rounding=ROUND_HALF_UP)
        except InvalidOperation as error:  # more digits than a Decimal context holds
            raise CellInvalid(self.range_message()) from error
        # A float read from Excel may carry binary noise (12.299999999999999): that is not a clerk's
        # third decimal place, so it is rounded away rather than refused.
        noise = isinstance(value, float) and abs(rounded - number) < Decimal("1e-9")
        if rounded != number and not (self.round_places or noise):
            raise CellInvalid(
                ngettext(
                    "Use at most %(places)d decimal place.",
                    "Use at most %(places)d decimal places.",
                    self.places,
                )
                % {"places": self.places}
            )
        return rounded

    def to_decimal(self, value: Any) -> Decimal:
        if isinstance(value, bool):
            raise CellInvalid(_("Enter a number; “%(value)s” is not one.") % {"value": value})
        try:
            if isinstance(value, int | Decimal):
                number = Decimal(value)
            elif isinstance(value, float):
                number = Decimal(repr(value))
            else:
                number = Decimal(_strip_units(cell_text(value), self.units))
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite():
            raise CellInvalid(_("Enter a number; “%(value)s” is not one.") % {"value": cell_text(value)})
        return number

    def range_message(self) -> str:
        low, high = self.min_value, self.max_value
        if low is not None and high is not None:
            return _("Enter a number from %(min)s to %(max)s.") % {"min": low, "max": high}
        if low is not None:
            return _("Enter a number of at least %(min)s.") % {"min": low}
        return _("Enter a number of at most %(max)s.") % {"max": high}

    def describe(self) -> str:
        places = ngettext(
            "A number with at most %(places)d decimal place.",
            "A number with at most %(places)d decimal places.",
            self.places,
        ) % {"places": self.places}
        if self.min_value is None and self.max_value is None:
            return places
        return f"{places} {self.range_message()}"


class Date(Parser):
    """A date: a date cell, or text like 2024-03-15, 2024/3/15, 2024.3.15 or 2024年3月15日."""

    formats = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")

    def parse(self, value: Any) -> dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = cell_text(value)
        for fmt in self.formats:
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise CellInvalid(_("Enter a date such as 2024-03-15; “%(value)s” is not one.") % {"value": text})

    def describe(self) -> str:
        return _("A date, e.g. 2024-03-15.")


class Choice(Parser):
    """One of a list, given by its label (the first label of each value goes into the dropdown)."""

    def __init__(
        self, options: Sequence[tuple[Any, str]], *, aliases: Mapping[str, Any] | None = None
    ) -> None:
        self.labels = [label for _value, label in options]
        self.lookup = {normalise_label(label): value for value, label in options}
        for alias, value in (aliases or {}).items():
            self.lookup.setdefault(normalise_label(alias), value)

    def parse(self, value: Any) -> Any:
        key = normalise_label(value)
        if key in self.lookup:
            return self.lookup[key]
        raise CellInvalid(
            _("“%(value)s” is not one of: %(options)s.")
            % {"value": cell_text(value), "options": self.joined()}
        )

    def joined(self) -> str:
        return "、".join(self.labels)

    def describe(self) -> str:
        return _("One of: %(options)s (pick from the list).") % {"options": self.joined()}

    def options(self) -> list[str]:
        return list(self.labels)


# ---------------------------------------------------------------------------------------- sheets


@dataclass(frozen=True)
class Column:
    """One declared column. `required`: the column must be there and no cell of it may be blank."""

    header: str
    field: str
    parser: Parser = dataclasses.field(default_factory=Text)
    required: bool = False
    help: Any = ""
    example: Any = None
    width: int | None = None
    aliases: tuple[str, ...] = ()

    def describe(self) -> str:
        return " ".join(part for part in (self.parser.describe(), str(self.help or "")) if part)


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
class ReferenceSheet:
    """An extra sheet of the template with data the clerk looks things up in (e.g. community codes)."""

    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]


@dataclass(frozen=True)
class SheetSpec:
    """A ledger's layout. `title` names the first sheet of the template; `notes` add to 填写说明."""

    title: str
    columns: tuple[Column, ...]
    max_rows: int = 5000
    max_bytes: int = 10 * 1024 * 1024
    header_search_rows: int = 20
    notes: tuple[Any, ...] = ()

    @cached_property
    def columns_by_field(self) -> dict[str, Column]:
        return {column.field: column for column in self.columns}

    def read(self, file: Any) -> Sheet:
        """Read an uploaded file (an UploadedFile, a file object or bytes); see the module docstring."""
        name, data = read_upload(file, self.max_bytes)
        workbook = open_workbook(data)
        try:
            worksheet = workbook.worksheets[0]
            rows = worksheet.iter_rows(values_only=True)
            head = [row for _i, row in zip(range(self.header_search_rows), rows, strict=False)]
            header_row, positions = self.locate_header(head)
            sheet = Sheet(
                spec=self,
                file_name=name,
                header_row=header_row,
                letters={column.field: get_column_letter(index + 1) for index, column in positions.items()},
            )
            data_rows = chain(head[header_row:], rows)
            self.parse_rows(sheet, positions, data_rows)
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

    def parse_rows(self, sheet: Sheet, positions: dict[int, Column], rows: Iterator[tuple[Any, ...]]) -> None:
        absent = {
            column.field: column.parser.empty for column in self.columns if column not in positions.values()
        }
        for number, cells in enumerate(rows, start=sheet.header_row + 1):
            raw = {index: cells[index] if index < len(cells) else None for index in positions}
            if all(cell_text(value) == "" for value in raw.values()):
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
        if not sheet.rows:
            raise ImportRejected(_("The file has no rows to import below the header row."), [])

    @staticmethod
    def parse_cell(sheet: Sheet, row: Row, column: Column, value: Any) -> None:
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
        self, *, example: Mapping[str, Any] | None = None, reference: ReferenceSheet | None = None
    ) -> bytes:
        """The empty ledger to download, with 填写说明 (and a reference sheet when given)."""
        return build_template(
            self, {**{c.field: c.example for c in self.columns}, **(example or {})}, reference
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
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED_BYTES:
                raise ImportRejected(_("The workbook is too large once unpacked."), [])
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


HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
HEADER_FONT = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def style_header(cells: Iterable[Any], fill: PatternFill = HEADER_FILL) -> None:
    for cell in cells:
        cell.font = HEADER_FONT
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def build_template(spec: SheetSpec, example: Mapping[str, Any], reference: ReferenceSheet | None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = spec.title
    last_row = spec.max_rows + 1
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=column.header)
        style_header([cell], REQUIRED_FILL if column.required else HEADER_FILL)
        note = column.describe()
        if example.get(column.field) not in (None, ""):
            note += "\n" + _("Example: %(example)s") % {"example": cell_text(example[column.field])}
        cell.comment = Comment(note, "家园")
        cell.comment.width, cell.comment.height = 260, 120
        sheet.column_dimensions[letter].width = column.width or max(12, 2 * len(column.header) + 4)
        if column.parser.number_format:
            sheet.column_dimensions[letter].number_format = column.parser.number_format
        if column.parser.options():
            add_dropdown(workbook, sheet, f"{letter}2:{letter}{last_row}", column.parser.options())
    sheet.freeze_panes = "A2"
    write_instructions(workbook.create_sheet(INSTRUCTIONS_TITLE), spec, example)
    if reference is not None:
        extra = workbook.create_sheet(reference.title)
        extra.append(list(reference.headers))
        style_header(extra[1])
        for values in reference.rows:
            extra.append(list(values))
        for index, header in enumerate(reference.headers, start=1):
            extra.column_dimensions[get_column_letter(index)].width = max(14, 2 * len(header) + 4)
        extra.freeze_panes = "A2"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def add_dropdown(workbook: Any, sheet: Any, cells: str, options: list[str]) -> None:
    """A list validation; short lists inline, long ones (over Excel's 255 characters) on a hidden sheet."""
    inline = ",".join(options)
    if len(inline) <= 250 and not any('"' in o or "," in o for o in options):
        formula = f'"{inline}"'
    else:
        if "_lists" in workbook.sheetnames:
            lists = workbook["_lists"]
            col = get_column_letter(lists.max_column + 1)
        else:
            lists, col = workbook.create_sheet("_lists"), "A"
            lists.sheet_state = "hidden"
        for number, option in enumerate(options, start=1):
            lists[f"{col}{number}"] = option
        formula = f"_lists!${col}$1:${col}${len(options)}"
    validation = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True)
    validation.errorTitle = _("Not in the list")
    validation.error = _("Pick a value from the list.")
    validation.add(cells)
    sheet.add_data_validation(validation)


def write_instructions(sheet: Any, spec: SheetSpec, example: Mapping[str, Any]) -> None:
    sheet.append([_("Column"), _("Header"), _("Required"), _("How to fill it in"), _("Example")])
    style_header(sheet[1])
    for index, column in enumerate(spec.columns, start=1):
        sheet.append(
            [
                get_column_letter(index),
                column.header,
                _("Yes") if column.required else _("No"),
                column.describe(),
                cell_text(example.get(column.field)),
            ]
        )
    sheet.append([])
    general = [
        _("Fill in one row per record, from row 2 of the first sheet “%(title)s”.") % {"title": spec.title},
        _(
            "Keep the header row as it is; headers on an orange background are required. "
            "Extra columns are ignored."
        ),
        _("At most %(max)d rows per file.") % {"max": spec.max_rows},
        _("If any row has a problem, nothing is imported: the page lists every problem by row and column."),
        *[str(note) for note in spec.notes],
    ]
    for line in general:
        sheet.append(["", line])
        sheet.merge_cells(start_row=sheet.max_row, start_column=2, end_row=sheet.max_row, end_column=5)
    for letter, width in zip("ABCDE", (8, 22, 8, 60, 28), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = WRAP


# ---------------------------------------------------------------------------------------- results


@dataclass(frozen=True)
class ImportResult:
    """What an import service created: how many, from which file, and their ids."""

    created: int
    file_name: str
    ids: tuple[int, ...] = ()


def xlsx_response(content: bytes, *, file_name: str, ascii_name: str = "template.xlsx") -> HttpResponse:
    """A download of an xlsx file; the Chinese name is sent RFC 5987-encoded, with an ASCII fallback."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(file_name)}"
    )
    response["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------------------------------- pages


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel file (.xlsx)"),
        widget=forms.FileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
    )


class ImportPage(ActorMixin, View):
    """An upload page: GET shows the form, POST imports the file or shows every problem, row by row.

    Subclasses name the template, the spec (its columns are listed on the page), the page to go to
    after success, and implement `run` (the import service) and `success_message`.
    """

    template_name: str
    spec: SheetSpec
    template_url_name: str
    success_url_name: str
    max_errors_shown = 500

    def run(self, file: Any) -> ImportResult:
        raise NotImplementedError

    def success_message(self, result: ImportResult) -> str:
        raise NotImplementedError

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(UploadForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form)
        try:
            result = self.run(form.cleaned_data["file"])
        except NotPermitted as error:
            raise PermissionDenied from error
        except ImportRejected as rejected:
            return self.render(form, rejected=rejected)
        except DomainError as error:
            form.add_error("file", str(error.message))
            return self.render(form)
        messages.success(request, self.success_message(result))
        try:
            return redirect(reverse(self.success_url_name))
        except NoReverseMatch:
            return redirect("/")

    def render(self, form: UploadForm, *, rejected: ImportRejected | None = None) -> HttpResponse:
        errors = rejected.errors if rejected else []
        context = {
            "form": form,
            "spec": self.spec,
            "template_url": reverse(self.template_url_name),
            "rejected": rejected,
            "errors": errors[: self.max_errors_shown],
            "error_count": len(errors),
            "errors_hidden": max(0, len(errors) - self.max_errors_shown),
        }
        return render(self.request, self.template_name, context)


class TemplateDownload(ActorMixin, View):
    """Downloads the empty ledger; subclasses implement `build` and name the file."""

    file_name: str
    ascii_name: str

    def build(self) -> bytes:
        raise NotImplementedError

    def get(self, request: HttpRequest) -> HttpResponse:
        return xlsx_response(self.build(), file_name=self.file_name, ascii_name=self.ascii_name)
